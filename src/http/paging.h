#pragma once
// Keyset paging by integer id, the way every list of the API pages
// (API.md "Lists"): the cursor is the last id of the page; the store is
// asked for one row more than the page, and that row's existence is what
// makes next_cursor non-null.
#include <string>
#include <type_traits>

#include "http/router.h"
#include "http/views.h"
#include "store/repos.h"

namespace o2c::http {

// A row's id as a cursor: rows carry `id`, an integer or a typed id.
struct RowId {
  template <typename Row>
  std::string operator()(const Row& row) const {
    if constexpr (std::is_integral_v<std::decay_t<decltype(row.id)>>) {
      return std::to_string(row.id);
    } else {
      return row.id.to_string();
    }
  }
};

// `IdT` parses the cursor (a typed id: a cursor of another kind is 400
// invalid_cursor). `fetch(uow, PageRequest{after, limit + 1})` returns rows
// in ascending id; `render(row)` is a row's JSON; `key_of(row)` its cursor.
template <typename IdT, typename Fetch, typename Render, typename KeyOf = RowId>
Result<Reply> list_by_id(Request& req, Fetch fetch, Render render, KeyOf key_of = {}) {
  O2C_ASSIGN_OR_RETURN(auto page, req.page());
  store::PageRequest pr{0, page.limit + 1};
  if (page.after) {
    auto id = IdT::parse(*page.after);
    if (!id) return Error::malformed("invalid_cursor", "the cursor is not one this server issued", "cursor");
    pr.after = id->value();
  }
  return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
    auto rows = fetch(uow, pr);
    std::optional<std::string> next;
    if (static_cast<int>(rows.size()) > page.limit) {
      rows.pop_back();
      next = key_of(rows.back());
    }
    json data = json::array();
    for (const auto& row : rows) data.push_back(render(row));
    return Reply::ok(page_json(std::move(data), next));
  });
}

}  // namespace o2c::http
