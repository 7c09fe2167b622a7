#include "domain/collections/statement.h"

#include <algorithm>

namespace o2c::collections {

Result<Statement> build_statement(std::vector<Movement> movements, Date from, Date to) {
  if (from > to) return Error::invalid("invalid_range", "from is after to", "from");
  std::sort(movements.begin(), movements.end(), [](const Movement& a, const Movement& b) {
    if (a.date != b.date) return a.date < b.date;
    return a.seq < b.seq;
  });
  Statement s;
  s.from = from;
  s.to = to;
  for (const auto& m : movements) {
    if (m.date > to) break;
    if (m.date < from) {
      s.opening_minor += m.amount_minor;
      continue;
    }
    const int64_t before = s.lines.empty() ? s.opening_minor : s.lines.back().balance_minor;
    s.lines.push_back({m, before + m.amount_minor});
  }
  s.closing_minor = s.lines.empty() ? s.opening_minor : s.lines.back().balance_minor;
  return s;
}

}  // namespace o2c::collections
