#include "formats/pdf/invoice_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "core/text.h"

namespace o2c::formats::pdf {
namespace {

// ---------------------------------------------------------------------------
// Codes and text

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper_alnum(char c) { return is_upper(c) || is_digit(c); }

// People type IBANs, BICs and references with spaces and in lower case.
std::string compact_code(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\t') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

// ISO 7064 MOD 97-10 as IBAN and ISO 11649 use it: letters count as 10..35.
int mod97(std::string_view rearranged) {
  int remainder = 0;
  for (char c : rearranged) {
    if (is_digit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    }
  }
  return remainder;
}

// Both IBAN and RF references put their first four characters last before
// checking, and are valid when the remainder is 1.
bool check_digits_hold(std::string_view code) {
  std::string rearranged(code.substr(4));
  rearranged += code.substr(0, 4);
  return mod97(rearranged) == 1;
}

bool valid_iban(std::string_view iban) {
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!is_upper(iban[0]) || !is_upper(iban[1]) || !is_digit(iban[2]) || !is_digit(iban[3])) return false;
  if (!std::all_of(iban.begin(), iban.end(), is_upper_alnum)) return false;
  return check_digits_hold(iban);
}

// ISO 9362: bank (4 letters), country (2 letters), location (2), branch (3, optional).
bool valid_bic(std::string_view bic) {
  if (bic.size() != 8 && bic.size() != 11) return false;
  if (!std::all_of(bic.begin(), bic.begin() + 6, is_upper)) return false;
  return std::all_of(bic.begin() + 6, bic.end(), is_upper_alnum);
}

bool valid_creditor_reference(std::string_view ref) {
  if (ref.size() < 5 || ref.size() > 25) return false;
  if (ref[0] != 'R' || ref[1] != 'F' || !is_digit(ref[2]) || !is_digit(ref[3])) return false;
  if (!std::all_of(ref.begin(), ref.end(), is_upper_alnum)) return false;
  return check_digits_hold(ref);
}

// Length of the well-formed UTF-8 sequence at s[pos], 0 when it is not one
// (overlong forms and surrogates included).
size_t utf8_sequence_length(std::string_view s, size_t pos) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t code_point = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (pos + length > s.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(s[pos + i]);
    if ((next & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  static constexpr std::array<uint32_t, 5> kSmallest = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kSmallest[length] || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

// One EPC element: a line break inside would shift every element after it,
// so control characters become spaces; cut to `max_chars` characters (not
// bytes). nullopt when the text is not UTF-8.
std::optional<std::string> epc_element(std::string_view text, size_t max_chars) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    const size_t length = utf8_sequence_length(text, pos);
    if (length == 0) return std::nullopt;
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (length == 1 && (byte < 0x20 || byte == 0x7F)) {
      out += ' ';
    } else {
      out.append(text.substr(pos, length));
    }
    pos += length;
  }
  const auto not_space = [](char c) { return c != ' '; };
  out.erase(out.begin(), std::find_if(out.begin(), out.end(), not_space));
  out.erase(std::find_if(out.rbegin(), out.rend(), not_space).base(), out.end());
  // Cut after trimming, counting characters again: leading spaces are gone.
  size_t pos = 0;
  for (size_t chars = 0; pos < out.size() && chars < max_chars; ++chars) pos += utf8_sequence_length(out, pos);
  out.resize(pos);
  out.erase(std::find_if(out.rbegin(), out.rend(), not_space).base(), out.end());
  return out;
}

// Text for pango: valid UTF-8 (pango refuses anything else), and control
// characters other than the line break as spaces, since they would print as
// boxes.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const size_t length = utf8_sequence_length(text, pos);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD, as any reader shows a broken byte
      ++pos;
      continue;
    }
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (length == 1 && byte != '\n' && (byte < 0x20 || byte == 0x7F)) {
      out += ' ';
    } else {
      out.append(text.substr(pos, length));
    }
    pos += length;
  }
  return out;
}

// A no-break space keeps "EUR 1,234.50" and grouped codes on one line.
constexpr std::string_view kNbsp = "\xC2\xA0";

