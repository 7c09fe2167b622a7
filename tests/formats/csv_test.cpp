#include "formats/csv/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace o2c::csv {
namespace {

using Fields = std::vector<std::string>;

std::vector<Fields> fields_of(const Parsed& p) {
  std::vector<Fields> out;
  for (const auto& r : p.records) out.push_back(r.fields);
  return out;
}

std::vector<size_t> lines_of(const Parsed& p) {
  std::vector<size_t> out;
  for (const auto& r : p.records) out.push_back(r.line);
  return out;
}

TEST(Csv, PlainFieldsWithLfOrCrlf) {
  for (std::string eol : {"\n", "\r\n", "\r"}) {
    SCOPED_TRACE(eol == "\n" ? "LF" : eol == "\r\n" ? "CRLF" : "CR");
    auto p = parse("a,b,c" + eol + "1,,3" + eol);
    ASSERT_TRUE(p.ok()) << p.error->message;
    EXPECT_EQ(fields_of(p), (std::vector<Fields>{{"a", "b", "c"}, {"1", "", "3"}}));
    EXPECT_EQ(lines_of(p), (std::vector<size_t>{1, 2}));
  }
}

TEST(Csv, LastLineWithoutBreakAndTrailingEmptyField) {
  auto p = parse("a,b\n1,");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(fields_of(p), (std::vector<Fields>{{"a", "b"}, {"1", ""}}));
}

TEST(Csv, EmptyInputHasNoRecordsAndEmptyLinesAreOneEmptyField) {
  EXPECT_TRUE(parse("").records.empty());
  EXPECT_TRUE(parse("\xEF\xBB\xBF").records.empty());
  auto p = parse("a\n\nb\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(fields_of(p), (std::vector<Fields>{{"a"}, {""}, {"b"}}));
  EXPECT_EQ(lines_of(p), (std::vector<size_t>{1, 2, 3}));
}

TEST(Csv, QuotedFieldsHoldCommasDoubledQuotesAndLineBreaks) {
  auto p = parse("ref,note\r\n\"A,1\",\"say \"\"hi\"\"\"\r\n\"B\",\"two\r\nlines\nthree\"\r\nC,\"\"\r\n");
  ASSERT_TRUE(p.ok()) << p.error->message;
  EXPECT_EQ(fields_of(p),
            (std::vector<Fields>{{"ref", "note"}, {"A,1", "say \"hi\""}, {"B", "two\r\nlines\nthree"}, {"C", ""}}));
  // A record starts on the line of its first byte; breaks inside quotes count.
  EXPECT_EQ(lines_of(p), (std::vector<size_t>{1, 2, 3, 6}));
}

TEST(Csv, ByteOrderMarkIsDroppedOnlyAtTheStart) {
  auto p = parse("\xEF\xBB\xBForder_ref,sku\nx,\xEF\xBB\xBFy\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.records[0].fields[0], "order_ref");
  EXPECT_EQ(p.records[1].fields[1], "\xEF\xBB\xBFy");
}

TEST(Csv, Utf8IsKept) {
  auto p = parse("name\nMüller Straße 5 — 東京\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.records[1].fields[0], "Müller Straße 5 — 東京");
}

struct Bad {
  const char* name;
  std::string text;
  const char* code;
  size_t line;
};

class CsvRefuses : public ::testing::TestWithParam<Bad> {};

TEST_P(CsvRefuses, WithCodeAndLine) {
  const auto& c = GetParam();
  auto p = parse(c.text);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error->code, c.code);
  EXPECT_EQ(p.error->line, c.line);
  EXPECT_NE(p.error->message.find("line " + std::to_string(c.line)), std::string::npos) << p.error->message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CsvRefuses,
    ::testing::Values(Bad{"nul", std::string("a,b\n1,2\n3,\0\n", 12), "nul_byte", 3},
                      Bad{"nul_in_quotes", std::string("a\n\"x\n\0\"\n", 8), "nul_byte", 3},
                      Bad{"unterminated", "a,b\n1,2\n3,\"open\n4,5\n6,7\n", "unterminated_quote", 3},
                      Bad{"unterminated_at_end", "a\n\"", "unterminated_quote", 2},
                      Bad{"stray_quote", "a,b\n1,x\"y\n", "stray_quote", 2},
                      Bad{"text_after_quote", "a,b\n\"1\"x,2\n", "text_after_quote", 2},
                      Bad{"latin1", "name\nM\xFCller\n", "invalid_utf8", 2},
                      Bad{"overlong", "name\n\xC0\xAF\n", "invalid_utf8", 2},
                      Bad{"surrogate", "name\n\xED\xA0\x80\n", "invalid_utf8", 2},
                      Bad{"truncated", "name\r\nab\xE2\x82", "invalid_utf8", 2}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Csv, ErrorKeepsTheRecordsBeforeIt) {
  auto p = parse("a\nb\n\"c\n");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(fields_of(p), (std::vector<Fields>{{"a"}, {"b"}}));
}

TEST(Csv, FormatQuotesOnlyWhatMustBeAndParsesBack) {
  EXPECT_EQ(format_record({"a", "b c", ""}), "a,b c,\n");
  EXPECT_EQ(format_record({"x,y", "say \"hi\"", "two\nlines"}), "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
  const std::vector<Fields> records = {{"order_ref", "sku"}, {""}, {"\r\n", "\xEF\xBB\xBF"}, {"\"", ",", "z"}};
  std::string text;
  for (const auto& r : records) text += format_record(r);
  auto p = parse(text);
  ASSERT_TRUE(p.ok()) << p.error->message;
  EXPECT_EQ(fields_of(p), records);
  EXPECT_EQ(lines_of(p), (std::vector<size_t>{1, 2, 3, 5}));
}

}  // namespace
}  // namespace o2c::csv
