# Writes a C++ file holding every migrations/NNNN_name.sql as a string.
file(GLOB files ${MIGRATIONS_DIR}/*.sql)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME)
  string(REGEX MATCH "^[0-9]+" version ${name})
  math(EXPR version "${version} + 0")
  file(READ ${f} sql)
  string(APPEND body "    {${version}, \"${name}\", R\"o2c_sql(${sql})o2c_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from migrations/*.sql by cmake/embed_migrations.cmake. Do not edit.
#include \"store/migrate.h\"
namespace o2c::store {
const std::vector<Migration>& embedded_migrations() {
  static const std::vector<Migration> all = {
${body}  };
  return all;
}
}  // namespace o2c::store
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