std::string group_thousands(std::string_view plain) {
  const size_t sign = (!plain.empty() && plain[0] == '-') ? 1 : 0;
  size_t point = plain.find('.');
  if (point == std::string_view::npos) point = plain.size();
  const std::string_view digits = plain.substr(sign, point - sign);
  std::string out(plain.substr(0, sign));
  for (size_t i = 0; i < digits.size(); ++i) {
    out += digits[i];
    const size_t left = digits.size() - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  out += plain.substr(point);
  return out;
}

std::string money_text(const Money& m) {
  return std::string(m.currency().code()) + std::string(kNbsp) + format_amount(m);
}

std::string negated_money_text(const Money& m) {
  if (m.is_zero()) return money_text(m);
  return std::string(m.currency().code()) + std::string(kNbsp) + "-" + format_amount(m);
}

// A unit price in ten-thousandths: at least the currency's decimals, more
// only when the price has them ("12.50", "0.1234", "100" in JPY).
std::string unit_price_text(int64_t price_e4, Currency currency) {
  const bool negative = price_e4 < 0;
  const uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(price_e4) : static_cast<uint64_t>(price_e4);
  std::string fraction = std::to_string(magnitude % 10000);
  fraction.insert(0, 4 - fraction.size(), '0');
  const size_t min_decimals = static_cast<size_t>(std::min(currency.exponent(), 4));
  while (fraction.size() > min_decimals && fraction.back() == '0') fraction.pop_back();
  std::string plain = (negative ? "-" : "") + std::to_string(magnitude / 10000);
  if (!fraction.empty()) plain += "." + fraction;
  return group_thousands(plain);
}

std::string percent_text(int64_t basis_points) {
  std::string fraction = std::to_string(basis_points % 100);
  if (fraction.size() < 2) fraction.insert(0, 1, '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return std::to_string(basis_points / 100) + (fraction.empty() ? "" : "." + fraction) + "%";
}

// The rate column of a line: the category only where it is not the usual S.
std::string tax_cell(std::string_view category, int64_t rate_bp) {
  std::string text = percent_text(rate_bp);
  if (!category.empty() && category != "S") text += " " + std::string(category);
  return text;
}

// UN/ECE rec. 20 codes a reader knows by a symbol; counted pieces need none.
std::string unit_symbol(std::string_view code) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kSymbols = {{
      {"C62", ""},     {"H87", ""},   {"EA", ""},    {"XPP", ""},   {"KGM", "kg"},
      {"GRM", "g"},    {"TNE", "t"},  {"MTR", "m"},  {"CMT", "cm"}, {"MMT", "mm"},
      {"KMT", "km"},   {"MTK", "m²"}, {"MTQ", "m³"}, {"LTR", "l"},  {"MLT", "ml"},
      {"HUR", "h"},    {"MIN", "min"}, {"SEC", "s"}, {"DAY", "d"},  {"SET", "set"},
  }};
  for (const auto& [c, symbol] : kSymbols) {
    if (c == code) return std::string(symbol);
  }
  return std::string(code);
}

std::string quantity_text(const DocumentLine& line) {
  std::string text = group_thousands(line.quantity.to_string());
  const std::string unit = unit_symbol(line.unit_code);
  if (!unit.empty()) text += std::string(kNbsp) + unit;
  return text;
}

std::string country_name(std::string_view code) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 37> kNames = {{
      {"AT", "Austria"},     {"BE", "Belgium"},       {"BG", "Bulgaria"},      {"CH", "Switzerland"},
      {"CY", "Cyprus"},      {"CZ", "Czechia"},       {"DE", "Germany"},       {"DK", "Denmark"},
      {"EE", "Estonia"},     {"ES", "Spain"},         {"FI", "Finland"},       {"FR", "France"},
      {"GB", "United Kingdom"}, {"GR", "Greece"},     {"HR", "Croatia"},       {"HU", "Hungary"},
      {"IE", "Ireland"},     {"IS", "Iceland"},       {"IT", "Italy"},         {"LI", "Liechtenstein"},
      {"LT", "Lithuania"},   {"LU", "Luxembourg"},    {"LV", "Latvia"},        {"MT", "Malta"},
      {"NL", "Netherlands"}, {"NO", "Norway"},        {"PL", "Poland"},        {"PT", "Portugal"},
      {"RO", "Romania"},     {"SE", "Sweden"},        {"SI", "Slovenia"},      {"SK", "Slovakia"},
      {"US", "United States"}, {"CA", "Canada"},      {"AU", "Australia"},     {"JP", "Japan"},
      {"CN", "China"},
  }};
  for (const auto& [c, name] : kNames) {
    if (c == code) return std::string(name);
  }
  return std::string(code);
}

std::string category_name(std::string_view category) {
  if (category == "S") return "Standard rate";
  if (category == "Z") return "Zero rated";
  if (category == "E") return "Exempt";
  if (category == "AE") return "Reverse charge";
  if (category == "K") return "Intra-EU supply";
  if (category == "G") return "Export outside the EU";
  if (category == "O") return "Not subject to VAT";
  if (category == "L") return "Canary Islands IGIC";
  if (category == "M") return "Ceuta and Melilla IPSI";
  return std::string(category);
}

bool needs_exemption_reason(std::string_view category) {
  return category == "E" || category == "AE" || category == "K" || category == "G" || category == "O";
}

// What the law wants the invoice to say when the document carries only a
// VATEX code or nothing (BR-E-10 and its siblings require one of them).
std::string default_exemption_text(std::string_view category) {
  if (category == "E") return "Exempt from VAT.";
  if (category == "AE") return "Reverse charge: the customer is liable for the VAT.";
  if (category == "K") return "Intra-community supply of goods, exempt from VAT.";
  if (category == "G") return "Export of goods outside the EU, exempt from VAT.";
  if (category == "O") return "Not subject to VAT.";
  return {};
}

// The code leads: at the start of the line it is never broken at a hyphen.
std::string exemption_text(const TaxSubtotal& subtotal) {
  const std::string reason = subtotal.exemption_reason.value_or(default_exemption_text(subtotal.category));
  if (!subtotal.exemption_reason_code) return reason;
  return *subtotal.exemption_reason_code + (reason.empty() ? "" : ": " + reason);
}

// A party's free-text address, one printed line per part.
std::vector<std::string> address_lines(const std::optional<std::string>& address) {
  std::vector<std::string> lines;
  if (!address) return lines;
  const std::string& text = *address;
  size_t start = 0;
  const auto push = [&](size_t end) {
    std::string part = text.substr(start, end - start);
    const auto not_space = [](char c) { return c != ' ' && c != '\t' && c != '\r'; };
    part.erase(part.begin(), std::find_if(part.begin(), part.end(), not_space));
    part.erase(std::find_if(part.rbegin(), part.rend(), not_space).base(), part.end());
    if (!part.empty()) lines.push_back(part);
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      push(i);
      start = i + 1;
    } else if (text[i] == ',' && i + 1 < text.size() && text[i + 1] == ' ') {
      push(i);
      start = i + 2;
      ++i;
    }
  }
  push(text.size());
  return lines;
}

// ---------------------------------------------------------------------------
// Owning handles for the C libraries

