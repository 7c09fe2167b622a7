// ISO 20022 camt.052 (account report), camt.053 (statement) and camt.054
// (debit/credit notification), versions 001.01 to 001.10.
//
// Elements are matched by local name, whatever the namespace prefix and
// version, and children are looked up by name rather than by position:
// real bank files are not always valid against the XSD (element order, codes
// from newer versions), and the content we need has kept its names since
// version 01 except for a few moves handled below (Sts/Cd in v8+,
// Dbtr/Pty/Nm in v8+, BICFI in v4+, TxDtls/Amt beside AmtDtls).
//
// Balances (docs/decisions.md): OPBD is the opening balance. PRCD (closing
// balance of the previous statement) is taken as the opening only when the
// statement has no OPBD: both mean the same figure when the bank sends both,
// and OPBD is the one defined as this statement's. CLBD is the closing
// balance; CLAV (closing available) is not, since it leaves out items the
// bank has booked but not yet made available.
#include <pugixml.hpp>

#include <cstring>
#include <iterator>
#include <thread>
#include <vector>
#include <string>
#include <string_view>

#include "formats/bank/internal.h"
#include "formats/bank/statement.h"

namespace o2c::formats::bank {

using detail::at_path;
using detail::trim;

namespace {

std::string_view local_name(const pugi::xml_node& n) {
  std::string_view name = n.name();
  const size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  if (!n) return {};
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}

// child(child(n, a), b)... along a path of local names.
pugi::xml_node at(pugi::xml_node n, std::initializer_list<std::string_view> names) {
  for (auto name : names) {
    n = child(n, name);
    if (!n) return {};
  }
  return n;
}

std::string_view text(const pugi::xml_node& n) { return n ? trim(n.text().get()) : std::string_view{}; }

std::string_view attr(const pugi::xml_node& n, const char* name) {
  return n ? trim(n.attribute(name).value()) : std::string_view{};
}

int line_of_offset(std::string_view xml, ptrdiff_t offset) {
  int line = 1;
  const size_t end = offset < 0 ? 0 : std::min(xml.size(), static_cast<size_t>(offset));
  for (size_t i = 0; i < end; ++i) {
    if (xml[i] == '\n') ++line;
  }
  return line;
}

class Reader {
 public:
  explicit Reader(std::string_view xml) : xml_(xml) {}
  Result<ParsedFile> run();

 private:
  Status statement(const pugi::xml_node& st, const std::string& path);
  // Reads one Ntry into `lines`, warnings into `sink` (thread-safe: reads
  // only the document and the statement's currency).
  struct Sink {
    std::vector<std::string> warnings;
    size_t dropped = 0;
    void warn(std::string what) {
      if (warnings.size() >= kMaxWarnings) {
        ++dropped;
        return;
      }
      warnings.push_back(std::move(what));
    }
  };
  Status entry(const pugi::xml_node& ntry, const std::string& path, const Statement& s, std::vector<Line>& lines,
               Sink& sink) const;
  Status entries(const std::vector<pugi::xml_node>& nodes, const std::string& path, Statement& s);
  Status balance(const pugi::xml_node& bal, const std::string& path, Statement& s, std::optional<Balance>& prcd) const;
  Result<int64_t> amount(const pugi::xml_node& amt, const std::string& path, std::string_view ccy) const;
  Result<std::string> date(const pugi::xml_node& holder, const std::string& path) const;
  Status detail_of(const pugi::xml_node& tx, const std::string& path, bool credit, std::string_view entry_ccy,
                   Detail& d) const;

  void warn(std::string what);

