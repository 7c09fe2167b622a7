// A large camt file is read a piece at a time and its lines handed to a
// sink as they come (formats/bank/camt.cpp, "Reading in pieces"). The
// promise: the sink ends up with exactly parse_camt's lines, the result with
// its statements, warnings and errors; and when the pieces do not stand for
// the whole, the sink is told to discard what it had and gets it all again.
// Each test reads the same text both ways, in pieces far smaller than the
// default so that small documents have many.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "camt_test_support.h"
#include "formats/bank/camt_writer.h"
#include "formats/bank/internal.h"
#include "formats/bank/statement.h"

namespace o2c::formats::bank {
namespace {

using namespace camt_testing;
using detail::CamtReadOptions;
using detail::CamtStreamInfo;
using detail::CamtStreamOptions;
using detail::parse_camt_with;
using detail::read_camt_with;

constexpr CamtStreamOptions kSmallPieces{0, 4096};

// What a sink received, statement by statement, checked as it comes.
class Collect final : public LineSink {
 public:
  std::vector<Statement> got;
  int discards = 0;
  int calls = 0;
  void lines(size_t statement, const Statement& header, std::vector<Line>&& lines) override {
    ++calls;
    EXPECT_TRUE(header.lines.empty()) << "a header handed over with its lines";
    if (statement == got.size()) {
      got.push_back(header);
    } else {
      ASSERT_EQ(statement + 1, got.size()) << "statement " << statement << " out of order";
    }
    auto& to = got.back().lines;
    to.insert(to.end(), std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
  }
  void discard() override {
    ++discards;
    got.clear();
  }
};

struct Both {
  Result<ParsedFile> pieces = Error::internal("not read");  // the result, the sink's lines put back in
  Result<ParsedFile> whole = Error::internal("not read");
  CamtStreamInfo info;
  Collect sink;
};

void read_both(const std::string& xml, Both& b, const CamtStreamOptions& options = kSmallPieces) {
  b.pieces = read_camt_with(xml, b.sink, options, &b.info);
  b.whole = parse_camt_with(xml, CamtReadOptions{SIZE_MAX}, nullptr);
  EXPECT_EQ(b.info.discarded, b.sink.discards == 1);
  EXPECT_LE(b.sink.discards, 1);
  if (!b.pieces.ok()) return;
  ASSERT_EQ(b.sink.got.size(), b.pieces->statements.size());
  for (size_t i = 0; i < b.sink.got.size(); ++i) {
    EXPECT_TRUE(b.pieces->statements[i].lines.empty()) << "the result kept statement " << i + 1 << "'s lines";
    b.pieces->statements[i].lines = std::move(b.sink.got[i].lines);
  }
}

void expect_same_result(const Both& b) { expect_same_outcome(b.pieces, b.whole); }

TEST(CamtStream, ALargeStatementIsReadInPiecesAndIsTheSame) {
  const std::string xml = write_camt053("MSG-STREAM", "2026-03-31", {statement("S-1", 3000, 0)});
  Both b;
  read_both(xml, b);
  EXPECT_TRUE(b.info.streamed);
  EXPECT_FALSE(b.info.discarded);
  EXPECT_GT(b.info.pieces, xml.size() / 8192);
  EXPECT_EQ(b.sink.calls, static_cast<int>(b.info.pieces));
  ASSERT_TRUE(b.whole.ok()) << b.whole.error().message;
  expect_same_result(b);
  ASSERT_EQ(b.pieces->statements[0].lines.size(), 3000u);
  EXPECT_EQ(b.pieces->statements[0].lines[2999].source_path, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[3000]");
  EXPECT_EQ(b.pieces->statements[0].lines[2999].bank_reference, "BR2999");
  EXPECT_EQ(b.pieces->statements[0].message_id, "MSG-STREAM");
}

TEST(CamtStream, SmallFilesAreReadWholeAndHandedOver) {
  const std::string xml = write_camt053("M", "2026-03-31", {statement("S-1", 20, 0)});
  Both b;
  read_both(xml, b, CamtStreamOptions{});
  EXPECT_FALSE(b.info.streamed);
  EXPECT_EQ(b.info.pieces, 0u);
  EXPECT_EQ(b.sink.calls, 1);
  expect_same_result(b);
}

// Statements before the one the pieces run through are read whole from the
// first piece; one after it from the last. Every statement reaches the sink
// in order, even one without lines.
TEST(CamtStream, StatementsBeforeAndAfterTheCutOnesAreHandedOverInOrder) {
  auto empty = statement("S-0", 0, 0);
  const std::string xml = write_camt053(
      "M", "2026-03-31", {statement("S-1", 3, 0), empty, statement("S-2", 2000, 3), statement("S-3", 1, 2003)});
  Both b;
  read_both(xml, b);
  EXPECT_TRUE(b.info.streamed);
  EXPECT_GT(b.info.pieces, 3u);
  ASSERT_TRUE(b.whole.ok()) << b.whole.error().message;
  expect_same_result(b);
  ASSERT_EQ(b.pieces->statements.size(), 4u);
  EXPECT_EQ(b.pieces->statements[1].lines.size(), 0u);
  EXPECT_EQ(b.pieces->statements[3].statement_id, "S-3");
  EXPECT_EQ(b.pieces->statements[3].lines.at(0).source_path, "/Document/BkToCstmrStmt/Stmt[4]/Ntry[1]");
}

// A piece running from one statement into the next is no run of entries:
// the sink is told to discard, and gets everything again from a whole read.
TEST(CamtStream, APieceAcrossTwoStatementsFallsBackToAWholeRead) {
  const std::string xml =
      write_camt053("M", "2026-03-31", {statement("S-1", 600, 0), statement("S-2", 600, 600)});
  Both b;
  read_both(xml, b);
  EXPECT_FALSE(b.info.streamed);
  EXPECT_TRUE(b.info.discarded);
  ASSERT_TRUE(b.whole.ok()) << b.whole.error().message;
  expect_same_result(b);
  ASSERT_EQ(b.pieces->statements.size(), 2u);
  EXPECT_EQ(b.pieces->statements[1].lines.size(), 600u);
}

// Header elements after the entries, the group header at the end, comments
// and CDATA holding entry tags: whatever the pieces make of it, the result
// is the whole read's.
TEST(CamtStream, FreeElementOrderCommentsAndCdataAreTheSame) {
  for (int n : {3, 40, 200}) {
    SCOPED_TRACE(n);
    Both b;
    read_both(odd_document(n), b);
    ASSERT_TRUE(b.whole.ok()) << b.whole.error().message;
    expect_same_result(b);
  }
}

// Comments and processing instructions between entries are nothing to the
// pieces; text between them is (a fragment would keep it): read whole.
TEST(CamtStream, CommentsBetweenEntriesStreamButStrayTextDoesNot) {
  std::string xml = write_camt053("M", "2026-03-31", {statement("S-1", 400, 0)});
  // After every third entry only: a cut needs an entry right after an entry.
  std::string commented = xml;
  int n = 0;
  for (size_t at = commented.find("</Ntry>"); at != std::string::npos; at = commented.find("</Ntry>", at + 1)) {
    if (++n % 3 == 0) commented.insert(at + 7, "<!-- seen --><?note x?>");
  }
  Both c;
  read_both(commented, c);
  EXPECT_TRUE(c.info.streamed);
  expect_same_result(c);

  std::string texted = xml;
  texted.insert(texted.find("</Ntry>", xml.size() / 2) + 7, "stray");
  Both t;
  read_both(texted, t);
  EXPECT_FALSE(t.info.streamed);
  expect_same_result(t);
}

TEST(CamtStream, BadXmlAnywhereIsTheWholeDocumentsError) {
  const std::string good = write_camt053("M", "2026-03-31", {statement("S-1", 1000, 0)});
  std::vector<std::string> bad;
  for (size_t frac : {5, 2}) {  // first piece, a middle one
    std::string x = good;
    x.replace(x.find("</Ustrd>", x.size() / frac), 8, "</Ustrdx>");
    bad.push_back(x);
  }
  bad.push_back(good.substr(0, good.size() * 3 / 4));  // cut off
  std::string tail = good;
  tail.replace(tail.rfind("</BkToCstmrStmt>"), 16, "</BkToCstmrRpt>");
  bad.push_back(tail);
  std::string attr = good;
  attr.replace(attr.find("<AcctSvcrRef>BR799</AcctSvcrRef>"), 13, "<AcctSvcrRef x>");
  bad.push_back(attr);
  for (size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE(i);
    Both b;
    read_both(bad[i], b);
    ASSERT_FALSE(b.whole.ok());
    EXPECT_EQ(b.whole.error().code, "invalid_xml");
    expect_same_result(b);
  }
}

// A bad entry late in the file (an amount with a decimal too many): the
// same path-located error as the whole read, after lines were handed over.
TEST(CamtStream, ABadEntryLateInTheFileIsTheSameError) {
  std::string xml = write_camt053("M", "2026-03-31", {statement("S-1", 1000, 0)});
  const size_t at = xml.find("<Ntry><Amt Ccy=\"EUR\">", xml.find("BR900<"));
  ASSERT_NE(at, std::string::npos);
  xml.insert(at + 21, "1.001");
  Both b;
  read_both(xml, b);
  EXPECT_GT(b.sink.calls, 1);
  ASSERT_FALSE(b.whole.ok());
  EXPECT_EQ(b.whole.error().field, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[902]/Amt");
  expect_same_result(b);
}

// Warnings come in file order and stop at kMaxWarnings, as in one read.
TEST(CamtStream, WarningsAreTheSameAndCapped) {
  std::string xml = write_camt053("M", "2026-03-31", {statement("S-1", 600, 0)});
  for (size_t at = xml.find("<Sts>"); at != std::string::npos; at = xml.find("<Sts>", at + 1)) {
    const size_t end = xml.find("</Sts>", at);
    xml.erase(at, end + 6 - at);  // "no Sts; taken as booked"
  }
  Both b;
  read_both(xml, b);
  EXPECT_TRUE(b.info.streamed);
  ASSERT_TRUE(b.whole.ok()) << b.whole.error().message;
  EXPECT_EQ(b.whole->warnings.size(), kMaxWarnings + 1);
  expect_same_result(b);
}

TEST(CamtStream, DocumentsInAnotherEncodingAreReadWhole) {
  std::string xml = write_camt053("M", "2026-03-31", {statement("S-1", 200, 0)});
  xml.replace(xml.find("encoding=\"UTF-8\""), 16, "encoding=\"ISO-8859-1\"");
  Both b;
  read_both(xml, b);
  EXPECT_FALSE(b.info.streamed);
  EXPECT_EQ(b.info.pieces, 0u);
  ASSERT_TRUE(b.whole.ok());
  expect_same_result(b);
}

// Every camt file of the conformance set, in pieces of 512 bytes.
TEST(CamtStream, ConformanceFilesAreTheSame) {
  int files = 0, streamed = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(kBankDir + "camt")) {
    if (!f.is_regular_file() || f.path().extension() != ".xml") continue;
    SCOPED_TRACE(f.path().string());
    Both b;
    read_both(read_file(f.path().string()), b, CamtStreamOptions{0, 512});
    expect_same_result(b);
    ++files;
    streamed += b.info.streamed;
  }
  EXPECT_GE(files, 50);
  EXPECT_GE(streamed, 5) << "of " << files;
}

}  // namespace
}  // namespace o2c::formats::bank