struct GObjectUnref {
  void operator()(void* p) const { g_object_unref(p); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* p) const { cairo_surface_destroy(p); }
};
struct CairoDestroy {
  void operator()(cairo_t* p) const { cairo_destroy(p); }
};
struct FontDescriptionFree {
  void operator()(PangoFontDescription* p) const { pango_font_description_free(p); }
};
struct QrFree {
  void operator()(QRcode* p) const { QRcode_free(p); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using PangoContextPtr = std::unique_ptr<PangoContext, GObjectUnref>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;
using QrPtr = std::unique_ptr<QRcode, QrFree>;

// ---------------------------------------------------------------------------
// Drawing

// Tried in order by fontconfig; "Sans" always resolves to some installed
// face, and pango falls back per character for glyphs a face lacks.
constexpr const char* kFontFamilies = "DejaVu Sans,Liberation Sans,Noto Sans,Arial,Sans";

struct Colour {
  double r, g, b;
};
constexpr Colour kInk{0.10, 0.10, 0.12};
constexpr Colour kMuted{0.40, 0.40, 0.44};
constexpr Colour kRule{0.78, 0.78, 0.80};
constexpr Colour kShade{0.94, 0.95, 0.96};
constexpr Colour kAccent{0.08, 0.24, 0.45};
constexpr Colour kWhite{1.0, 1.0, 1.0};
constexpr Colour kBlack{0.0, 0.0, 0.0};

enum class Align { left, right };

struct TextStyle {
  double size = 9.0;
  bool bold = false;
  Colour colour = kInk;
  Align align = Align::left;
  int max_lines = 0;  // 0: as many as the text needs; n: ellipsis after n lines
};

TextStyle with_align(TextStyle s, Align a) {
  s.align = a;
  return s;
}
TextStyle with_lines(TextStyle s, int n) {
  s.max_lines = n;
  return s;
}

constexpr TextStyle kBody{9.0};
constexpr TextStyle kBodyBold{9.0, true};
constexpr TextStyle kSmall{7.5, false, kMuted};
constexpr TextStyle kLabel{7.5, true, kMuted};
constexpr TextStyle kCell{8.5};
constexpr TextStyle kSectionTitle{10.0, true, kAccent};

// Text with some stretches in bold, as byte ranges into the text.
class RichText {
 public:
  RichText& plain(std::string_view s) {
    text_ += printable(s);
    return *this;
  }
  RichText& bold(std::string_view s) {
    const size_t begin = text_.size();
    text_ += printable(s);
    bold_.emplace_back(begin, text_.size());
    return *this;
  }
  const std::string& text() const { return text_; }
  const std::vector<std::pair<size_t, size_t>>& bold_ranges() const { return bold_; }

 private:
  std::string text_;
  std::vector<std::pair<size_t, size_t>> bold_;
};

// Lays text out with pango and, while inking, draws it with cairo. With ink
// off it only measures: the renderer runs once that way to count the pages
// for "page n of m", and measures blocks before deciding where they go.
class Canvas {
 public:
  Canvas(cairo_t* cr, PangoContext* context) : cr_(cr), context_(context) {}

  bool inking() const { return ink_; }
  void set_ink(bool on) { ink_ = on; }

  // `text` `width` wide with its top left at (x, y); returns its height.
  double text(double x, double y, double width, const RichText& text, const TextStyle& style) {
    const LayoutPtr layout = make_layout(text, style, width);
    int height = 0;
    pango_layout_get_size(layout.get(), nullptr, &height);
    if (ink_) {
      cairo_set_source_rgb(cr_, style.colour.r, style.colour.g, style.colour.b);
      cairo_move_to(cr_, x, y);
      pango_cairo_show_layout(cr_, layout.get());
    }
    return static_cast<double>(height) / PANGO_SCALE;
  }
  double text(double x, double y, double width, std::string_view text, const TextStyle& style) {
    return this->text(x, y, width, RichText().plain(text), style);
  }

  // The width `text` takes on one line.
  double width_of(std::string_view text, const TextStyle& style) {
    const LayoutPtr layout = make_layout(RichText().plain(text), style, 0);
    int width = 0;
    pango_layout_get_size(layout.get(), &width, nullptr);
    return static_cast<double>(width) / PANGO_SCALE;
  }

  void hline(double x1, double x2, double y, double thickness, Colour colour) {
    if (!ink_) return;
    cairo_set_source_rgb(cr_, colour.r, colour.g, colour.b);
    cairo_set_line_width(cr_, thickness);
    cairo_move_to(cr_, x1, y);
    cairo_line_to(cr_, x2, y);
    cairo_stroke(cr_);
  }

  void fill(double x, double y, double w, double h, Colour colour) {
    if (!ink_) return;
    cairo_set_source_rgb(cr_, colour.r, colour.g, colour.b);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
  }

  // The QR code `size` wide including the four-module quiet zone readers need.
  void qr(double x, double y, double size, const QRcode& code) {
    if (!ink_) return;
    constexpr int kQuietModules = 4;
    const double module = size / (code.width + 2 * kQuietModules);
    fill(x, y, size, size, kWhite);
    // One path for all dark modules: filled at once, neighbours share edges
    // and no hairline seams appear between them when rasterised.
    for (int row = 0; row < code.width; ++row) {
      for (int col = 0; col < code.width; ++col) {
        if ((code.data[row * code.width + col] & 1) == 0) continue;
        cairo_rectangle(cr_, x + (col + kQuietModules) * module, y + (row + kQuietModules) * module, module,
                        module);
      }
    }
    cairo_set_source_rgb(cr_, kBlack.r, kBlack.g, kBlack.b);
    cairo_fill(cr_);
  }

 private:
  LayoutPtr make_layout(const RichText& text, const TextStyle& style, double width) {
    LayoutPtr layout(pango_layout_new(context_));
    const FontDescriptionPtr font(pango_font_description_from_string(kFontFamilies));
    // Absolute size: the size in cairo user units, which are PDF points here.
    pango_font_description_set_absolute_size(font.get(), style.size * PANGO_SCALE);
    pango_font_description_set_weight(font.get(), style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_text(layout.get(), text.text().data(), static_cast<int>(text.text().size()));
    if (width > 0) {
      pango_layout_set_width(layout.get(), pango_units_from_double(width));
      pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
      if (style.max_lines > 0) {
        pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
        pango_layout_set_height(layout.get(), -style.max_lines);
      }
    }
    pango_layout_set_alignment(layout.get(), style.align == Align::right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    if (!text.bold_ranges().empty()) {
      PangoAttrList* attributes = pango_attr_list_new();
      for (const auto& [begin, end] : text.bold_ranges()) {
        PangoAttribute* bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        bold->start_index = static_cast<guint>(begin);
        bold->end_index = static_cast<guint>(end);
        pango_attr_list_insert(attributes, bold);
      }
      pango_layout_set_attributes(layout.get(), attributes);
      pango_attr_list_unref(attributes);
    }
    return layout;
  }

  cairo_t* cr_;
  PangoContext* context_;
  bool ink_ = true;
};

// A4 in PDF points, and the frame the content keeps to.
constexpr double kPageWidth = 595.2756;
constexpr double kPageHeight = 841.8898;
constexpr double kLeft = 56.0;
constexpr double kRight = kPageWidth - 56.0;
constexpr double kWidth = kRight - kLeft;
constexpr double kTop = 50.0;
constexpr double kFooterRule = kPageHeight - 52.0;
constexpr double kBottom = kFooterRule - 12.0;
constexpr double kColumnGap = 8.0;
constexpr double kCellPad = 3.0;

// The lines table: #, SKU, description, quantity, unit price, VAT, net.
constexpr size_t kColumns = 7;
enum Column : size_t { kNo, kSku, kDescription, kQty, kUnitPrice, kVat, kNet };

struct TableColumns {
  std::array<double, kColumns> x{};
  std::array<double, kColumns> width{};
  std::array<std::string, kColumns> heading;
};

class InvoiceLayout {
 public:
  InvoiceLayout(const InvoiceDocument& doc, Canvas& canvas, cairo_t* cr, const QRcode* qr)
      : doc_(doc), canvas_(canvas), cr_(cr), qr_(qr) {
    columns_ = table_columns();
  }

  // Lays out every page and draws them when the canvas inks; returns how
  // many pages there are. `page_count` is what the footers say.
  int run(int page_count) {
    page_count_ = page_count;
    page_ = 1;
    y_ = kTop;
    first_page_header();
    lines_table();
    if (!doc_.allowances_charges.empty()) keep_together([this](double y) { return allowances_charges(y); });
    keep_together([this](double y) { return summary(y); });
    keep_together([this](double y) { return payment(y); });
    finish_page();
    return page_;
  }

 private:
  bool is_credit_note() const { return doc_.kind == DocumentKind::credit_note; }
  std::string title() const { return is_credit_note() ? "Credit note" : "Invoice"; }

  // ----- pages

  void finish_page() {
    canvas_.hline(kLeft, kRight, kFooterRule, 0.5, kRule);
    const std::string page_info =
        doc_.number + "  ·  Page " + std::to_string(page_) + " of " + std::to_string(std::max(page_count_, page_));
    const double page_info_width = std::min(canvas_.width_of(page_info, kSmall) + 1, kWidth / 2);
    canvas_.text(kRight - page_info_width, kFooterRule + 5, page_info_width, page_info,
                 with_lines(with_align(kSmall, Align::right), 1));
    // The letterhead's small print: who issued the document, how to reach
    // them, where to pay.
    const auto joined = [](const std::vector<std::string>& parts, std::string_view separator) {
      std::string out;
      for (const std::string& part : parts) {
        if (part.empty()) continue;
        if (!out.empty()) out += separator;
        out += part;
      }
      return out;
    };
    std::vector<std::string> who = {doc_.seller.name};
    for (const std::string& line : address_lines(doc_.seller.address)) who.push_back(line);
    const std::string contact = joined({doc_.seller.vat_id ? "VAT ID " + *doc_.seller.vat_id : "",
                                        doc_.seller.email.value_or("")},
                                       "  ·  ");
    const std::string bic = doc_.bic ? compact_code(*doc_.bic) : "";
    const std::string bank = joined({doc_.iban ? "IBAN " + group_by_four(*doc_.iban) : "",
                                     bic.empty() ? "" : "BIC " + bic},
                                    "  ·  ");
    const double left_width = kWidth - page_info_width - 2 * kColumnGap;
    double y = kFooterRule + 5;
    for (const std::string& line : {joined(who, ", "), contact, bank}) {
      if (!line.empty()) y += canvas_.text(kLeft, y, left_width, line, with_lines(kSmall, 1));
    }
    if (canvas_.inking()) cairo_show_page(cr_);
  }

  void new_page() {
    finish_page();
    ++page_;
    y_ = kTop;
    const double left = canvas_.text(kLeft, y_, kWidth * 0.5, doc_.seller.name, with_lines(kBodyBold, 1));
    const double right = canvas_.text(kLeft + kWidth * 0.5, y_, kWidth * 0.5,
                                      title() + " " + doc_.number + " (continued)",
                                      with_lines(with_align(kBody, Align::right), 1));
    y_ += std::max(left, right) + 4;
    canvas_.hline(kLeft, kRight, y_, 0.5, kRule);
    y_ += 12;
    page_top_ = y_;
  }

  // Measures a block, starts a new page when it does not fit on this one
  // (unless the page is still empty: a block taller than a page runs over),
  // then draws it.
  template <typename Block>
  void keep_together(Block block) {
    const double height = measure([&] { return block(y_); });
    if (y_ + height > kBottom && y_ > page_top_) new_page();
    y_ += block(y_);
  }

  template <typename Block>
  double measure(Block block) {
    const bool ink = canvas_.inking();
    canvas_.set_ink(false);
    const double height = block();
    canvas_.set_ink(ink);
    return height;
  }

  // ----- first page

  std::vector<std::string> party_lines(const Party& party, const Party& other) const {
    std::vector<std::string> lines = address_lines(party.address);
    if (!party.country.empty() && party.country != other.country) lines.push_back(country_name(party.country));
    return lines;
  }

  void first_page_header() {
    page_top_ = kTop;
    const double left_width = kWidth * 0.58;
    double left = canvas_.text(kLeft, y_, left_width, doc_.seller.name, TextStyle{13.0, true, kInk});
    left += 3;
    for (const std::string& line : party_lines(doc_.seller, doc_.buyer)) {
      left += canvas_.text(kLeft, y_ + left, left_width, line, TextStyle{8.5, false, kMuted});
    }
    if (doc_.seller.vat_id) {
      left += canvas_.text(kLeft, y_ + left, left_width, "VAT ID " + *doc_.seller.vat_id,
                           TextStyle{8.5, false, kMuted});
    }
    if (doc_.seller.email) {
      left += canvas_.text(kLeft, y_ + left, left_width, *doc_.seller.email, TextStyle{8.5, false, kMuted});
    }
    const double right_x = kLeft + left_width;
    const double right_width = kWidth - left_width;
    double right = canvas_.text(right_x, y_ - 4, right_width, title(),
                                TextStyle{24.0, true, kAccent, Align::right}) - 4;
    right += canvas_.text(right_x, y_ + right, right_width, doc_.number,
                          TextStyle{11.0, true, kInk, Align::right, 1});
    y_ += std::max(left, right) + 12;
    canvas_.hline(kLeft, kRight, y_, 0.8, kAccent);
    y_ += 14;

    // The recipient and the document's facts side by side.
    double recipient = canvas_.text(kLeft, y_, left_width, is_credit_note() ? "CREDIT TO" : "BILL TO", kLabel);
    recipient += 3;
    recipient += canvas_.text(kLeft, y_ + recipient, left_width - kColumnGap, doc_.buyer.name,
                              TextStyle{10.5, true});
    for (const std::string& line : party_lines(doc_.buyer, doc_.seller)) {
      recipient += canvas_.text(kLeft, y_ + recipient, left_width - kColumnGap, line, kBody);
    }
    if (doc_.buyer.vat_id) {
      recipient += canvas_.text(kLeft, y_ + recipient, left_width - kColumnGap, "VAT ID " + *doc_.buyer.vat_id,
                                kBody);
    }
    const double facts = facts_grid(right_x, y_, right_width, document_facts());
    y_ += std::max(recipient, facts) + 16;

    if (doc_.note && !doc_.note->empty()) {
      RichText note;
      note.bold(is_credit_note() ? "Reason: " : "Note: ").plain(*doc_.note);
      y_ += canvas_.text(kLeft, y_, kWidth, note, kBody) + 14;
    }
  }

  std::vector<std::pair<std::string, std::string>> document_facts() const {
    std::vector<std::pair<std::string, std::string>> facts;
    facts.reserve(9);  // also keeps GCC 12's -Warray-bounds false positive on growth away
    facts.emplace_back(is_credit_note() ? "Credit note no." : "Invoice no.", doc_.number);
    facts.emplace_back(is_credit_note() ? "Credit note date" : "Invoice date", doc_.issue_date.to_string());
    if (doc_.due_date) facts.emplace_back("Due date", doc_.due_date->to_string());
    if (doc_.preceding_invoice_number) facts.emplace_back("Corrects invoice", *doc_.preceding_invoice_number);
    if (doc_.preceding_invoice_date) facts.emplace_back("Invoice date", doc_.preceding_invoice_date->to_string());
    if (doc_.delivery_date) facts.emplace_back("Delivery date", doc_.delivery_date->to_string());
    if (doc_.order_reference) facts.emplace_back("Order", *doc_.order_reference);
    if (doc_.buyer_reference) facts.emplace_back("Your reference", *doc_.buyer_reference);
    facts.emplace_back("Currency", std::string(doc_.currency.code()));
    return facts;
  }

  double facts_grid(double x, double y, double width,
                    const std::vector<std::pair<std::string, std::string>>& facts) {
    double label_width = 0;
    for (const auto& fact : facts) label_width = std::max(label_width, canvas_.width_of(fact.first, kSmall));
    label_width += kColumnGap;
    double height = 0;
    for (const auto& [label, value] : facts) {
      // Labels are smaller than values; nudge them down onto the values' baseline.
      const double label_height = canvas_.text(x, y + height + 1.2, label_width, label, kSmall);
      const double value_height =
          canvas_.text(x + label_width, y + height, width - label_width, value, with_align(kBodyBold, Align::right));
      height += std::max(label_height, value_height) + 2.5;
    }
    return height;
  }

  // ----- lines

  TableColumns table_columns() {
    TableColumns t;
    const std::string code(doc_.currency.code());
    t.heading = {"#", "SKU", "Description", "Qty", "Unit price", "VAT", "Net " + code};
    std::array<double, kColumns> widest{};
    for (size_t c = 0; c < kColumns; ++c) widest[c] = canvas_.width_of(t.heading[c], kLabel);
    for (const DocumentLine& line : doc_.lines) {
      widest[kNo] = std::max(widest[kNo], canvas_.width_of(line.id, kCell));
      widest[kSku] = std::max(widest[kSku], canvas_.width_of(line.sku, kCell));
      widest[kQty] = std::max(widest[kQty], canvas_.width_of(quantity_text(line), kCell));
      widest[kUnitPrice] =
          std::max(widest[kUnitPrice], canvas_.width_of(unit_price_text(line.unit_price_e4, doc_.currency), kCell));
      widest[kVat] = std::max(widest[kVat], canvas_.width_of(tax_cell(line.tax_category, line.tax_rate_bp), kCell));
      widest[kNet] = std::max(widest[kNet], canvas_.width_of(format_amount(line.line_net), kCell));
    }
    for (const AllowanceCharge& ac : doc_.allowances_charges) {
      widest[kVat] = std::max(widest[kVat], canvas_.width_of(tax_cell(ac.tax_category, ac.tax_rate_bp), kCell));
      widest[kNet] = std::max(widest[kNet], canvas_.width_of("-" + format_amount(ac.amount), kCell));
    }
    // Numbers always get the width they need; a long SKU wraps in at most
    // 80 points; the description takes the rest.
    t.width = widest;
    t.width[kNo] = std::min(widest[kNo], 36.0);
    t.width[kSku] = std::clamp(widest[kSku], 40.0, 80.0);
    double fixed = 0;
    for (size_t c = 0; c < kColumns; ++c) {
      if (c != kDescription) fixed += t.width[c];
    }
    t.width[kDescription] = std::max(kWidth - fixed - kColumnGap * (kColumns - 1), 100.0);
    double x = kLeft;
    for (size_t c = 0; c < kColumns; ++c) {
      t.x[c] = x;
      x += t.width[c] + kColumnGap;
    }
    return t;
  }

  static bool right_aligned(size_t column) { return column >= kQty || column == kNo; }

  double table_header(double y) {
    double height = 0;
    for (size_t c = 0; c < kColumns; ++c) {
      height = std::max(height, measure([&] {
                          return canvas_.text(columns_.x[c], y, columns_.width[c], columns_.heading[c], kLabel);
                        }));
    }
    height += 2 * kCellPad;
    canvas_.fill(kLeft - 4, y, kWidth + 8, height, kShade);
    for (size_t c = 0; c < kColumns; ++c) {
      canvas_.text(columns_.x[c], y + kCellPad, columns_.width[c], columns_.heading[c],
                   with_align(with_lines(kLabel, 1), right_aligned(c) ? Align::right : Align::left));
    }
    return height;
  }

  double line_row(const DocumentLine& line, double y) {
    const double top = y + kCellPad;
    std::array<double, kColumns> heights{};
    const auto cell = [&](size_t c, const std::string& text, int max_lines) {
      heights[c] = canvas_.text(columns_.x[c], top, columns_.width[c], text,
                                with_lines(with_align(kCell, right_aligned(c) ? Align::right : Align::left),
                                           max_lines));
    };
    cell(kNo, line.id, 1);
    cell(kSku, line.sku, 2);
    cell(kDescription, line.name, 4);
    if (line.order_reference) {
      heights[kDescription] += canvas_.text(columns_.x[kDescription], top + heights[kDescription],
                                            columns_.width[kDescription], "Order " + *line.order_reference,
                                            with_lines(kSmall, 1));
    }
    cell(kQty, quantity_text(line), 1);
    cell(kUnitPrice, unit_price_text(line.unit_price_e4, doc_.currency), 1);
    cell(kVat, tax_cell(line.tax_category, line.tax_rate_bp), 1);
    cell(kNet, format_amount(line.line_net), 1);
    const double height = *std::max_element(heights.begin(), heights.end()) + 2 * kCellPad;
    canvas_.hline(kLeft - 4, kRight + 4, y + height, 0.3, kRule);
    return height;
  }

  void lines_table() {
    if (doc_.lines.empty()) return;
    // The header never stands alone at the foot of a page.
    const double first_row = measure([&] { return table_header(y_) + line_row(doc_.lines.front(), y_); });
    if (y_ + first_row > kBottom) new_page();
    y_ += table_header(y_);
    for (const DocumentLine& line : doc_.lines) {
      const double height = measure([&] { return line_row(line, y_); });
      if (y_ + height > kBottom) {
        new_page();
        y_ += table_header(y_);
      }
      y_ += line_row(line, y_);
    }
    y_ += 14;
  }

  // Laid out in the lines table's columns so that amounts and rates line up.
  double allowances_charges(double y) {
    double height = canvas_.text(kLeft, y, kWidth, "Allowances and charges", kSectionTitle) + 4;
    const double reason_x = columns_.x[kSku];
    const double reason_width = columns_.x[kVat] - kColumnGap - reason_x;
    for (const AllowanceCharge& ac : doc_.allowances_charges) {
      const double top = y + height + kCellPad;
      RichText reason;
      reason.bold(ac.is_charge ? "Charge" : "Allowance");
      if (!ac.reason.empty()) reason.plain(": " + ac.reason);
      const double reason_height = canvas_.text(reason_x, top, reason_width, reason, with_lines(kCell, 3));
      canvas_.text(columns_.x[kVat], top, columns_.width[kVat], tax_cell(ac.tax_category, ac.tax_rate_bp),
                   with_lines(with_align(kCell, Align::right), 1));
      const std::string amount = (ac.is_charge ? "" : "-") + format_amount(ac.amount);
      canvas_.text(columns_.x[kNet], top, columns_.width[kNet], amount,
                   with_lines(with_align(kCell, Align::right), 1));
      height += reason_height + 2 * kCellPad;
      canvas_.hline(kLeft - 4, kRight + 4, y + height, 0.3, kRule);
    }
    return height + 14;
  }

  // ----- VAT breakdown and totals

  double summary(double y) {
    constexpr double kTotalsWidth = 220.0;
    const double vat_width = kWidth - kTotalsWidth - 28.0;
    const double vat = vat_breakdown(kLeft, y, vat_width);
    const double totals = totals_block(kRight - kTotalsWidth, y, kTotalsWidth);
    return std::max(vat, totals) + 14;
  }

  double vat_breakdown(double x, double y, double width) {
    double height = canvas_.text(x, y, width, "VAT breakdown", kSectionTitle) + 4;
    const std::array<std::string, 4> headings = {"Category", "Rate", "Taxable", "VAT"};
    std::array<double, 4> widths{};
    for (size_t c = 1; c < 4; ++c) widths[c] = canvas_.width_of(headings[c], kLabel);
    for (const TaxSubtotal& t : doc_.tax_subtotals) {
      widths[1] = std::max(widths[1], canvas_.width_of(percent_text(t.rate_bp), kCell));
      widths[2] = std::max(widths[2], canvas_.width_of(format_amount(t.taxable), kCell));
      widths[3] = std::max(widths[3], canvas_.width_of(format_amount(t.tax), kCell));
    }
    widths[0] = std::max(width - widths[1] - widths[2] - widths[3] - 3 * kColumnGap, 60.0);
    std::array<double, 4> xs{};
    xs[0] = x;
    for (size_t c = 1; c < 4; ++c) xs[c] = xs[c - 1] + widths[c - 1] + kColumnGap;

    const double header_height = measure([&] { return canvas_.text(x, 0, width, headings[0], kLabel); });
    canvas_.fill(x - 4, y + height, width + 8, header_height + 2 * kCellPad, kShade);
    for (size_t c = 0; c < 4; ++c) {
      canvas_.text(xs[c], y + height + kCellPad, widths[c], headings[c],
                   with_align(kLabel, c == 0 ? Align::left : Align::right));
    }
    height += header_height + 2 * kCellPad;

    for (const TaxSubtotal& t : doc_.tax_subtotals) {
      const double top = y + height + kCellPad;
      double row = canvas_.text(xs[0], top, widths[0], category_name(t.category) + " (" + t.category + ")", kCell);
      canvas_.text(xs[1], top, widths[1], percent_text(t.rate_bp), with_align(kCell, Align::right));
      canvas_.text(xs[2], top, widths[2], format_amount(t.taxable), with_align(kCell, Align::right));
      canvas_.text(xs[3], top, widths[3], format_amount(t.tax), with_align(kCell, Align::right));
      if (needs_exemption_reason(t.category) || t.exemption_reason || t.exemption_reason_code) {
        row += 1.5 + canvas_.text(xs[0], top + row + 1.5, width, exemption_text(t), kSmall);
      }
      height += row + 2 * kCellPad;
      canvas_.hline(x - 4, x + width + 4, y + height, 0.3, kRule);
    }
    if (doc_.tax_currency && doc_.tax_total_in_tax_currency) {
      std::string text = "VAT in " + std::string(doc_.tax_currency->code()) + ": " +
                         money_text(*doc_.tax_total_in_tax_currency);
      if (doc_.fx_rate) {
        text += " (1 " + std::string(doc_.currency.code()) + " = " + *doc_.fx_rate + " " +
                std::string(doc_.tax_currency->code()) + ")";
      }
      height += 4 + canvas_.text(x, y + height + 4, width, text, kSmall);
    }
    return height;
  }

  double totals_block(double x, double y, double width) {
    struct Row {
      std::string label;
      std::string value;
      TextStyle style;
      bool rule_above = false;
      bool shaded = false;
    };
    std::vector<Row> rows;
    rows.push_back({"Lines net total", money_text(doc_.net_total), kBody});
    if (!doc_.allowance_total.is_zero() || !doc_.allowances_charges.empty()) {
      rows.push_back({"Allowances", negated_money_text(doc_.allowance_total), kBody});
    }
    if (!doc_.charge_total.is_zero() || !doc_.allowances_charges.empty()) {
      rows.push_back({"Charges", money_text(doc_.charge_total), kBody});
    }
    rows.push_back({"Total excl. VAT", money_text(doc_.tax_exclusive), kBody});
    rows.push_back({"VAT", money_text(doc_.tax_total), kBody});
    rows.push_back({is_credit_note() ? "Total credit" : "Total", money_text(doc_.total), TextStyle{10.0, true},
                    true});
    if (!doc_.paid.is_zero()) {
      rows.push_back({is_credit_note() ? "Already settled" : "Paid", negated_money_text(doc_.paid), kBody});
    }
    rows.push_back({is_credit_note() ? "Amount credited" : "Amount due", money_text(doc_.payable),
                    TextStyle{11.0, true, kAccent}, false, true});

    double height = 0;
    for (const Row& row : rows) {
      if (row.rule_above) {
        height += 3;
        canvas_.hline(x, x + width, y + height, 0.6, kInk);
        height += 4;
      }
      const double pad = row.shaded ? 5.0 : 1.5;
      TextStyle label_style = row.style;
      label_style.max_lines = 2;
      // The amount gets what it needs; the label wraps in the rest.
      const double label_width =
          std::max(width - canvas_.width_of(row.value, row.style) - kColumnGap, width * 0.3);
      const double row_height =
          measure([&] { return canvas_.text(x, 0, label_width, row.label, label_style); }) + 2 * pad;
      if (row.shaded) canvas_.fill(x - 4, y + height + 2, width + 8, row_height, kShade);
      const double top = y + height + (row.shaded ? 2 : 0) + pad;
      canvas_.text(x, top, label_width, row.label, label_style);
      canvas_.text(x + label_width, top, width - label_width, row.value,
                   with_lines(with_align(row.style, Align::right), 1));
      height += row_height + (row.shaded ? 2 : 0);
    }
    return height;
  }

  // ----- payment

  std::string reference_to_quote() const {
    if (doc_.creditor_reference && !compact_code(*doc_.creditor_reference).empty()) {
      return group_by_four(*doc_.creditor_reference);
    }
    return doc_.number;
  }

  // Codes with spaces inside must not break across lines.
  static std::string unbreakable(std::string_view text) {
    std::string out;
    for (char c : text) {
      if (c == ' ') {
        out += kNbsp;
      } else {
        out += c;
      }
    }
    return out;
  }

  double payment(double y) {
    double height = canvas_.text(kLeft, y, kWidth, is_credit_note() ? "Settlement" : "Payment", kSectionTitle) + 4;
    if (!doc_.payment_terms.empty()) {
      RichText terms;
      terms.bold("Terms: ").plain(doc_.payment_terms);
      height += canvas_.text(kLeft, y + height, kWidth, terms, kBody) + 2;
    }
    if (doc_.discount_amount || doc_.discount_date) {
      RichText discount;
      discount.bold("Early payment discount: ");
      if (doc_.discount_amount) discount.plain("you may deduct ").bold(money_text(*doc_.discount_amount));
      if (doc_.discount_date) discount.plain(" if paid by ").bold(doc_.discount_date->to_string());
      discount.plain(".");
      height += canvas_.text(kLeft, y + height, kWidth, discount, kBody) + 2;
    }
    if (is_credit_note()) {
      RichText text;
      text.plain("This credit note corrects ");
      text.plain(doc_.preceding_invoice_number ? "invoice " + *doc_.preceding_invoice_number : "an earlier invoice");
      text.plain(" by ").bold(money_text(doc_.total)).plain(".");
      height += canvas_.text(kLeft, y + height, kWidth, text, kBody) + 2;
      return height + 10;
    }
    if (doc_.payable.minor() <= 0) {
      height += canvas_.text(kLeft, y + height, kWidth, "Nothing is due: this invoice has been paid in full.",
                             kBodyBold);
      return height + 10;
    }
    height += 6;
    return height + instruction_box(y + height) + 10;
  }

  double instruction_box(double y) {
    constexpr double kPad = 9.0;
    constexpr double kQrSize = 88.0;  // 31 mm with the quiet zone
    const double qr_space = qr_ ? kQrSize + kPad : 0.0;
    const double text_width = kWidth - 2 * kPad - qr_space;

    RichText please;
    please.plain("Please pay ").bold(unbreakable(money_text(doc_.payable)));
    if (doc_.due_date) please.plain(" by ").bold(doc_.due_date->to_string());
    if (doc_.iban) {
      please.plain("\nto IBAN ").bold(unbreakable(group_by_four(*doc_.iban)));
      if (doc_.bic && !compact_code(*doc_.bic).empty()) please.plain(" (BIC " + compact_code(*doc_.bic) + ")");
    }
    please.plain("\nquoting reference ").bold(unbreakable(reference_to_quote())).plain(".");
    const double please_height = measure([&] { return canvas_.text(0, 0, text_width, please, TextStyle{10.5}); });

    std::string holder_text = "Account holder: " + doc_.seller.name + ".";
    if (qr_) holder_text += "\nOr scan the code with your banking app (GiroCode / EPC QR).";
    const RichText holder = RichText().plain(holder_text);
    const double holder_height = measure([&] { return canvas_.text(0, 0, text_width, holder, kSmall); });

    const double inner = std::max(please_height + 6 + holder_height, qr_ ? kQrSize : 0.0);
    const double height = inner + 2 * kPad;
    canvas_.fill(kLeft, y, kWidth, height, kShade);
    canvas_.fill(kLeft, y, 3, height, kAccent);
    canvas_.text(kLeft + kPad, y + kPad, text_width, please, TextStyle{10.5});
    canvas_.text(kLeft + kPad, y + kPad + please_height + 6, text_width, holder, kSmall);
    if (qr_) canvas_.qr(kRight - kPad - kQrSize, y + kPad, kQrSize, *qr_);
    return height;
  }

  const InvoiceDocument& doc_;
  Canvas& canvas_;
  cairo_t* cr_;
  const QRcode* qr_;
  TableColumns columns_;
  int page_count_ = 0;
  int page_ = 1;
  double y_ = kTop;
  double page_top_ = kTop;  // where content starts on the current page
};

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  try {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  } catch (const std::bad_alloc&) {
    return CAIRO_STATUS_NO_MEMORY;
  }
}

// fontconfig answers a family list even with no font installed, and pango
// then lays out empty boxes; so ask whether plain Latin text gets glyphs.
bool fonts_available(PangoContext* context) {
  const LayoutPtr probe(pango_layout_new(context));
  const FontDescriptionPtr font(pango_font_description_from_string(kFontFamilies));
  pango_layout_set_font_description(probe.get(), font.get());
  constexpr std::string_view kProbe = "Invoice 0123456789";
  pango_layout_set_text(probe.get(), kProbe.data(), static_cast<int>(kProbe.size()));
  return pango_layout_get_unknown_glyphs_count(probe.get()) == 0;
}

Error cairo_error(std::string_view what, cairo_status_t status) {
  return Error::internal(std::string(what) + ": " + cairo_status_to_string(status));
}

}  // namespace

std::string group_by_four(std::string_view code) {
  const std::string compact = compact_code(code);
  std::string out;
  for (size_t i = 0; i < compact.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += compact[i];
  }
  return out;
}

std::string format_amount(const Money& amount) { return group_thousands(amount.to_string()); }

Result<std::optional<std::string>> epc_qr_payload(const InvoiceDocument& doc) {
  using Payload = std::optional<std::string>;
  // A credit note is money the seller owes: nobody scans it to pay.
  if (doc.kind != DocumentKind::invoice) return Payload{};
  if (doc.currency.code() != "EUR" || doc.payable.currency().code() != "EUR") return Payload{};
  if (!doc.iban) return Payload{};
  const std::string iban = compact_code(*doc.iban);
  if (iban.empty()) return Payload{};
  constexpr int64_t kMaxCents = 99'999'999'999;  // 999999999.99
  if (doc.payable.minor() < 1 || doc.payable.minor() > kMaxCents) return Payload{};

  if (!valid_iban(iban)) {
    return Error::invalid("invalid_iban", "the IBAN " + quoted_excerpt(iban) + " is not a valid IBAN", "iban");
  }
  const std::string bic = doc.bic ? compact_code(*doc.bic) : std::string();
  if (!bic.empty() && !valid_bic(bic)) {
    return Error::invalid("invalid_bic", "the BIC " + quoted_excerpt(bic) + " is not 8 or 11 valid characters",
                          "bic");
  }
  constexpr size_t kMaxNameChars = 70;
  const std::optional<std::string> name = epc_element(doc.seller.name, kMaxNameChars);
  if (!name || name->empty()) {
    return Error::invalid("invalid_beneficiary_name", "the seller's name is empty or not UTF-8", "seller.name");
  }
  std::string reference;
  std::string remittance_text;
  const std::string creditor_reference = doc.creditor_reference ? compact_code(*doc.creditor_reference) : "";
  if (!creditor_reference.empty()) {
    if (!valid_creditor_reference(creditor_reference)) {
      return Error::invalid("invalid_creditor_reference",
                            quoted_excerpt(creditor_reference) + " is not an ISO 11649 creditor reference",
                            "creditor_reference");
    }
    reference = creditor_reference;
  } else {
    constexpr size_t kMaxRemittanceChars = 140;
    remittance_text = epc_element(doc.number, kMaxRemittanceChars).value_or("");
  }

  std::vector<std::string> elements = {
      "BCD", "002", "1", "SCT", bic, *name, iban, "EUR" + doc.payable.to_string(),
      "",  // purpose
      reference, remittance_text,
      "",  // beneficiary to originator information
  };
  while (elements.back().empty()) elements.pop_back();
  std::string payload;
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) payload += '\n';
    payload += elements[i];
  }
  constexpr size_t kMaxPayloadBytes = 331;
  if (payload.size() > kMaxPayloadBytes) {
    return Error::invalid("epc_payload_too_long",
                          "the payment QR code would hold " + std::to_string(payload.size()) +
                              " bytes; at most 331 fit (shorten the seller's name)",
                          "seller.name");
  }
  return Payload{std::move(payload)};
}

