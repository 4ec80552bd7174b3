# maestro_add_skill(<name> SOURCES src... [MANIFEST file] [SKILL_MD file] [OUTPUT_DIR dir]
#                   [LINK_LIBRARIES lib...] [INSTALL])
#
# Builds a skill library the one right way and lays out a complete, installable skill folder:
#   <OUTPUT_DIR>/<name>.so, manifest.json, skill.md
# OUTPUT_DIR defaults to ${CMAKE_BINARY_DIR}/skills/<name>, where scripts/setup-skills.sh looks.
# INSTALL installs the same folder to ${CMAKE_INSTALL_DATADIR}/maestro/skills/<name>, the other
# place scripts/setup-skills.sh looks. LINK_LIBRARIES are linked PRIVATE (never the host).
#
# - MODULE library (dlopen-only), C++20 and the ABI headers through maestro::plugin_api;
#   nothing of the host is linked. Inside the Maestro tree also maestro::options (the
#   project's warnings and sanitizers).
# - Hidden visibility and a version script: the only exported symbol is maestro_skill_entry.
# - -Wl,-z,defs: an unresolved symbol fails the link instead of the load.
# - -fno-gnu-unique (GCC): STB_GNU_UNIQUE symbols would pin the library in memory, so dlclose
#   would not unload it and a changed library could not be reloaded.
#
# The same file serves the source tree and the installed Maestro package
# (find_package(Maestro), <prefix>/lib/cmake/Maestro), with the version script beside it.
include_guard(GLOBAL)
include(GNUInstallDirs)

function(maestro_add_skill name)
  cmake_parse_arguments(PARSE_ARGV 1 SKILL "INSTALL" "MANIFEST;SKILL_MD;OUTPUT_DIR" "SOURCES;LINK_LIBRARIES")
  if(NOT SKILL_SOURCES)
    message(FATAL_ERROR "maestro_add_skill(${name}): SOURCES is required")
  endif()
  if(SKILL_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "maestro_add_skill(${name}): unknown arguments ${SKILL_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT SKILL_OUTPUT_DIR)
    set(SKILL_OUTPUT_DIR "${CMAKE_BINARY_DIR}/skills/${name}")
  endif()

  set(version_script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/maestro_skill.map")
  add_library(${name} MODULE ${SKILL_SOURCES})
  target_link_libraries(${name} PRIVATE maestro::plugin_api ${SKILL_LINK_LIBRARIES})
  if(TARGET maestro::options)
    target_link_libraries(${name} PRIVATE maestro::options)
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "${name}"
    LIBRARY_OUTPUT_DIRECTORY "${SKILL_OUTPUT_DIR}"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${version_script}")
  target_compile_options(${name} PRIVATE $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>)
  target_link_options(${name} PRIVATE
    "LINKER:--version-script=${version_script}"
    "LINKER:-z,defs")

  foreach(kind MANIFEST SKILL_MD)
    if(SKILL_${kind})
      get_filename_component(source "${SKILL_${kind}}" ABSOLUTE)
      if(kind STREQUAL "MANIFEST")
        set(destination "${SKILL_OUTPUT_DIR}/manifest.json")
      else()
        set(destination "${SKILL_OUTPUT_DIR}/skill.md")
      endif()
      add_custom_command(TARGET ${name} POST_BUILD
        COMMAND ${CMAKE_COMMAND} -E copy_if_different "${source}" "${destination}"
        VERBATIM)
      set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${source}")
    endif()
  endforeach()
  set_property(TARGET ${name} PROPERTY MAESTRO_SKILL_DIR "${SKILL_OUTPUT_DIR}")

  if(SKILL_INSTALL)
    set(destination "${CMAKE_INSTALL_DATADIR}/maestro/skills/${name}")
    install(TARGETS ${name} LIBRARY DESTINATION "${destination}" COMPONENT skills)
    if(SKILL_MANIFEST)
      install(FILES "${SKILL_MANIFEST}" DESTINATION "${destination}" RENAME manifest.json
        COMPONENT skills)
    endif()
    if(SKILL_SKILL_MD)
      install(FILES "${SKILL_SKILL_MD}" DESTINATION "${destination}" RENAME skill.md
        COMPONENT skills)
    endif()
  endif()
endfunction()