  std::string_view xml_;
  ParsedFile out_;
  size_t warnings_dropped_ = 0;
};

void Reader::warn(std::string what) {
  if (out_.warnings.size() >= kMaxWarnings) {
    ++warnings_dropped_;
    return;
  }
  out_.warnings.push_back(std::move(what));
}

Result<int64_t> Reader::amount(const pugi::xml_node& amt, const std::string& path, std::string_view ccy) const {
  bool known = true;
  const int exp = detail::currency_exponent(ccy, &known);
  auto r = detail::parse_amount(text(amt), exp, '.', false);
  if (!r.ok()) return at_path(path, r.error().message + " (" + std::string(ccy) + ")", r.error().code);
  return r.value();
}

// <Dt><Dt>2014-12-31</Dt></Dt> or <Dt><DtTm>2014-12-31T10:00:00</DtTm></Dt>:
// the calendar date as the bank wrote it (time and zone dropped).
Result<std::string> Reader::date(const pugi::xml_node& holder, const std::string& path) const {
  if (!holder) return std::string();
  pugi::xml_node v = child(holder, "Dt");
  std::string name = "Dt";
  if (!v) {
    v = child(holder, "DtTm");
    name = "DtTm";
  }
  if (!v) return std::string();
  std::string out;
  if (!detail::iso_date_prefix(text(v), &out)) {
    return at_path(path + "/" + name, "not a date: \"" + std::string(text(v)) + "\"", "invalid_date");
  }
  return out;
}

Result<ParsedFile> Reader::run() {
  pugi::xml_document doc;
  const pugi::xml_parse_result pr = doc.load_buffer(xml_.data(), xml_.size(), pugi::parse_default, pugi::encoding_auto);
  if (!pr) {
    const int line = line_of_offset(xml_, pr.offset);
    return detail::at_line(line, std::string("not well-formed XML: ") + pr.description(), "invalid_xml");
  }
  const pugi::xml_node root = doc.document_element();
  if (!root || local_name(root) != "Document") {
    return at_path("/", "expected a camt <Document> root element", "invalid_statement");
  }
  pugi::xml_node msg;
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c).substr(0, 9) == "BkToCstmr") {
      msg = c;
      break;
    }
  }
  if (!msg) {
    return at_path("/Document", "no camt.052, camt.053 or camt.054 message in it", "invalid_statement");
  }
  std::string_view mname = local_name(msg);
  std::string_view item;
  if (mname.substr(0, 16) == "BkToCstmrAcctRpt") {
    out_.format = Format::camt052;
    item = "Rpt";
  } else if (mname.substr(0, 13) == "BkToCstmrStmt") {
    out_.format = Format::camt053;
    item = "Stmt";
  } else if (mname.substr(0, 21) == "BkToCstmrDbtCdtNtfctn") {
    out_.format = Format::camt054;
    item = "Ntfctn";
  } else {
    return at_path("/Document/" + std::string(mname), "not a camt.052, camt.053 or camt.054 message",
                   "invalid_statement");
  }
  const std::string msg_path = "/Document/" + std::string(mname);
  const std::string message_id(text(at(msg, {"GrpHdr", "MsgId"})));
  int n = 0;
  for (pugi::xml_node c = msg.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element || local_name(c) != item) continue;
    ++n;
    const std::string path = msg_path + "/" + std::string(item) + "[" + std::to_string(n) + "]";
    O2C_TRY(statement(c, path));
    out_.statements.back().message_id = message_id;
  }
  if (n == 0) {
    return at_path(msg_path, "no " + std::string(item) + ": the message holds no statement", "no_statement");
  }
  if (warnings_dropped_ > 0) out_.warnings.push_back(std::to_string(warnings_dropped_) + " more warnings not shown");
  return std::move(out_);
}

