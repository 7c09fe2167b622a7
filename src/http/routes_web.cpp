// The web pages and files, embedded in the binary (web_assets.h): `/` is
// the console's page, `/portal` the customer portal's, `/assets/{path}` any
// file below web/. Every
// answer carries the security headers of web.h; each file has an ETag, so a
// browser revalidates (Cache-Control: no-cache) and an unchanged file costs
// a 304 without body, while a new binary's files are used at once.
#include <map>

#include "http/routes.h"
#include "http/web.h"
#include "http/web_assets.h"
#include "security/crypto.h"

namespace o2c::http {
namespace {

struct File {
  std::string_view content;
  std::string content_type;
  std::string etag;
};

const std::map<std::string, File, std::less<>>& files() {
  static const auto* all = [] {
    auto* m = new std::map<std::string, File, std::less<>>();
    for (const auto& a : embedded_web_assets()) {
      (*m)[std::string(a.path)] = File{a.content, std::string(web::content_type_for(a.path)),
                                       "\"" + security::sha256_hex(a.content).substr(0, 32) + "\""};
    }
    return m;
  }();
  return *all;
}

// Whether the If-None-Match header (`"a", W/"b"` or `*`) names this ETag.
bool not_modified(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    if_none_match = comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);  // weak comparison suffices for GET
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

Result<Reply> serve_file(const Request& req, const std::string& path) {
  auto it = files().find(path);
  if (it == files().end()) return Error::not_found("asset_not_found", "no file '" + path + "'");
  const File& f = it->second;
  Reply rep;
  rep.content_type = f.content_type;
  rep.headers = {{"Content-Security-Policy", std::string(web::kContentSecurityPolicy)},
                 {"X-Content-Type-Options", "nosniff"},
                 {"Referrer-Policy", "no-referrer"},
                 {"Cache-Control", "no-cache"},
                 {"ETag", f.etag}};
  if (not_modified(req.raw().get_header_value("If-None-Match"), f.etag)) {
    rep.status = 304;
    return rep;
  }
  rep.raw = std::string(f.content);
  return rep;
}

}  // namespace

void add_web_routes(Router& r) {
  json html = {{"responses",
                {{"200", {{"description", "the page"}, {"content", {{"text/html", {{"schema", {{"type", "string"}}}}}}}}},
                 {"304", {{"description", "unchanged since the ETag sent in If-None-Match"}}}}}};
  r.add({"GET", "/", {}, false, false,
         "The web console (sign-in, dashboard); its scripts call this API with the session cookie", {}, {}, {},
         200, [](Request& req) { return serve_file(req, "console/index.html"); }, html});

  r.add({"GET", "/portal", {}, false, false,
         "The customer portal (a portal user's invoices, statement, disputes and card payments); its scripts call "
         "this API with the session cookie",
         {}, {}, {}, 200, [](Request& req) { return serve_file(req, "portal/index.html"); }, html});

  json asset = {{"responses",
                 {{"200", {{"description", "the file, with its Content-Type"}}},
                  {"304", {{"description", "unchanged since the ETag sent in If-None-Match"}}},
                  {"404", {{"description", "no such file"},
                           {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}};
  Route files_route{"GET", "/assets/{path}", {}, false, false,
                    "A file of the web console (scripts, styles, Chart.js); path may hold '/' "
                    "(console/app.js, vendor/chart.min.js)",
                    {}, {}, {}, 200, [](Request& req) { return serve_file(req, req.param(0)); }, asset};
  files_route.rest_of_path = true;
  r.add(std::move(files_route));
}

}  // namespace o2c::http