Result<std::string> render_invoice_pdf(const InvoiceDocument& doc) {
  O2C_ASSIGN_OR_RETURN(const std::optional<std::string> epc, epc_qr_payload(doc));
  QrPtr qr;
  if (epc) {
    // Eight-bit mode: the payload is UTF-8 and the reader takes it byte for byte.
    qr.reset(QRcode_encodeData(static_cast<int>(epc->size()), reinterpret_cast<const unsigned char*>(epc->data()),
                               0, QR_ECLEVEL_M));
    if (!qr) return Error::internal("the payment QR code could not be encoded");
  }
  std::string bytes;
  SurfacePtr surface(cairo_pdf_surface_create_for_stream(append_to_string, &bytes, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return cairo_error("cannot create the PDF surface", cairo_surface_status(surface.get()));
  }
  const std::string title = printable(doc.number);
  const std::string author = printable(doc.seller.name);
  const std::string subject = printable((doc.kind == DocumentKind::credit_note ? "Credit note " : "Invoice ") +
                                        doc.number + " to " + doc.buyer.name);
  // The issue date, not the clock: the same document renders to the same bytes.
  const std::string created = doc.issue_date.to_string() + "T00:00:00Z";
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR, author.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_SUBJECT, subject.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "o2c");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());

  {
    CairoPtr cr(cairo_create(surface.get()));
    PangoContextPtr context(pango_cairo_create_context(cr.get()));
    // Unhinted metrics: positions measured are the positions printed.
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context.get(), options);
    cairo_font_options_destroy(options);
    if (!fonts_available(context.get())) {
      return Error{ErrorKind::internal, "no_fonts",
                   "fontconfig finds no font to set the invoice in (install fonts-dejavu-core)", {}};
    }

    Canvas canvas(cr.get(), context.get());
    InvoiceLayout layout(doc, canvas, cr.get(), qr.get());
    canvas.set_ink(false);
    const int pages = layout.run(0);
    canvas.set_ink(true);
    layout.run(pages);
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) return cairo_error("drawing failed", cairo_status(cr.get()));
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return cairo_error("writing the PDF failed", cairo_surface_status(surface.get()));
  }
  surface.reset();
  return bytes;
}

}  // namespace o2c::formats::pdf
