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

#include "formats/bank/camt_writer.h"
#include "formats/bank/internal.h"
#include "formats/bank/statement.h"

namespace o2c::formats::bank {
namespace {

using detail::CamtReadInfo;
using detail::CamtReadOptions;
using detail::parse_camt_with;

const std::string kBankDir = std::string(O2C_SOURCE_DIR) + "/../shared/conformance/bank/";

// The split tried on any size (the default waits for a few MB).
constexpr CamtReadOptions kAlwaysTry{0};
constexpr CamtReadOptions kNever{SIZE_MAX};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void expect_same_balance(const std::optional<Balance>& a, const std::optional<Balance>& b, const std::string& where) {
  ASSERT_EQ(a.has_value(), b.has_value()) << where;
  if (!a) return;
  EXPECT_EQ(a->amount_minor, b->amount_minor) << where;
  EXPECT_EQ(a->date, b->date) << where;
  EXPECT_EQ(a->kind, b->kind) << where;
  EXPECT_EQ(a->currency, b->currency) << where;
}

// Every field; the first differing line stops the comparison (a broken cut
// would otherwise print a million failures).
void expect_same(const ParsedFile& a, const ParsedFile& b) {
  EXPECT_EQ(a.format, b.format);
  EXPECT_EQ(a.warnings, b.warnings);
  ASSERT_EQ(a.statements.size(), b.statements.size());
  for (size_t i = 0; i < a.statements.size(); ++i) {
    const Statement& x = a.statements[i];
    const Statement& y = b.statements[i];
    const std::string where = "statement " + std::to_string(i + 1);
    EXPECT_EQ(x.format, y.format) << where;
    EXPECT_EQ(x.message_id, y.message_id) << where;
    EXPECT_EQ(x.statement_id, y.statement_id) << where;
    EXPECT_EQ(x.account, y.account) << where;
    EXPECT_EQ(x.currency, y.currency) << where;
    EXPECT_EQ(x.from_date, y.from_date) << where;
    EXPECT_EQ(x.to_date, y.to_date) << where;
    expect_same_balance(x.opening, y.opening, where + " opening");
    expect_same_balance(x.closing, y.closing, where + " closing");
    ASSERT_EQ(x.lines.size(), y.lines.size()) << where;
    for (size_t j = 0; j < x.lines.size(); ++j) {
      const Line& l = x.lines[j];
      const Line& m = y.lines[j];
      bool same = l.amount_minor == m.amount_minor && l.booking_date == m.booking_date &&
                  l.value_date == m.value_date && l.booked == m.booked && l.reversal == m.reversal &&
                  l.bank_reference == m.bank_reference && l.customer_reference == m.customer_reference &&
                  l.transaction_code == m.transaction_code && l.source_line == m.source_line &&
                  l.source_path == m.source_path && l.currency == m.currency && l.details.size() == m.details.size();
      for (size_t k = 0; same && k < l.details.size(); ++k) {
        const Detail& d = l.details[k];
        const Detail& e = m.details[k];
        same = d.amount_minor == e.amount_minor && d.end_to_end_id == e.end_to_end_id &&
               d.structured_reference == e.structured_reference && d.remittance == e.remittance &&
               d.counterparty_name == e.counterparty_name && d.counterparty_iban == e.counterparty_iban &&
               d.counterparty_bic == e.counterparty_bic && d.mandate_id == e.mandate_id;
      }
      ASSERT_TRUE(same) << where << " line " << j + 1 << ": " << l.source_path << " vs " << m.source_path;
    }
  }
}

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

void expect_same_result(const Both& b) {
  ASSERT_EQ(b.split.ok(), b.whole.ok()) << (b.split.ok() ? b.whole.error().message : b.split.error().message);
  if (b.whole.ok()) {
    expect_same(*b.split, *b.whole);
  } else {
    EXPECT_EQ(b.split.error().code, b.whole.error().code);
    EXPECT_EQ(b.split.error().message, b.whole.error().message);
    EXPECT_EQ(b.split.error().field, b.whole.error().field);
  }
}

CamtEntry entry(int i) {
  CamtEntry e;
  e.amount_minor = (i % 7 == 3 ? -1 : 1) * (1000 + i * 37 % 100000);
  e.booking_date = "2026-03-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1);
  e.bank_reference = "BR" + std::to_string(i);
  e.end_to_end_id = i % 5 == 0 ? "NOTPROVIDED" : "E2E-" + std::to_string(i);
  e.counterparty_name = "Müller & Söhne <Rhein> GmbH " + std::to_string(i % 100);
  if (i % 3 != 0) e.counterparty_iban = iban_with_check_digits("DE", "37040044053201" + std::to_string(1000 + i % 9000));
  if (i % 2 == 0) e.structured_reference = "RF18" + std::to_string(539007547034 + i);
  if (i % 4 != 1) e.remittance = "Invoice 2026-" + std::to_string(i) + "   thanks";
  return e;
}

CamtStatementWithEntries statement(const std::string& id, int entries, int first) {
  CamtStatementWithEntries s;
  s.statement = {id, "2026-03-31", iban_with_check_digits("DE", "370400440532013000"), "EUR", 100000, "2026-03-01",
                 0, "2026-03-31"};
  for (int i = 0; i < entries; ++i) s.entries.push_back(entry(first + i));
  return s;
}

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

// Three statements, the cut in the middle one; the statement's Id, Acct and
// FrToDt after its entries, the group header after the statements (element
// order is free in what we read), prefixes, comments, CDATA and a PI inside
// entries, an escaped "<Ntry>" in a text. (An entry's end tag followed by
// another's start inside a comment is the next test's.)
std::string odd_document(int entries_per_statement) {
  std::string xml =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- exported <c:Ntry> -->\n"
      "<c:Document xmlns:c=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n<c:BkToCstmrStmt>\n";
  int n = 0;
  for (int st = 1; st <= 3; ++st) {
    xml += "<c:Stmt>\n<c:Bal><c:Tp><c:CdOrPrtry><c:Cd>OPBD</c:Cd></c:CdOrPrtry></c:Tp><c:Amt Ccy='EUR'>10.00</c:Amt>"
           "<c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Dt><c:Dt>2026-03-01</c:Dt></c:Dt></c:Bal>\n";
    for (int i = 0; i < entries_per_statement; ++i, ++n) {
      xml += "<c:Ntry>";
      if (n % 3 == 0) xml += "<!-- checked by <c:Ntry> hand </c:Ntry> -->";
      xml += "<c:Amt Ccy=\"EUR\">" + std::to_string(n + 1) + ".00</c:Amt><c:CdtDbtInd>" +
             std::string(n % 2 ? "DBIT" : "CRDT") + "</c:CdtDbtInd><c:Sts><c:Cd>BOOK</c:Cd></c:Sts>" +
             "<c:BookgDt><c:Dt>2026-03-02</c:Dt></c:BookgDt><?bank note?>" +
             "<c:AcctSvcrRef>R&amp;" + std::to_string(n) + "</c:AcctSvcrRef>" +
             "<c:NtryDtls><c:TxDtls><c:RmtInf><c:Ustrd><![CDATA[Inv <" + std::to_string(n) +
             "> & </c:Ntry> ]]></c:Ustrd><c:Ustrd>&lt;Ntry&gt; next</c:Ustrd></c:RmtInf>" +
             "<c:RltdPties><c:Dbtr><c:Pty><c:Nm>Payer " + std::to_string(n) +
             "</c:Nm></c:Pty></c:Dbtr></c:RltdPties></c:TxDtls></c:NtryDtls></c:Ntry>\n";
    }
    xml += "<c:Id>STMT-" + std::to_string(st) + "</c:Id><c:FrToDt><c:FrDtTm>2026-03-01T00:00:00</c:FrDtTm>"
           "<c:ToDtTm>2026-03-31T23:59:59</c:ToDtTm></c:FrToDt>"
           "<c:Acct><c:Id><c:IBAN>DE89 3704 0044 0532 0130 00</c:IBAN></c:Id><c:Ccy>EUR</c:Ccy></c:Acct>\n"
           "<c:Bal><c:Tp><c:CdOrPrtry><c:Cd>CLBD</c:Cd></c:CdOrPrtry></c:Tp><c:Amt Ccy='EUR'>10.00</c:Amt>"
           "<c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Dt><c:Dt>2026-03-31</c:Dt></c:Dt></c:Bal>\n</c:Stmt>\n";
  }
  xml += "<c:GrpHdr><c:MsgId>LATE-HEADER</c:MsgId></c:GrpHdr>\n</c:BkToCstmrStmt>\n</c:Document>\n<!-- end -->\n";
  return xml;
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