Status Reader::statement(const pugi::xml_node& st, const std::string& path) {
  Statement s;
  s.format = out_.format;
  s.statement_id = std::string(text(child(st, "Id")));
  const pugi::xml_node acct = child(st, "Acct");
  if (auto iban = at(acct, {"Id", "IBAN"})) {
    s.account = detail::compact_iban(text(iban));
  } else if (auto othr = at(acct, {"Id", "Othr", "Id"})) {
    s.account = std::string(text(othr));
  } else if (auto prtry = at(acct, {"Id", "PrtryAcct", "Id"})) {  // version 01
    s.account = std::string(text(prtry));
  }
  // The account's currency; files that leave it out state it on every amount.
  s.currency = std::string(text(child(acct, "Ccy")));
  if (s.currency.empty()) {
    for (pugi::xml_node c = st.first_child(); c && s.currency.empty(); c = c.next_sibling()) {
      const auto ln = local_name(c);
      if (ln == "Bal" || ln == "Ntry") s.currency = std::string(attr(child(c, "Amt"), "Ccy"));
    }
  }
  if (s.currency.empty()) {
    return at_path(path, "no currency: neither Acct/Ccy nor any amount names one", "invalid_statement");
  }
  bool known = true;
  detail::currency_exponent(s.currency, &known);
  if (!known) {
    warn(path + ": currency " + s.currency + " is not an active ISO 4217 code; read with 2 decimals");
  }
  if (const auto fr = child(st, "FrToDt")) {
    std::string d;
    if (detail::iso_date_prefix(text(child(fr, "FrDtTm")), &d)) s.from_date = d;
    if (detail::iso_date_prefix(text(child(fr, "ToDtTm")), &d)) s.to_date = d;
  }

  int nbal = 0;
  std::vector<pugi::xml_node> ntries;
  std::optional<Balance> prcd;
  Status balance_error;
  for (pugi::xml_node c = st.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto ln = local_name(c);
    if (ln == "Bal") {
      const std::string bpath = path + "/Bal[" + std::to_string(++nbal) + "]";
      // A bad balance is reported after the bad entries before it, as in
      // document order.
      balance_error = balance(c, bpath, s, prcd);
      if (!balance_error.ok()) break;
    } else if (ln == "Ntry") {
      ntries.push_back(c);
    }
  }
  O2C_TRY(entries(ntries, path, s));
  O2C_TRY(std::move(balance_error));
  if (!s.opening && prcd) s.opening = std::move(prcd);
  out_.statements.push_back(std::move(s));
  return {};
}

Status Reader::balance(const pugi::xml_node& c, const std::string& bpath, Statement& s,
                       std::optional<Balance>& prcd) const {
  const pugi::xml_node tp = child(c, "Tp");
  std::string_view code = text(at(tp, {"CdOrPrtry", "Cd"}));
  if (code.empty()) code = text(child(tp, "Cd"));
  if (code.empty()) code = text(at(tp, {"CdOrPrtry", "Prtry"}));
  if (code != "OPBD" && code != "PRCD" && code != "CLBD") return {};
  Balance b;
  b.kind = std::string(code);
  const pugi::xml_node amt = child(c, "Amt");
  if (!amt) return at_path(bpath, "balance without Amt", "invalid_balance");
  b.currency = std::string(attr(amt, "Ccy"));
  if (b.currency.empty()) b.currency = s.currency;
  O2C_ASSIGN_OR_RETURN(b.amount_minor, amount(amt, bpath + "/Amt", b.currency));
  const std::string_view ind = text(child(c, "CdtDbtInd"));
  if (ind == "DBIT") {
    b.amount_minor = -b.amount_minor;
  } else if (ind != "CRDT" && !(ind.empty() && b.amount_minor == 0)) {
    return at_path(bpath + "/CdtDbtInd", "expected CRDT or DBIT", "invalid_balance");
  }
  O2C_ASSIGN_OR_RETURN(b.date, date(child(c, "Dt"), bpath + "/Dt"));
  if (code == "OPBD") {
    if (!s.opening || s.opening->kind != "OPBD") s.opening = std::move(b);
  } else if (code == "PRCD") {
    if (!prcd) prcd = std::move(b);
  } else if (!s.closing) {
    s.closing = std::move(b);
  }
  return {};
}

