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

#include <array>
#include <cstring>
#include <exception>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "formats/bank/internal.h"
#include "formats/bank/statement.h"

namespace o2c::formats::bank {

using detail::at_path;
using detail::trim;

namespace {

std::string_view local_part(std::string_view name) {
  const size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view local_name(const pugi::xml_node& n) { return local_part(n.name()); }

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

// The first element child of each of these local names, in one walk over
// the children: an entry is asked for a dozen names, and a walk per name was
// most of the time a large statement took to read.
template <size_t N>
std::array<pugi::xml_node, N> pick(const pugi::xml_node& n, const std::array<std::string_view, N>& names) {
  std::array<pugi::xml_node, N> out{};
  if (!n) return out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view ln = local_name(c);
    for (size_t i = 0; i < N; ++i) {
      if (ln == names[i]) {
        if (!out[i]) out[i] = c;
        break;
      }
    }
  }
  return out;
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

// ---- Reading a large document as two halves ---------------------------------
//
// pugixml builds its tree on one thread, and for a statement of a million
// entries that is most of the parse. So a large document is cut just before
// an entry near its middle, and each half becomes a well-formed document of
// its own, parsed on its own thread:
//   first  = text before the cut + <o2c-cut/> + </Stmt></BkToCstmrStmt></Document>
//   second = <Document><BkToCstmrStmt><Stmt> + text from the cut on
// (with the names, prefixes included, as the file writes them). The cut is
// found by a cheap text search that may be fooled (an "<Ntry>" inside a
// comment or CDATA); pugixml itself checks it: the first half parses, and
// its marker is the last child of the statement, itself the last of the
// message, itself the last of the root, only if the text before the cut left
// the parser in that statement's content with exactly those three elements
// open, which is also where one parse of the whole text is at the cut. The
// second half then continues from the same state, so the two trees together
// are the one tree, and an error in the second half is the whole document's
// at the same place. Anything else (the head not understood, a non-UTF-8
// document that pugixml would convert, a first half that fails or does not
// check) is read as one document, as small ones are.

constexpr std::string_view kCutMarker = "o2c-cut";

// An element's text is kept in the element itself, not in a child node of
// its own: a camt entry is some thirty elements, most of them a single text,
// and this halves the nodes a large statement's tree allocates (xml_text
// reads either form the same; we never look for text nodes directly).
constexpr unsigned kParseOptions = pugi::parse_default | pugi::parse_embed_pcdata;

bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

struct Cut {
  size_t at = 0;                       // offset of the entry's '<'
  std::array<std::string_view, 3> open;  // Document, message, statement as written
};

// pugixml reads a document as UTF-8 unless a BOM or the XML declaration says
// otherwise; then it converts, and halves would not convert alike.
bool plainly_utf8(std::string_view xml) {
  if (xml.size() < 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    const auto b = static_cast<unsigned char>(xml[i]);
    if (b == 0x00 || b == 0xFE || b == 0xFF) return false;
  }
  if (xml.substr(0, 3) == "\xEF\xBB\xBF") xml.remove_prefix(3);
  if (xml.substr(0, 5) != "<?xml") return true;
  const size_t end = xml.find("?>");
  if (end == std::string_view::npos) return false;
  const std::string_view decl = xml.substr(0, end);
  const size_t enc = decl.find("encoding");
  if (enc == std::string_view::npos) return true;
  size_t i = enc + 8;
  while (i < decl.size() && (is_xml_space(decl[i]) || decl[i] == '=')) ++i;
  if (i >= decl.size() || (decl[i] != '"' && decl[i] != '\'')) return false;
  const size_t close = decl.find(decl[i], i + 1);
  if (close == std::string_view::npos) return false;
  return iequals(decl.substr(i + 1, close - i - 1), "utf-8");
}

// Where a document's entries begin: the names of the three elements open at
// its first entry (Document, message, statement, as written), the entry's
// own name, and the offset just past the entry's start tag.
struct Head {
  std::array<std::string_view, 3> open;
  std::string_view ntry;
  size_t after_first = 0;
};

// The head, by a small lexer over at most the first `head_max` bytes
// (comments, PIs, CDATA and quoted attributes skipped; anything else it does
// not know ends the attempt).
std::optional<Head> find_head(std::string_view xml, size_t head_max) {
  if (!plainly_utf8(xml)) return std::nullopt;
  std::vector<std::string_view> stack;
  std::string_view ntry;
  size_t pos = xml.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  auto skip_past = [&](size_t from, std::string_view end) -> bool {
    const size_t e = xml.find(end, from);
    if (e == std::string_view::npos) return false;
    pos = e + end.size();
    return true;
  };
  while (ntry.empty()) {
    const size_t lt = xml.find('<', pos);
    if (lt == std::string_view::npos || lt > head_max) return std::nullopt;
    const std::string_view rest = xml.substr(lt);
    if (rest.substr(0, 2) == "<?") {
      if (!skip_past(lt + 2, "?>")) return std::nullopt;
    } else if (rest.substr(0, 4) == "<!--") {
      if (!skip_past(lt + 4, "-->")) return std::nullopt;
    } else if (rest.substr(0, 9) == "<![CDATA[") {
      if (!skip_past(lt + 9, "]]>")) return std::nullopt;
    } else if (rest.substr(0, 2) == "<!") {
      return std::nullopt;  // DOCTYPE and the like: not in a bank's file
    } else {
      const bool end_tag = rest.substr(0, 2) == "</";
      size_t i = lt + (end_tag ? 2 : 1);
      const size_t name_from = i;
      while (i < xml.size() && !is_xml_space(xml[i]) && xml[i] != '/' && xml[i] != '>') ++i;
      const std::string_view name = xml.substr(name_from, i - name_from);
      if (name.empty()) return std::nullopt;
      char prev = 0;
      for (; i < xml.size() && xml[i] != '>'; ++i) {
        if (xml[i] == '"' || xml[i] == '\'') {
          const size_t q = xml.find(xml[i], i + 1);
          if (q == std::string_view::npos) return std::nullopt;
          i = q;
        }
        prev = xml[i];
      }
      if (i >= xml.size()) return std::nullopt;
      pos = i + 1;
      if (end_tag) {
        if (stack.empty() || stack.back() != name) return std::nullopt;
        stack.pop_back();
      } else if (stack.size() == 3 && local_part(name) == "Ntry") {
        ntry = name;
      } else if (prev != '/') {
        stack.push_back(name);
      }
    }
  }
  const std::string_view item = local_part(stack[2]);
  if (local_part(stack[0]) != "Document" || local_part(stack[1]).substr(0, 9) != "BkToCstmr" ||
      (item != "Stmt" && item != "Rpt" && item != "Ntfctn")) {
    return std::nullopt;
  }
  return Head{{stack[0], stack[1], stack[2]}, ntry, pos};
}

// A cut: the first entry start right after an entry's end tag, at or after
// `from`. Only a text search: whether it really is one, pugixml decides.
std::optional<size_t> next_cut(std::string_view xml, const Head& h, size_t from) {
  const std::string end_tag = "</" + std::string(h.ntry) + ">";
  for (from = std::max(from, h.after_first);;) {
    const size_t e = xml.find(end_tag, from);
    if (e == std::string_view::npos) return std::nullopt;
    size_t s = e + end_tag.size();
    while (s < xml.size() && is_xml_space(xml[s])) ++s;
    const size_t after = s + 1 + h.ntry.size();
    if (after < xml.size() && xml[s] == '<' && xml.substr(s + 1, h.ntry.size()) == h.ntry &&
        (is_xml_space(xml[after]) || xml[after] == '>' || xml[after] == '/')) {
      return s;
    }
    from = e + 1;
  }
}

// Two halves: the head found in the first half, the cut from the middle on.
std::optional<Cut> find_cut(std::string_view xml) {
  const auto head = find_head(xml, xml.size() / 2);
  if (!head) return std::nullopt;
  const auto at = next_cut(xml, *head, xml.size() / 2);
  if (!at) return std::nullopt;
  return Cut{*at, head->open};
}

// Parses a copy of `parts` joined, handed to pugixml (no second copy). The
// copy ends in a NUL, as load_buffer's own copy does: pugixml parses the
// last byte of a buffer apart, and a truncated document's error would
// otherwise not be the one load_buffer gives.
pugi::xml_parse_result load_joined(pugi::xml_document& doc, std::initializer_list<std::string_view> parts,
                                   unsigned options = kParseOptions) {
  size_t size = 1;
  for (auto p : parts) size += p.size();
  char* buf = static_cast<char*>(pugi::get_memory_allocation_function()(size));
  if (buf == nullptr) throw std::bad_alloc();
  size_t at = 0;
  for (auto p : parts) {
    std::memcpy(buf + at, p.data(), p.size());
    at += p.size();
  }
  buf[at] = '\0';
  return doc.load_buffer_inplace_own(buf, size, options, pugi::encoding_auto);
}

bool named(const pugi::xml_node& n, std::string_view name) {
  return n && n.type() == pugi::node_element && std::string_view(n.name()) == name;
}

// The document the Reader walks: one pugixml tree, or two (above) whose
// three cut elements are joined when their children are listed.
class Tree {
 public:
  // The parse result of the whole text, as one parse gives it: an error
  // carries pugixml's description and the offset in `xml`.
  struct Failure {
    std::string description;
    ptrdiff_t offset = 0;
  };
  std::optional<Failure> load(std::string_view xml, size_t split_min_bytes);

  bool split() const { return split_; }
  pugi::xml_node root() const { return first_.document_element(); }

  // Calls f(child) on each element child of n in document order while f
  // returns true.
  template <class F>
  void each_element(const pugi::xml_node& n, F&& f) const {
    int k = -1;
    if (split_) {
      for (int i = 0; i < 3; ++i) {
        if (n == cut_first_[i]) k = i;
      }
    }
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element || c == marker_) continue;
      if (!f(c)) return;
    }
    if (k < 0) return;
    for (pugi::xml_node c = cut_second_[k].first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element || (k < 2 && c == cut_second_[k + 1])) continue;
      if (!f(c)) return;
    }
  }

