# Turns the numbered migrations/*.sql files into a C++ source, so the server binary carries
# its schema and cannot run against a different copy of it.
# Usage: cmake -DOUTPUT=file.cpp -DFUNCTION=name -DINPUTS="a.sql|b.sql" -P embed_migrations.cmake
string(REPLACE "|" ";" INPUTS "${INPUTS}")
set(body "")
foreach(input IN LISTS INPUTS)
  get_filename_component(name "${input}" NAME_WE)
  string(REGEX MATCH "^[0-9]+" number "${name}")
  math(EXPR number "${number} + 0")
  file(READ "${input}" sql)
  string(APPEND body "    {${number}, \"${name}\", R\"maestro_sql(${sql})maestro_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
"// Generated from host/src/store/migrations by embed_migrations.cmake; do not edit.
#include \"store/Migrations.h\"

namespace maestro::host::store {

const std::vector<Migration>& ${FUNCTION}() {
    static const std::vector<Migration> kMigrations = {
${body}    };
    return kMigrations;
}

} // namespace maestro::host::store
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
