#include "formats/bank/camt_writer.h"

#include <cstdio>

#include "core/currency.h"
#include "core/decimal.h"

namespace o2c::formats::bank {
namespace {

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

int exponent_of(std::string_view currency) {
  auto c = Currency::of(currency);
  return c ? c->exponent() : 2;
}

std::string amount_text(int64_t minor, std::string_view currency) {
  return format_scaled(minor < 0 ? -minor : minor, exponent_of(currency));
}

std::string balance(const char* code, int64_t minor, std::string_view currency, const std::string& date) {
  return "<Bal><Tp><CdOrPrtry><Cd>" + std::string(code) + "</Cd></CdOrPrtry></Tp><Amt Ccy=\"" +
         std::string(currency) + "\">" + amount_text(minor, currency) + "</Amt><CdtDbtInd>" +
         (minor < 0 ? "DBIT" : "CRDT") + "</CdtDbtInd><Dt><Dt>" + date + "</Dt></Dt></Bal>\n";
}

}  // namespace

std::string camt053_document_head(std::string_view message_id, std::string_view created_date) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>)" + xml_escape(message_id) + "</MsgId><CreDtTm>" + std::string(created_date) +
         "T18:00:00</CreDtTm></GrpHdr>\n";
}

std::string camt053_statement_head(const CamtStatement& s) {
  return "<Stmt><Id>" + xml_escape(s.statement_id) + "</Id><CreDtTm>" + s.created_date + "T18:00:00</CreDtTm>\n" +
         "<Acct><Id><IBAN>" + s.account_iban + "</IBAN></Id><Ccy>" + s.currency + "</Ccy></Acct>\n" +
         balance("OPBD", s.opening_minor, s.currency, s.opening_date) +
         balance("CLBD", s.closing_minor, s.currency, s.closing_date);
}

void camt053_append_entry(std::string& out, const CamtEntry& e, std::string_view currency) {
  const bool in = e.amount_minor > 0;
  const std::string amt = amount_text(e.amount_minor, currency);
  const std::string ccy(currency);
  const std::string domain = e.domain.empty() ? "PMNT" : e.domain;
  const std::string family = e.family.empty() ? (in ? "RCDT" : "ICDT") : e.family;
  const std::string sub = e.sub_family.empty() ? "ESCT" : e.sub_family;
  const std::string party = in ? "Dbtr" : "Cdtr";
  out += "<Ntry><Amt Ccy=\"" + ccy + "\">" + amt + "</Amt><CdtDbtInd>" + (in ? "CRDT" : "DBIT") +
         "</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>" + e.booking_date + "</Dt></BookgDt><ValDt><Dt>" +
         (e.value_date.empty() ? e.booking_date : e.value_date) + "</Dt></ValDt><AcctSvcrRef>" +
         xml_escape(e.bank_reference) + "</AcctSvcrRef><BkTxCd><Domn><Cd>" + domain + "</Cd><Fmly><Cd>" + family +
         "</Cd><SubFmlyCd>" + sub + "</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>" +
         xml_escape(e.end_to_end_id) + "</EndToEndId></Refs><Amt Ccy=\"" + ccy + "\">" + amt + "</Amt><RltdPties><" +
         party + "><Nm>" + xml_escape(e.counterparty_name) + "</Nm></" + party + ">";
  if (!e.counterparty_iban.empty()) {
    out += "<" + party + "Acct><Id><IBAN>" + e.counterparty_iban + "</IBAN></Id></" + party + "Acct>";
  }
  out += "</RltdPties><RmtInf>";
  if (!e.remittance.empty()) out += "<Ustrd>" + xml_escape(e.remittance) + "</Ustrd>";
  if (!e.structured_reference.empty()) {
    out += "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>" + xml_escape(e.structured_reference) +
           "</Ref></CdtrRefInf></Strd>";
  }
  out += "</RmtInf></TxDtls></NtryDtls></Ntry>\n";
}

std::string write_camt053(std::string_view message_id, std::string_view created_date,
                          const std::vector<CamtStatementWithEntries>& statements) {
  std::string out = camt053_document_head(message_id, created_date);
  for (const auto& s : statements) {
    out += camt053_statement_head(s.statement);
    for (const auto& e : s.entries) camt053_append_entry(out, e, s.statement.currency);
    out += kCamt053StatementTail;
  }
  out += kCamt053DocumentTail;
  return out;
}

std::string iban_with_check_digits(std::string_view country, std::string_view bban) {
  // MOD 97 over BBAN + country + "00", letters as 10..35, digit by digit.
  int rem = 0;
  auto feed = [&](char c) {
    if (c >= '0' && c <= '9') {
      rem = (rem * 10 + (c - '0')) % 97;
    } else {
      const int v = c - 'A' + 10;
      rem = (rem * 100 + v) % 97;
    }
  };
  for (char c : bban) feed(c);
  for (char c : country) feed(c);
  feed('0');
  feed('0');
  // rem is 0..96, so the check digits are 02..98: always two digits.
  const int digits = 98 - rem;
  const char check[3] = {static_cast<char>('0' + digits / 10), static_cast<char>('0' + digits % 10), '\0'};
  return std::string(country) + check + std::string(bban);
}

}  // namespace o2c::formats::bank