// A large statement's entries are read in two halves on two threads (the
// document is only read); lines, warnings and the first error come out in
// document order, as one thread would give them.
Status Reader::entries(const std::vector<pugi::xml_node>& nodes, const std::string& path, Statement& s) {
  constexpr size_t kParallelMin = 20000;
  auto run = [&](size_t from, size_t to, std::vector<Line>& lines, Sink& sink) -> Status {
    lines.reserve(to - from);
    for (size_t i = from; i < to; ++i) {
      O2C_TRY(entry(nodes[i], path + "/Ntry[" + std::to_string(i + 1) + "]", s, lines, sink));
    }
    return {};
  };
  auto merge = [&](std::vector<Line>& lines, Sink& sink) {
    if (s.lines.empty()) {
      s.lines = std::move(lines);
    } else {
      s.lines.insert(s.lines.end(), std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
    }
    for (auto& w : sink.warnings) warn(std::move(w));
    warnings_dropped_ += sink.dropped;
  };
  if (nodes.size() < kParallelMin) {
    std::vector<Line> lines;
    Sink sink;
    Status st = run(0, nodes.size(), lines, sink);
    merge(lines, sink);
    return st;
  }
  const size_t half = nodes.size() / 2;
  std::vector<Line> second_lines;
  Sink second_sink;
  Status second = Status();
  std::thread other([&] {
    try {
      second = run(half, nodes.size(), second_lines, second_sink);
    } catch (...) {
      second = Error::internal("camt: reading the second half of the entries failed");
    }
  });
  std::vector<Line> first_lines;
  Sink first_sink;
  Status first = Status();
  try {
    first = run(0, half, first_lines, first_sink);
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (!first.ok()) return first;
  if (!second.ok()) return second;
  merge(first_lines, first_sink);
  merge(second_lines, second_sink);
  return {};
}

Status Reader::entry(const pugi::xml_node& ntry, const std::string& path, const Statement& s,
                     std::vector<Line>& lines, Sink& sink) const {
  Line line;
  line.source_path = path;
  const pugi::xml_node amt = child(ntry, "Amt");
  if (!amt) return at_path(path, "entry without Amt", "invalid_transaction");
  line.currency = std::string(attr(amt, "Ccy"));
  if (line.currency.empty()) line.currency = s.currency;
  if (line.currency != s.currency) {
    sink.warn(path + "/Amt: currency " + line.currency + " differs from the statement's " + s.currency);
  }
  O2C_ASSIGN_OR_RETURN(int64_t a, amount(amt, path + "/Amt", line.currency));
  const std::string_view ind = text(child(ntry, "CdtDbtInd"));
  if (ind != "CRDT" && ind != "DBIT") return at_path(path + "/CdtDbtInd", "expected CRDT or DBIT", "invalid_transaction");
  const bool credit = ind == "CRDT";
  line.amount_minor = credit ? a : -a;
  const std::string_view rvsl = text(child(ntry, "RvslInd"));
  line.reversal = rvsl == "true" || rvsl == "1";
  const pugi::xml_node sts = child(ntry, "Sts");
  std::string_view status = text(child(sts, "Cd"));
  if (status.empty()) status = text(child(sts, "Prtry"));
  if (status.empty()) status = text(sts);
  if (status.empty()) {
    sink.warn(path + ": no Sts; taken as booked");
    line.booked = true;
  } else {
    line.booked = status == "BOOK";
  }
  O2C_ASSIGN_OR_RETURN(line.booking_date, date(child(ntry, "BookgDt"), path + "/BookgDt"));
  O2C_ASSIGN_OR_RETURN(line.value_date, date(child(ntry, "ValDt"), path + "/ValDt"));
  if (line.booking_date.empty()) line.booking_date = line.value_date;
  line.bank_reference = std::string(text(child(ntry, "AcctSvcrRef")));
  line.customer_reference = std::string(text(child(ntry, "NtryRef")));
  const pugi::xml_node bk = child(ntry, "BkTxCd");
  if (const auto domn = child(bk, "Domn")) {
    line.transaction_code = std::string(text(child(domn, "Cd"))) + "/" + std::string(text(at(domn, {"Fmly", "Cd"}))) +
                            "/" + std::string(text(at(domn, {"Fmly", "SubFmlyCd"})));
  } else {
    line.transaction_code = std::string(text(at(bk, {"Prtry", "Cd"})));
  }
  const std::string_view addtl = text(child(ntry, "AddtlNtryInf"));

  int ndtls = 0;
  for (pugi::xml_node nd = ntry.first_child(); nd; nd = nd.next_sibling()) {
    if (nd.type() != pugi::node_element || local_name(nd) != "NtryDtls") continue;
    const std::string dpath = path + "/NtryDtls[" + std::to_string(++ndtls) + "]";
    int ntx = 0;
    for (pugi::xml_node tx = nd.first_child(); tx; tx = tx.next_sibling()) {
      if (tx.type() != pugi::node_element || local_name(tx) != "TxDtls") continue;
      const std::string tpath = dpath + "/TxDtls[" + std::to_string(++ntx) + "]";
      Detail d;
      O2C_TRY(detail_of(tx, tpath, credit, line.currency, d));
      line.details.push_back(std::move(d));
    }
  }
  if (line.details.empty()) {
    Detail d;
    d.remittance = detail::squeeze_spaces(addtl);
    line.details.push_back(std::move(d));
  } else if (line.details.size() == 1 && line.details[0].remittance.empty()) {
    line.details[0].remittance = detail::squeeze_spaces(addtl);
  }
  lines.push_back(std::move(line));
  return {};
}

Status Reader::detail_of(const pugi::xml_node& tx, const std::string& path, bool credit, std::string_view entry_ccy,
                         Detail& d) const {
  // The detail's own amount: TxDtls/Amt in newer versions, AmtDtls/TxAmt/Amt
  // before. Another currency there is the instructed (foreign) amount, not
  // part of this account's figures.
  std::string apath = path + "/Amt";
  pugi::xml_node amt = child(tx, "Amt");
  if (!amt) {
    amt = at(tx, {"AmtDtls", "TxAmt", "Amt"});
    apath = path + "/AmtDtls/TxAmt/Amt";
  }
  if (amt) {
    std::string_view ccy = attr(amt, "Ccy");
    if (ccy.empty()) ccy = entry_ccy;
    O2C_ASSIGN_OR_RETURN(int64_t a, amount(amt, apath, ccy));
    if (ccy == entry_ccy) d.amount_minor = a;
  }
  const pugi::xml_node refs = child(tx, "Refs");
  const std::string_view e2e = text(child(refs, "EndToEndId"));
  if (!e2e.empty() && e2e != "NOTPROVIDED") d.end_to_end_id = std::string(e2e);
  d.mandate_id = std::string(text(child(refs, "MndtId")));

  const pugi::xml_node rmt = child(tx, "RmtInf");
  for (pugi::xml_node c = rmt.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto ln = local_name(c);
    if (ln == "Ustrd") {
      detail::append_squeezed(d.remittance, text(c));
    } else if (ln == "Strd" && d.structured_reference.empty()) {
      d.structured_reference = std::string(text(at(c, {"CdtrRefInf", "Ref"})));
    }
  }
  if (d.remittance.empty()) d.remittance = detail::squeeze_spaces(text(child(tx, "AddtlTxInf")));

  // The other side: who paid us on a credit, whom we paid on a debit.
  const std::string_view party = credit ? "Dbtr" : "Cdtr";
  const std::string party_acct = std::string(party) + "Acct";
  const std::string agent = std::string(party) + "Agt";
  const pugi::xml_node pties = child(tx, "RltdPties");
  const pugi::xml_node p = child(pties, party);
  std::string_view name = text(child(p, "Nm"));
  if (name.empty()) name = text(at(p, {"Pty", "Nm"}));  // version 08 and later
  d.counterparty_name = detail::squeeze_spaces(name);
  d.counterparty_iban = detail::compact_iban(text(at(child(pties, party_acct), {"Id", "IBAN"})));
  const pugi::xml_node fin = at(child(tx, "RltdAgts"), {agent, "FinInstnId"});
  std::string_view bic = text(child(fin, "BIC"));
  if (bic.empty()) bic = text(child(fin, "BICFI"));  // version 04 and later
  d.counterparty_bic = std::string(bic);
  return {};
}

}  // namespace

Result<ParsedFile> parse_camt(std::string_view xml) {
  Reader r(xml);
  return r.run();
}

}  // namespace o2c::formats::bank
