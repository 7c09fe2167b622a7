# Writes a C++ file holding every file under WEB_DIR (web/console, later
# web/portal) and Chart.js (CHARTJS, from Debian's libjs-chart.js, as
# vendor/chart.min.js) as strings, keyed by their path below web/.
# Only text files: each becomes a raw string literal.
file(GLOB_RECURSE files RELATIVE ${WEB_DIR} ${WEB_DIR}/*)
list(SORT files)
set(body "")
set(delimiter "o2c_web")
function(embed key path)
  get_filename_component(ext ${path} LAST_EXT)
  if(NOT ext MATCHES "^\\.(html|js|css|svg|json|txt)$")
    message(FATAL_ERROR "web asset ${path}: only text files (.html .js .css .svg .json .txt) are embedded")
  endif()
  file(READ ${path} content)
  string(FIND "${content}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "web asset ${path} contains the literal's delimiter )${delimiter}\"")
  endif()
  set(body "${body}    {\"${key}\", R\"${delimiter}(${content})${delimiter}\"},\n" PARENT_SCOPE)
endfunction()
foreach(f ${files})
  embed(${f} ${WEB_DIR}/${f})
endforeach()
embed(vendor/chart.min.js ${CHARTJS})
file(WRITE ${OUT}.tmp "// Generated from web/ and Chart.js by cmake/embed_web.cmake. Do not edit.
#include \"http/web_assets.h\"
namespace o2c::http {
const std::vector<WebAsset>& embedded_web_assets() {
  static const std::vector<WebAsset> all = {
${body}  };
  return all;
}
}  // namespace o2c::http
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