  pugi::xml_node child(const pugi::xml_node& n, std::string_view name) const {
    pugi::xml_node found;
    if (!n) return found;
    each_element(n, [&](const pugi::xml_node& c) {
      if (local_part(c.name()) != name) return true;
      found = c;
      return false;
    });
    return found;
  }

  pugi::xml_node at(pugi::xml_node n, std::initializer_list<std::string_view> names) const {
    for (auto name : names) {
      n = child(n, name);
      if (!n) return {};
    }
    return n;
  }

 private:
  bool load_split(std::string_view xml, const Cut& cut, std::optional<Failure>& failure);

  pugi::xml_document first_, second_;
  bool split_ = false;
  std::array<pugi::xml_node, 3> cut_first_, cut_second_;
  pugi::xml_node marker_;
};

std::optional<Tree::Failure> Tree::load(std::string_view xml, size_t split_min_bytes) {
  if (xml.size() >= split_min_bytes) {
    if (auto cut = find_cut(xml)) {
      std::optional<Failure> failure;
      if (load_split(xml, *cut, failure)) return failure;
      first_.reset();
      second_.reset();
    }
  }
  const pugi::xml_parse_result pr = first_.load_buffer(xml.data(), xml.size(), kParseOptions, pugi::encoding_auto);
  if (!pr) return Failure{pr.description(), pr.offset};
  return std::nullopt;
}

