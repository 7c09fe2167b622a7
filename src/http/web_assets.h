#pragma once
// The web console's files (web/console/...) and Chart.js (vendor/chart.min.js),
// compiled into the binary by cmake/embed_web.cmake so that `o2c serve` needs
// no files beside it and the pages load nothing from elsewhere.
#include <string_view>
#include <vector>

namespace o2c::http {

struct WebAsset {
  std::string_view path;  // below web/: "console/index.html", "vendor/chart.min.js"
  std::string_view content;
};

const std::vector<WebAsset>& embedded_web_assets();

}  // namespace o2c::http
