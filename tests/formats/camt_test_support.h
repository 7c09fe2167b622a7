#pragma once
// What the camt reading tests share: the same document read two ways must
// give the same ParsedFile, field for field (camt_split_test: two halves;
// camt_stream_test: pieces), and the documents they read.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "formats/bank/camt_writer.h"
#include "formats/bank/statement.h"

namespace o2c::formats::bank::camt_testing {

inline const std::string kBankDir = std::string(O2C_SOURCE_DIR) + "/../shared/conformance/bank/";

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void expect_same_balance(const std::optional<Balance>& a, const std::optional<Balance>& b, const std::string& where) {
  ASSERT_EQ(a.has_value(), b.has_value()) << where;
  if (!a) return;
  EXPECT_EQ(a->amount_minor, b->amount_minor) << where;
  EXPECT_EQ(a->date, b->date) << where;
  EXPECT_EQ(a->kind, b->kind) << where;
  EXPECT_EQ(a->currency, b->currency) << where;
}

// Every field; the first differing line stops the comparison (a broken cut
// would otherwise print a million failures).
inline void expect_same(const ParsedFile& a, const ParsedFile& b) {
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

// The other reading gives what the whole read gives: the same refusal
// (code, message, field) or the same file.
inline void expect_same_outcome(const Result<ParsedFile>& other, const Result<ParsedFile>& whole) {
  ASSERT_EQ(other.ok(), whole.ok()) << (other.ok() ? whole.error().message : other.error().message);
  if (whole.ok()) {
    expect_same(*other, *whole);
  } else {
    EXPECT_EQ(other.error().code, whole.error().code);
    EXPECT_EQ(other.error().message, whole.error().message);
    EXPECT_EQ(other.error().field, whole.error().field);
  }
}

inline CamtEntry entry(int i) {
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

inline CamtStatementWithEntries statement(const std::string& id, int entries, int first) {
  CamtStatementWithEntries s;
  s.statement = {id, "2026-03-31", iban_with_check_digits("DE", "370400440532013000"), "EUR", 100000, "2026-03-01",
                 0, "2026-03-31"};
  for (int i = 0; i < entries; ++i) s.entries.push_back(entry(first + i));
  return s;
}

// Three statements, the cut in the middle one; the statement's Id, Acct and
// FrToDt after its entries, the group header after the statements (element
// order is free in what we read), prefixes, comments, CDATA and a PI inside
// entries, an escaped "<Ntry>" in a text. (An entry's end tag followed by
// another's start inside a comment is the next test's.)
inline std::string odd_document(int entries_per_statement) {
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

}  // namespace o2c::formats::bank::camt_testing
