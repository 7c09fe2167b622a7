// A large camt document is parsed as two halves on two threads
// (formats/bank/camt.cpp, "Reading a large document as two halves"). The
// promise: the same ParsedFile, field for field, and the same error, as one
// parse of the whole text. Each test reads the same text both ways.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "camt_test_support.h"
#include "formats/bank/camt_writer.h"
#include "formats/bank/internal.h"
#include "formats/bank/statement.h"

namespace o2c::formats::bank {
namespace {

using detail::CamtReadInfo;
using detail::CamtReadOptions;
using detail::parse_camt_with;
using namespace camt_testing;

// The split tried on any size (the default waits for a few MB).
constexpr CamtReadOptions kAlwaysTry{0};
constexpr CamtReadOptions kNever{SIZE_MAX};

struct Both {
  Result<ParsedFile> split;
  Result<ParsedFile> whole;
  bool was_split = false;
};

Both parse_both(const std::string& xml, const CamtReadOptions& options = kAlwaysTry) {
  CamtReadInfo info;
  auto split = parse_camt_with(xml, options, &info);
  CamtReadInfo whole_info;
  auto whole = parse_camt_with(xml, kNever, &whole_info);
  EXPECT_FALSE(whole_info.split);
  return {std::move(split), std::move(whole), info.split};
}

void expect_same_result(const Both& b) { expect_same_outcome(b.split, b.whole); }

// A generated statement of the size the split is meant for (over the
// default threshold), read with the default options.
TEST(CamtSplit, LargeGeneratedStatementIsTheSameBothWays) {
  const std::string xml = write_camt053("MSG-SPLIT", "2026-03-31", {statement("S-1", 20000, 0)});
  ASSERT_GE(xml.size(), CamtReadOptions{}.split_min_bytes);
  const Both b = parse_both(xml, CamtReadOptions{});
  EXPECT_TRUE(b.was_split);
  ASSERT_TRUE(b.whole.ok()) << b.whole.error().message;
  expect_same_result(b);
  ASSERT_EQ(b.split->statements[0].lines.size(), 20000u);
  EXPECT_EQ(b.split->statements[0].lines[9999].source_path, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[10000]");
  EXPECT_EQ(b.split->statements[0].lines[19999].bank_reference, "BR19999");
}

TEST(CamtSplit, SmallDocumentsAreReadWhole) {
  const std::string xml = write_camt053("M", "2026-03-31", {statement("S-1", 20, 0)});
  const Both b = parse_both(xml, CamtReadOptions{});
  EXPECT_FALSE(b.was_split);
  expect_same_result(b);
}

TEST(CamtSplit, PrefixesCommentsCdataAndFreeOrderAreTheSameBothWays) {
  const std::string xml = odd_document(200);
  const Both b = parse_both(xml);
  EXPECT_TRUE(b.was_split);
  ASSERT_TRUE(b.whole.ok()) << b.whole.error().message;
  expect_same_result(b);
  const auto& s2 = b.split->statements.at(1);
  EXPECT_EQ(s2.statement_id, "STMT-2");
  EXPECT_EQ(s2.message_id, "LATE-HEADER");
  EXPECT_EQ(s2.account, "DE89370400440532013000");
  EXPECT_EQ(s2.to_date, "2026-03-31");
  ASSERT_EQ(s2.lines.size(), 200u);
  EXPECT_EQ(s2.lines[150].source_path, "/Document/BkToCstmrStmt/Stmt[2]/Ntry[151]");
  EXPECT_EQ(s2.lines[150].bank_reference, "R&350");
  EXPECT_EQ(s2.lines[150].details[0].remittance, "Inv <350> & </c:Ntry> <Ntry> next");
}

// A cut the text search finds inside a comment: pugixml's check refuses it
// and the document is read whole.
TEST(CamtSplit, ACutInsideACommentIsNotTaken) {
  std::string xml = odd_document(4);
  const size_t stmt2 = xml.find("<c:Stmt>", xml.find("<c:Stmt>") + 1);
  ASSERT_NE(stmt2, std::string::npos);
  xml.insert(stmt2, std::string(xml.size(), ' ') + "<!-- </c:Ntry> <c:Ntry> -->");
  const Both b = parse_both(xml);
  EXPECT_FALSE(b.was_split);
  ASSERT_TRUE(b.whole.ok()) << b.whole.error().message;
  expect_same_result(b);
}

// The error of a malformed second half is the whole document's: same code,
// message and line.
TEST(CamtSplit, MalformedSecondHalfIsRefusedWithTheWholeDocumentsLine) {
  auto doc = statement("S-1", 1000, 0);
  std::string xml = write_camt053("M", "2026-03-31", {doc});
  // One entry per line (camt_writer): the 800th entry's line, its Amt broken.
  const size_t at = xml.find("<AcctSvcrRef>BR799</AcctSvcrRef>");
  ASSERT_NE(at, std::string::npos);
  ASSERT_GT(at, xml.size() / 2);
  xml.replace(at, 13, "<AcctSvcrRef x>");
  int line = 1;
  for (size_t i = 0; i < at; ++i) line += xml[i] == '\n';
  CamtReadInfo info;
  const auto r = parse_camt_with(xml, kAlwaysTry, &info);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_xml");
  EXPECT_EQ(r.error().field, "line " + std::to_string(line));
  EXPECT_EQ(r.error().message.rfind("line " + std::to_string(line) + ": not well-formed XML", 0), 0u)
      << r.error().message;
  expect_same_result(parse_both(xml));
}

TEST(CamtSplit, MalformedFirstHalfAndTruncatedDocumentsAreTheSameBothWays) {
  const std::string good = write_camt053("M", "2026-03-31", {statement("S-1", 1000, 0)});
  std::string first = good;
  first.replace(first.find("</Ustrd>", first.size() / 4), 8, "</Ustrdx>");
  const Both b1 = parse_both(first);
  ASSERT_FALSE(b1.whole.ok());
  expect_same_result(b1);
  // Cut off in the second half: unclosed elements at the end.
  const Both b2 = parse_both(good.substr(0, good.size() * 3 / 4));
  ASSERT_FALSE(b2.whole.ok());
  expect_same_result(b2);
  // The end tags of the document's three outer elements wrong.
  std::string tail = good;
  tail.replace(tail.rfind("</BkToCstmrStmt>"), 16, "</BkToCstmrRpt>");
  const Both b3 = parse_both(tail);
  ASSERT_FALSE(b3.whole.ok());
  expect_same_result(b3);
}

// A bad entry (not bad XML) in the second half: the same path-located error,
// and a bad balance after the entries still comes after them.
TEST(CamtSplit, BadEntryInTheSecondHalfIsTheSameError) {
  std::string xml = write_camt053("M", "2026-03-31", {statement("S-1", 1000, 0)});
  const size_t at = xml.find("<Ntry><Amt Ccy=\"EUR\">", xml.find("BR900<"));
  ASSERT_NE(at, std::string::npos);
  xml.insert(at + 21, "1.001");
  const Both b = parse_both(xml);
  EXPECT_TRUE(b.was_split);
  ASSERT_FALSE(b.whole.ok());
  EXPECT_EQ(b.whole.error().field, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[902]/Amt");
  expect_same_result(b);
}

// pugixml converts an ISO 8859-1 document as a whole; halves would not.
TEST(CamtSplit, DocumentsInAnotherEncodingAreReadWhole) {
  std::string xml = write_camt053("M", "2026-03-31", {statement("S-1", 200, 0)});
  xml.replace(xml.find("encoding=\"UTF-8\""), 16, "encoding=\"ISO-8859-1\"");
  const Both b = parse_both(xml);
  EXPECT_FALSE(b.was_split);
  ASSERT_TRUE(b.whole.ok());
  expect_same_result(b);
}

// Every camt file of the conformance set, the split tried whatever its size.
TEST(CamtSplit, ConformanceFilesAreTheSameBothWays) {
  int files = 0, split = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(kBankDir + "camt")) {
    if (!f.is_regular_file() || f.path().extension() != ".xml") continue;
    SCOPED_TRACE(f.path().string());
    const Both b = parse_both(read_file(f.path().string()));
    expect_same_result(b);
    ++files;
    split += b.was_split;
  }
  EXPECT_GE(files, 50);
  // The real Belgian statements (3 to 462 entries) are cut; the other files
  // hold at most two entries, none of them after another past the middle.
  EXPECT_GE(split, 5) << "of " << files;
}

}  // namespace
}  // namespace o2c::formats::bank
