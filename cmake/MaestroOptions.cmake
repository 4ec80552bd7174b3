# maestro_options: an INTERFACE target carrying the language level, warnings and
# instrumentation every Maestro target builds with. Settings live on targets, not globally.
add_library(maestro_options INTERFACE)
add_library(maestro::options ALIAS maestro_options)

target_compile_features(maestro_options INTERFACE cxx_std_20)
target_compile_options(maestro_options INTERFACE
  # (-Wnull-dereference is left out: GCC 12 reports it for std::string code inlined from
  # library headers, where nothing can be done about it.)
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
    -Wno-missing-field-initializers>
  $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic>)

if(MAESTRO_WERROR)
  target_compile_options(maestro_options INTERFACE -Werror)
endif()

if(MAESTRO_SANITIZE)
  target_compile_options(maestro_options INTERFACE -fsanitize=${MAESTRO_SANITIZE} -fno-omit-frame-pointer)
  target_link_options(maestro_options INTERFACE -fsanitize=${MAESTRO_SANITIZE})
endif()

if(MAESTRO_COVERAGE)
  target_compile_options(maestro_options INTERFACE --coverage -O0 -g)
  target_link_options(maestro_options INTERFACE --coverage)
endif()

# Fuzzing (fuzz/, scripts/fuzz.sh): everything is instrumented for libFuzzer's coverage and runs
# under ASan and UBSan, and undefined behaviour stops the run like a crash.
if(MAESTRO_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MAESTRO_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  target_compile_options(maestro_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(maestro_options INTERFACE -fsanitize=address,undefined)
endif()
