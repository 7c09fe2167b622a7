// Every statement of every file under ../shared/conformance/bank, against
// the figures in expected-figures.tsv, plus the files that must be refused.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/currency.h"
#include "formats/bank/internal.h"
#include "formats/bank/statement.h"

namespace o2c::formats::bank {
namespace {

const std::string kBankDir = std::string(O2C_SOURCE_DIR) + "/../shared/conformance/bank/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<ParsedFile> parse_any(const std::string& content) {
  const Format f = sniff(content);
  if (f == Format::camt052 || f == Format::camt053 || f == Format::camt054) return parse_camt(content);
  return parse_mt940(content);
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const size_t tab = line.find('\t', pos);
    out.push_back(line.substr(pos, tab == std::string::npos ? std::string::npos : tab - pos));
    if (tab == std::string::npos) break;
    pos = tab + 1;
  }
  return out;
}

// A TSV figure ("8.850", "-27.00", "0") in minor units of `ccy`.
int64_t minor(const std::string& figure, std::string_view ccy) {
  auto r = detail::parse_amount(figure, detail::currency_exponent(ccy, nullptr), '.', true);
  EXPECT_TRUE(r.ok()) << figure << " in " << ccy;
  return r.ok() ? r.value() : 0;
}

// Where we read more than the TSV's generator did, on purpose.
const std::map<std::string, std::string> kAccountDifferences = {
    // camt.052.001.01 names the account in Acct/Id/PrtryAcct/Id, an element
    // of version 01 only; the upstream JSON beside the file has it too.
    {"bank/camt/genkgo-camt/test/data/camt052.v1.xml", "CH2801234000123456789"},
    // A :25: after a :61: holds what is plainly a mis-tagged :86: text
    // ("166?00GUTSCHRIFT..."); we keep the statement's first :25: and warn,
    // the table's generator took the last one.
    {"bank/mt940/svenstaro-mt940-rs/tests/data/mt940/full/betterplace/sepa_snippet_broken.sta",
     "50880050/0194787400888"},
};

TEST(BankConformance, EveryStatementOfTheExpectedFiguresTable) {
  std::ifstream tsv(kBankDir + "expected-figures.tsv");
  ASSERT_TRUE(tsv) << "missing " << kBankDir << "expected-figures.tsv";
  std::string line;
  std::getline(tsv, line);
  const auto header = split_tabs(line);
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  for (const char* c : {"file", "index", "format", "account", "currency", "opening", "entries", "sum", "closing",
                        "identity"}) {
    ASSERT_TRUE(col.count(c)) << "no column " << c;
  }

  std::map<std::string, std::vector<std::vector<std::string>>> rows_by_file;
  std::vector<std::string> order;
  while (std::getline(tsv, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto f = split_tabs(line);
    f.resize(header.size());
    if (!rows_by_file.count(f[col["file"]])) order.push_back(f[col["file"]]);
    rows_by_file[f[col["file"]]].push_back(f);
  }
  ASSERT_GT(order.size(), 50u);

  size_t checked = 0;
  for (const auto& file : order) {
    SCOPED_TRACE(file);
    const std::string content = read_file(kBankDir + file.substr(5));  // the table's paths start "bank/"
    ASSERT_FALSE(content.empty()) << "cannot read " << file;
    auto parsed = parse_any(content);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const auto& rows = rows_by_file[file];
    EXPECT_EQ(parsed->statements.size(), rows.size());
    for (const auto& r : rows) {
      const size_t index = std::stoul(r[col["index"]]);
      SCOPED_TRACE("statement " + std::to_string(index));
      ASSERT_GE(index, 1u);
      ASSERT_LE(index, parsed->statements.size());
      const Statement& s = parsed->statements[index - 1];

      const std::string& format = r[col["format"]];
      const std::string name = format_name(s.format);
      EXPECT_EQ(format.substr(0, name.size()), name) << "format " << format;

      auto diff = kAccountDifferences.find(file);
      EXPECT_EQ(s.account, diff != kAccountDifferences.end() ? diff->second : r[col["account"]]);
      EXPECT_EQ(s.currency, r[col["currency"]]);

      const std::string& opening = r[col["opening"]];
      if (opening.empty()) {
        EXPECT_FALSE(s.opening.has_value());
      } else {
        EXPECT_TRUE(s.opening.has_value()) << "opening " << opening;
        if (s.opening) EXPECT_EQ(s.opening->amount_minor, minor(opening, s.opening->currency)) << "opening " << opening;
      }
      const std::string& closing = r[col["closing"]];
      if (closing.empty()) {
        EXPECT_FALSE(s.closing.has_value());
      } else {
        EXPECT_TRUE(s.closing.has_value()) << "closing " << closing;
        if (s.closing) EXPECT_EQ(s.closing->amount_minor, minor(closing, s.closing->currency)) << "closing " << closing;
      }

      // The table counts and sums booked entries (camt PDNG/INFO ones are
      // left out) and an MT942's interim lines; statement.h marks those not
      // booked (booked_sum_minor() is 0 there), so they are added up here.
      size_t entries = 0;
      int64_t sum = 0;
      for (const auto& l : s.lines) {
        if (l.booked || s.format == Format::mt942) {
          ++entries;
          sum += l.amount_minor;
        }
      }
      EXPECT_EQ(entries, std::stoul(r[col["entries"]]));
      if (s.format != Format::mt942) EXPECT_EQ(sum, s.booked_sum_minor());
      // Figures are in the currency of the amounts they add up (one test file
      // has EUR entries in a JPY statement).
      const std::string_view sum_ccy = s.lines.empty() ? std::string_view(s.currency) : s.lines[0].currency;
      EXPECT_EQ(sum, minor(r[col["sum"]], sum_ccy)) << "sum " << r[col["sum"]];

      const std::string& identity = r[col["identity"]];
      if (identity == "OK") {
        EXPECT_EQ(s.balances(), std::optional<bool>(true));
      } else if (identity == "MISMATCH") {
        EXPECT_EQ(s.balances(), std::optional<bool>(false));
      } else {
        EXPECT_EQ(identity, "n/a");
        EXPECT_EQ(s.balances(), std::nullopt);
      }
      if (col.count("opening_tag") && !r[col["opening_tag"]].empty() && s.opening) {
        EXPECT_EQ(s.opening->kind, r[col["opening_tag"]]);
      }
      if (col.count("closing_tag") && !r[col["closing_tag"]].empty() && s.closing) {
        EXPECT_EQ(s.closing->kind, r[col["closing_tag"]]);
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 150u);
}

void expect_refused(const std::string& rel, std::string_view needle) {
  SCOPED_TRACE(rel);
  const std::string content = read_file(kBankDir + rel);
  auto parsed = parse_any(content);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().kind, ErrorKind::malformed);
  EXPECT_FALSE(parsed.error().field.empty());
  EXPECT_NE(parsed.error().message.find(needle), std::string::npos) << parsed.error().message;
}

TEST(BankConformance, CamtWithoutStatementIsRefused) {
  expect_refused("camt/genkgo-camt/test/data/camt053.v2.wrong.xml", "/Document/BkToCstmrStmt: no Stmt");
}

TEST(BankConformance, Mt940WithoutAnyTagIsRefused) {
  expect_refused("mt940/svenstaro-mt940-rs/tests/data/mt940/special-cases/invalid_statement.sta",
                 "no MT940 statement found");
}

TEST(BankConformance, EmptyMt942IsRefused) {
  expect_refused("mt940/svenstaro-mt940-rs/tests/data/mt942/full/cmxl/mt942_1.sta", "empty file");
}

}  // namespace
}  // namespace o2c::formats::bank