// False: the halves do not stand for the whole; read it as one.
bool Tree::load_split(std::string_view xml, const Cut& cut, std::optional<Failure>& failure) {
  const auto& [d, m, s] = cut.open;
  const std::string tail = "<" + std::string(kCutMarker) + "/></" + std::string(s) + "></" + std::string(m) + "></" +
                           std::string(d) + ">";
  const std::string head = "<" + std::string(d) + "><" + std::string(m) + "><" + std::string(s) + ">";
  pugi::xml_parse_result second_result;
  std::exception_ptr second_error;
  std::thread other([&] {
    try {
      second_result = load_joined(second_, {head, xml.substr(cut.at)});
    } catch (...) {
      second_error = std::current_exception();
    }
  });
  pugi::xml_parse_result first_result;
  try {
    first_result = load_joined(first_, {xml.substr(0, cut.at), tail});
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (second_error) std::rethrow_exception(second_error);
  if (!first_result) return false;
  const pugi::xml_node r1 = first_.document_element();
  if (!named(r1, d) || r1 != first_.last_child()) return false;
  const pugi::xml_node m1 = r1.last_child();
  if (!named(m1, m)) return false;
  const pugi::xml_node s1 = m1.last_child();
  if (!named(s1, s)) return false;
  const pugi::xml_node mark = s1.last_child();
  if (!named(mark, kCutMarker) || mark.first_child() || mark.first_attribute()) return false;
  if (!second_result) {
    if (second_result.offset < static_cast<ptrdiff_t>(head.size())) return false;
    failure = Failure{second_result.description(),
                      static_cast<ptrdiff_t>(cut.at) + second_result.offset - static_cast<ptrdiff_t>(head.size())};
    return true;
  }
  const pugi::xml_node r2 = second_.first_child();
  const pugi::xml_node m2 = r2.first_child();
  const pugi::xml_node s2 = m2.first_child();
  if (!named(r2, d) || !named(m2, m) || !named(s2, s)) return false;
  cut_first_ = {r1, m1, s1};
  cut_second_ = {r2, m2, s2};
  marker_ = mark;
  split_ = true;
  return true;
}

// The statement element of a message ("Stmt" in camt.053), and the format;
// empty when the message is none we read.
std::string_view message_item(std::string_view mname, Format& format) {
  if (mname.substr(0, 16) == "BkToCstmrAcctRpt") {
    format = Format::camt052;
    return "Rpt";
  }
  if (mname.substr(0, 13) == "BkToCstmrStmt") {
    format = Format::camt053;
    return "Stmt";
  }
  if (mname.substr(0, 21) == "BkToCstmrDbtCdtNtfctn") {
    format = Format::camt054;
    return "Ntfctn";
  }
  return {};
}

class Reader {
 public:
  explicit Reader(std::string_view xml) : xml_(xml) {}
  Result<ParsedFile> run(const detail::CamtReadOptions& options, detail::CamtReadInfo* info);
  // The document in pieces (read_camt). Nullopt when the pieces do not
  // stand for the whole or anything in them is wrong (bad XML, a bad
  // entry): the caller then reads the document whole, whose answer, error
  // or not, is the one true one.
  std::optional<ParsedFile> stream(const Head& h, size_t piece_bytes, LineSink& sink, detail::CamtStreamInfo& info);

 private:
  Status statement(const pugi::xml_node& st, const std::string& path);
  Status statement_head(const pugi::xml_node& st, const std::string& path, Statement& s);
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
  // `path` + `suffix` names the element in an error; joined only then.
  Result<int64_t> amount(const pugi::xml_node& amt, std::string_view path, std::string_view suffix,
                         std::string_view ccy) const;
  Result<std::string> date(const pugi::xml_node& holder, std::string_view path, std::string_view suffix) const;
  // `path` is the entry's; the detail's own is built only for an error.
  Status detail_of(const pugi::xml_node& tx, std::string_view path, int ndtls, int ntx, bool credit,
                   std::string_view entry_ccy, Detail& d) const;

  void warn(std::string what);

  std::string_view xml_;
  Tree tree_;
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

// `where()` names the element for an error: built only then.
template <class Where>
Result<int64_t> read_amount(const pugi::xml_node& amt, std::string_view ccy, Where&& where) {
  bool known = true;
  const int exp = detail::currency_exponent(ccy, &known);
  auto r = detail::parse_amount(text(amt), exp, '.', false);
  if (!r.ok()) return at_path(where(), r.error().message + " (" + std::string(ccy) + ")", r.error().code);
  return r.value();
}

Result<int64_t> Reader::amount(const pugi::xml_node& amt, std::string_view path, std::string_view suffix,
                               std::string_view ccy) const {
  return read_amount(amt, ccy, [&] { return std::string(path) + std::string(suffix); });
}

// <Dt><Dt>2014-12-31</Dt></Dt> or <Dt><DtTm>2014-12-31T10:00:00</DtTm></Dt>:
// the calendar date as the bank wrote it (time and zone dropped).
Result<std::string> Reader::date(const pugi::xml_node& holder, std::string_view path, std::string_view suffix) const {
  if (!holder) return std::string();
  const auto [dt, dttm] = pick<2>(holder, {"Dt", "DtTm"});
  const pugi::xml_node v = dt ? dt : dttm;
  if (!v) return std::string();
  std::string out;
  if (!detail::iso_date_prefix(text(v), &out)) {
    return at_path(std::string(path) + std::string(suffix) + (dt ? "/Dt" : "/DtTm"),
                   "not a date: \"" + std::string(text(v)) + "\"", "invalid_date");
  }
  return out;
}

Result<ParsedFile> Reader::run(const detail::CamtReadOptions& options, detail::CamtReadInfo* info) {
  if (auto failure = tree_.load(xml_, options.split_min_bytes)) {
    const int line = line_of_offset(xml_, failure->offset);
    return detail::at_line(line, "not well-formed XML: " + failure->description, "invalid_xml");
  }
  if (info != nullptr) info->split = tree_.split();
  const pugi::xml_node root = tree_.root();
  if (!root || local_name(root) != "Document") {
    return at_path("/", "expected a camt <Document> root element", "invalid_statement");
  }
  pugi::xml_node msg;
  tree_.each_element(root, [&](const pugi::xml_node& c) {
    if (local_name(c).substr(0, 9) != "BkToCstmr") return true;
    msg = c;
    return false;
  });
  if (!msg) {
    return at_path("/Document", "no camt.052, camt.053 or camt.054 message in it", "invalid_statement");
  }
  std::string_view mname = local_name(msg);
  std::string_view item = message_item(mname, out_.format);
  if (item.empty()) {
    return at_path("/Document/" + std::string(mname), "not a camt.052, camt.053 or camt.054 message",
                   "invalid_statement");
  }
  const std::string msg_path = "/Document/" + std::string(mname);
  const std::string message_id(text(tree_.at(msg, {"GrpHdr", "MsgId"})));
  int n = 0;
  Status failed;
  tree_.each_element(msg, [&](const pugi::xml_node& c) {
    if (local_name(c) != item) return true;
    ++n;
    const std::string path = msg_path + "/" + std::string(item) + "[" + std::to_string(n) + "]";
    failed = statement(c, path);
    if (!failed.ok()) return false;
    out_.statements.back().message_id = message_id;
    return true;
  });
  O2C_TRY(std::move(failed));
  if (n == 0) {
    return at_path(msg_path, "no " + std::string(item) + ": the message holds no statement", "no_statement");
  }
  if (warnings_dropped_ > 0) out_.warnings.push_back(std::to_string(warnings_dropped_) + " more warnings not shown");
  return std::move(out_);
}

// Reading in pieces. The text is cut before an entry that follows an entry,
// every `piece_bytes` or so. The first piece, closed by a marker and the
// end tags of the elements open at the cut, is a document of its own: the
// group header, the statements before, the statement's head and balances
// and its first entries. Each middle piece must parse as a fragment of
// nothing but entries. The last piece, opened by the same three start tags,
// holds the statement's last entries and whatever follows (more
// statements). Anything else, and any error, gives up: the caller reads the
// document whole. Only one piece's tree and lines exist at a time.
std::optional<ParsedFile> Reader::stream(const Head& h, size_t piece_bytes, LineSink& sink,
                                         detail::CamtStreamInfo& info) {
  std::vector<size_t> cuts;
  for (size_t from = piece_bytes;;) {
    const auto c = next_cut(xml_, h, from);
    if (!c) break;
    cuts.push_back(*c);
    from = *c + std::max<size_t>(piece_bytes, 1);
  }
  if (cuts.empty()) return std::nullopt;
  const auto& [d, m, s] = h.open;
  const std::string tail = "<" + std::string(kCutMarker) + "/></" + std::string(s) + "></" + std::string(m) + "></" +
                           std::string(d) + ">";
  const std::string head = "<" + std::string(d) + "><" + std::string(m) + "><" + std::string(s) + ">";

  pugi::xml_document doc;
  if (!load_joined(doc, {xml_.substr(0, cuts[0]), tail})) return std::nullopt;
  info.pieces = 1;
  const pugi::xml_node r1 = doc.document_element();
  if (!named(r1, d) || r1 != doc.last_child() || local_name(r1) != "Document") return std::nullopt;
  const pugi::xml_node m1 = r1.last_child();
  if (!named(m1, m)) return std::nullopt;
  const pugi::xml_node s1 = m1.last_child();
  if (!named(s1, s)) return std::nullopt;
  const pugi::xml_node mark = s1.last_child();
  if (!named(mark, kCutMarker) || mark.first_child() || mark.first_attribute()) return std::nullopt;
  pugi::xml_node msg;
  for (pugi::xml_node c = r1.first_child(); c && !msg; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c).substr(0, 9) == "BkToCstmr") msg = c;
  }
  if (msg != m1) return std::nullopt;
  const std::string_view mname = local_name(m1);
  const std::string_view item = message_item(mname, out_.format);
  if (item.empty() || local_name(s1) != item) return std::nullopt;
  const std::string msg_path = "/Document/" + std::string(mname);
  const bool had_group_header = static_cast<bool>(child(m1, "GrpHdr"));
  const std::string message_id(text(at(m1, {"GrpHdr", "MsgId"})));

  // The statements wholly before the cut, as run() reads them.
  int n = 0;
  auto item_path = [&] { return msg_path + "/" + std::string(item) + "[" + std::to_string(n) + "]"; };
  auto whole_statement = [&](const pugi::xml_node& c) -> bool {
    if (!statement(c, item_path()).ok()) return false;
    Statement& done = out_.statements.back();
    done.message_id = message_id;
    std::vector<Line> lines = std::move(done.lines);
    done.lines.clear();
    sink.lines(out_.statements.size() - 1, done, std::move(lines));
    return true;
  };
  for (pugi::xml_node c = m1.first_child(); c != s1; c = c.next_sibling()) {
    if (c.type() != pugi::node_element || local_name(c) != item) continue;
    ++n;
    if (!whole_statement(c)) return std::nullopt;
  }

  // The statement the cuts run through.
  ++n;
  const std::string path = item_path();
  const size_t index = out_.statements.size();
  Statement cur;
  if (!statement_head(s1, path, cur).ok()) return std::nullopt;
  cur.message_id = message_id;
  const bool had_id = static_cast<bool>(child(s1, "Id"));
  const bool had_acct = static_cast<bool>(child(s1, "Acct"));
  const bool had_period = static_cast<bool>(child(s1, "FrToDt"));
  int nbal = 0;
  int64_t nentry = 0;
  std::optional<Balance> prcd;
  std::vector<Line> lines;
  Sink warnings;
  auto take = [&](const pugi::xml_node& c) -> bool {
    const auto ln = local_name(c);
    if (ln == "Bal") {
      return balance(c, path + "/Bal[" + std::to_string(++nbal) + "]", cur, prcd).ok();
    }
    if (ln == "Ntry") {
      return entry(c, path + "/Ntry[" + std::to_string(++nentry) + "]", cur, lines, warnings).ok();
    }
    return true;
  };
  auto pass_on = [&] {
    for (auto& w : warnings.warnings) warn(std::move(w));
    warnings_dropped_ += warnings.dropped;
    warnings = Sink{};
    sink.lines(index, cur, std::move(lines));
    lines = {};
  };
  for (pugi::xml_node c = s1.first_child(); c != mark; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && !take(c)) return std::nullopt;
  }
  pass_on();

  for (size_t i = 1; i < cuts.size(); ++i) {
    doc.reset();
    if (!load_joined(doc, {xml_.substr(cuts[i - 1], cuts[i] - cuts[i - 1])}, kParseOptions | pugi::parse_fragment)) {
      return std::nullopt;
    }
    ++info.pieces;
    for (pugi::xml_node c = doc.first_child(); c; c = c.next_sibling()) {
      if (!named(c, h.ntry) || !take(c)) return std::nullopt;
    }
    pass_on();
  }

  doc.reset();
  if (!load_joined(doc, {head, xml_.substr(cuts.back())})) return std::nullopt;
  ++info.pieces;
  const pugi::xml_node r2 = doc.first_child();
  const pugi::xml_node m2 = r2.first_child();
  const pugi::xml_node s2 = m2.first_child();
  if (!named(r2, d) || !named(m2, m) || !named(s2, s)) return std::nullopt;
  // What the whole read would find later in the text than we looked.
  if ((!had_id && child(s2, "Id")) || (!had_acct && child(s2, "Acct")) || (!had_period && child(s2, "FrToDt")) ||
      (!had_group_header && child(m2, "GrpHdr"))) {
    return std::nullopt;
  }
  for (pugi::xml_node c = s2.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && !take(c)) return std::nullopt;
  }
  pass_on();
  if (!cur.opening && prcd) cur.opening = std::move(prcd);
  out_.statements.push_back(std::move(cur));

  for (pugi::xml_node c = s2.next_sibling(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element || local_name(c) != item) continue;
    ++n;
    if (!whole_statement(c)) return std::nullopt;
  }
  if (warnings_dropped_ > 0) out_.warnings.push_back(std::to_string(warnings_dropped_) + " more warnings not shown");
  info.streamed = true;
  return std::move(out_);
}

// What a statement says of itself: Id, account, currency, period.
Status Reader::statement_head(const pugi::xml_node& st, const std::string& path, Statement& s) {
  s.format = out_.format;
  s.statement_id = std::string(text(tree_.child(st, "Id")));
  const pugi::xml_node acct = tree_.child(st, "Acct");
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
    tree_.each_element(st, [&](const pugi::xml_node& c) {
      const auto ln = local_name(c);
      if (ln == "Bal" || ln == "Ntry") s.currency = std::string(attr(child(c, "Amt"), "Ccy"));
      return s.currency.empty();
    });
  }
  if (s.currency.empty()) {
    return at_path(path, "no currency: neither Acct/Ccy nor any amount names one", "invalid_statement");
  }
  bool known = true;
  detail::currency_exponent(s.currency, &known);
  if (!known) {
    warn(path + ": currency " + s.currency + " is not an active ISO 4217 code; read with 2 decimals");
  }
  if (const auto fr = tree_.child(st, "FrToDt")) {
    std::string d;
    if (detail::iso_date_prefix(text(child(fr, "FrDtTm")), &d)) s.from_date = d;
    if (detail::iso_date_prefix(text(child(fr, "ToDtTm")), &d)) s.to_date = d;
  }
  return {};
}

Status Reader::statement(const pugi::xml_node& st, const std::string& path) {
  Statement s;
  O2C_TRY(statement_head(st, path, s));
  int nbal = 0;
  std::vector<pugi::xml_node> ntries;
  std::optional<Balance> prcd;
  Status balance_error;
  tree_.each_element(st, [&](const pugi::xml_node& c) {
    const auto ln = local_name(c);
    if (ln == "Bal") {
      const std::string bpath = path + "/Bal[" + std::to_string(++nbal) + "]";
      // A bad balance is reported after the bad entries before it, as in
      // document order.
      balance_error = balance(c, bpath, s, prcd);
      if (!balance_error.ok()) return false;
    } else if (ln == "Ntry") {
      ntries.push_back(c);
    }
    return true;
  });
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
  O2C_ASSIGN_OR_RETURN(b.amount_minor, amount(amt, bpath, "/Amt", b.currency));
  const std::string_view ind = text(child(c, "CdtDbtInd"));
  if (ind == "DBIT") {
    b.amount_minor = -b.amount_minor;
  } else if (ind != "CRDT" && !(ind.empty() && b.amount_minor == 0)) {
    return at_path(bpath + "/CdtDbtInd", "expected CRDT or DBIT", "invalid_balance");
  }
  O2C_ASSIGN_OR_RETURN(b.date, date(child(c, "Dt"), bpath, "/Dt"));
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
  enum { kAmt, kInd, kRvsl, kSts, kBookg, kVal, kSvcrRef, kNtryRef, kBkTx, kAddtl, kNames };
  const auto n = pick<kNames>(ntry, {"Amt", "CdtDbtInd", "RvslInd", "Sts", "BookgDt", "ValDt", "AcctSvcrRef",
                                     "NtryRef", "BkTxCd", "AddtlNtryInf"});
  Line line;
  line.source_path = path;
  const pugi::xml_node amt = n[kAmt];
  if (!amt) return at_path(path, "entry without Amt", "invalid_transaction");
  line.currency = std::string(attr(amt, "Ccy"));
  if (line.currency.empty()) line.currency = s.currency;
  if (line.currency != s.currency) {
    sink.warn(path + "/Amt: currency " + line.currency + " differs from the statement's " + s.currency);
  }
  O2C_ASSIGN_OR_RETURN(int64_t a, amount(amt, path, "/Amt", line.currency));
  const std::string_view ind = text(n[kInd]);
  if (ind != "CRDT" && ind != "DBIT") return at_path(path + "/CdtDbtInd", "expected CRDT or DBIT", "invalid_transaction");
  const bool credit = ind == "CRDT";
  line.amount_minor = credit ? a : -a;
  const std::string_view rvsl = text(n[kRvsl]);
  line.reversal = rvsl == "true" || rvsl == "1";
  const pugi::xml_node sts = n[kSts];
  const auto [sts_cd, sts_prtry] = pick<2>(sts, {"Cd", "Prtry"});
  std::string_view status = text(sts_cd);
  if (status.empty()) status = text(sts_prtry);
  if (status.empty()) status = text(sts);
  if (status.empty()) {
    sink.warn(path + ": no Sts; taken as booked");
    line.booked = true;
  } else {
    line.booked = status == "BOOK";
  }
  O2C_ASSIGN_OR_RETURN(line.booking_date, date(n[kBookg], path, "/BookgDt"));
  O2C_ASSIGN_OR_RETURN(line.value_date, date(n[kVal], path, "/ValDt"));
  if (line.booking_date.empty()) line.booking_date = line.value_date;
  line.bank_reference = std::string(text(n[kSvcrRef]));
  line.customer_reference = std::string(text(n[kNtryRef]));
  const pugi::xml_node bk = n[kBkTx];
  const auto [domn, prtry] = pick<2>(bk, {"Domn", "Prtry"});
  if (domn) {
    const auto [cd, fmly] = pick<2>(domn, {"Cd", "Fmly"});
    const auto [fcd, sub] = pick<2>(fmly, {"Cd", "SubFmlyCd"});
    line.transaction_code = std::string(text(cd));
    line.transaction_code += '/';
    line.transaction_code += text(fcd);
    line.transaction_code += '/';
    line.transaction_code += text(sub);
  } else {
    line.transaction_code = std::string(text(child(prtry, "Cd")));
  }
  const std::string_view addtl = text(n[kAddtl]);

  int ndtls = 0;
  for (pugi::xml_node nd = ntry.first_child(); nd; nd = nd.next_sibling()) {
    if (nd.type() != pugi::node_element || local_name(nd) != "NtryDtls") continue;
    ++ndtls;
    int ntx = 0;
    for (pugi::xml_node tx = nd.first_child(); tx; tx = tx.next_sibling()) {
      if (tx.type() != pugi::node_element || local_name(tx) != "TxDtls") continue;
      Detail d;
      O2C_TRY(detail_of(tx, path, ndtls, ++ntx, credit, line.currency, d));
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

Status Reader::detail_of(const pugi::xml_node& tx, std::string_view path, int ndtls, int ntx, bool credit,
                         std::string_view entry_ccy, Detail& d) const {
  enum { kAmt, kAmtDtls, kRefs, kRmt, kAddtl, kPties, kAgts, kNames };
  const auto n = pick<kNames>(tx, {"Amt", "AmtDtls", "Refs", "RmtInf", "AddtlTxInf", "RltdPties", "RltdAgts"});
  // The detail's own amount: TxDtls/Amt in newer versions, AmtDtls/TxAmt/Amt
  // before. Another currency there is the instructed (foreign) amount, not
  // part of this account's figures.
  pugi::xml_node amt = n[kAmt];
  std::string_view amt_suffix = "/Amt";
  if (!amt) {
    amt = at(n[kAmtDtls], {"TxAmt", "Amt"});
    amt_suffix = "/AmtDtls/TxAmt/Amt";
  }
  if (amt) {
    std::string_view ccy = attr(amt, "Ccy");
    if (ccy.empty()) ccy = entry_ccy;
    O2C_ASSIGN_OR_RETURN(int64_t a, read_amount(amt, ccy, [&] {
                           return std::string(path) + "/NtryDtls[" + std::to_string(ndtls) + "]/TxDtls[" +
                                  std::to_string(ntx) + "]" + std::string(amt_suffix);
                         }));
    if (ccy == entry_ccy) d.amount_minor = a;
  }
  const auto [e2e_node, mndt] = pick<2>(n[kRefs], {"EndToEndId", "MndtId"});
  const std::string_view e2e = text(e2e_node);
  if (!e2e.empty() && e2e != "NOTPROVIDED") d.end_to_end_id = std::string(e2e);
  d.mandate_id = std::string(text(mndt));

  for (pugi::xml_node c = n[kRmt].first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto ln = local_name(c);
    if (ln == "Ustrd") {
      detail::append_squeezed(d.remittance, text(c));
    } else if (ln == "Strd" && d.structured_reference.empty()) {
      d.structured_reference = std::string(text(at(c, {"CdtrRefInf", "Ref"})));
    }
  }
  if (d.remittance.empty()) d.remittance = detail::squeeze_spaces(text(n[kAddtl]));

  // The other side: who paid us on a credit, whom we paid on a debit.
  const auto [dbtr, dbtr_acct, cdtr, cdtr_acct] =
      pick<4>(n[kPties], {"Dbtr", "DbtrAcct", "Cdtr", "CdtrAcct"});
  const pugi::xml_node p = credit ? dbtr : cdtr;
  const auto [nm, pty] = pick<2>(p, {"Nm", "Pty"});
  std::string_view name = text(nm);
  if (name.empty()) name = text(child(pty, "Nm"));  // version 08 and later
  d.counterparty_name = detail::squeeze_spaces(name);
  d.counterparty_iban = detail::compact_iban(text(at(credit ? dbtr_acct : cdtr_acct, {"Id", "IBAN"})));
  const pugi::xml_node fin = at(child(n[kAgts], credit ? "DbtrAgt" : "CdtrAgt"), {"FinInstnId"});
  const auto [bic_node, bicfi] = pick<2>(fin, {"BIC", "BICFI"});
  std::string_view bic = text(bic_node);
  if (bic.empty()) bic = text(bicfi);  // version 04 and later
  d.counterparty_bic = std::string(bic);
  return {};
}

}  // namespace

Result<ParsedFile> parse_camt(std::string_view xml) { return detail::parse_camt_with(xml, {}, nullptr); }

namespace detail {

Result<ParsedFile> parse_camt_with(std::string_view xml, const CamtReadOptions& options, CamtReadInfo* info) {
  Reader r(xml);
  return r.run(options, info);
}

}  // namespace detail

Result<ParsedFile> read_camt(std::string_view xml, LineSink& sink) {
  return detail::read_camt_with(xml, sink, {}, nullptr);
}

namespace detail {

Result<ParsedFile> read_camt_with(std::string_view xml, LineSink& sink, const CamtStreamOptions& options,
                                  CamtStreamInfo* info) {
  CamtStreamInfo local;
  CamtStreamInfo& in = info != nullptr ? *info : local;
  in = {};
  if (xml.size() >= options.stream_min_bytes) {
    if (const auto h = find_head(xml, std::min(xml.size(), std::max<size_t>(options.piece_bytes, 1) * 4))) {
      Reader r(xml);
      if (auto f = r.stream(*h, options.piece_bytes, sink, in)) return std::move(*f);
      // Whatever the pieces handed over goes: the whole read says it all again.
      if (in.pieces > 0) {
        sink.discard();
        in.discarded = true;
      }
      in.streamed = false;
    }
  }
  auto parsed = parse_camt_with(xml, {}, nullptr);
  if (!parsed.ok()) return parsed.take_error();
  hand_over(*parsed, sink);
  return parsed;
}

}  // namespace detail

}  // namespace o2c::formats::bank
