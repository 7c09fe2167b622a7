#include "formats/ubl/ubl.h"

#include <algorithm>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "core/decimal.h"
#include "core/money.h"
#include "domain/masterdata/fields.h"

namespace o2c::formats::ubl {
namespace {

// ---------------------------------------------------------------------------
// Text

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// XML 1.0 cannot carry C0 control characters other than tab and line breaks,
// not even escaped, and text pasted into a form sometimes has them.
std::string xml_text(std::string_view s) {
  std::string out;
  for (char c : trim_view(s)) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    out += c;
  }
  return out;
}

// Optional text that is there and not blank.
bool present(const std::optional<std::string>& s) { return s && !xml_text(*s).empty(); }

// Non-empty lines, trimmed.
std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string line = xml_text(text.substr(0, end));
    if (!line.empty()) lines.push_back(std::move(line));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_upper_letters(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// ---------------------------------------------------------------------------
// Errors

Error incomplete(std::string message, std::string field) {
  return Error::invalid("einvoice_incomplete", std::move(message), std::move(field));
}

Error invalid(std::string message, std::string field) {
  return Error::invalid("einvoice_invalid", std::move(message), std::move(field));
}

// ---------------------------------------------------------------------------
// Electronic addresses

// The schemes Peppol accepts for an EndpointID (PEPPOL-EN16931-CL008, Billing
// 3.0.21): a subset of the EAS code list.
constexpr std::string_view kPeppolEas[] = {
    "0002", "0007", "0009", "0060", "0088", "0096", "0097", "0106", "0130", "0135", "0142", "0151", "0158", "0183",
    "0184", "0188", "0190", "0191", "0192", "0195", "0196", "0198", "0199", "0200", "0201", "0204", "0208", "0209",
    "0210", "0211", "0216", "0218", "0221", "0225", "0230", "0235", "0240", "0242", "0244", "0245", "0246", "0248",
    "9910", "9913", "9914", "9915", "9918", "9919", "9920", "9922", "9923", "9924", "9925", "9926", "9927", "9928",
    "9929", "9930", "9931", "9932", "9933", "9934", "9935", "9936", "9937", "9938", "9939", "9940", "9941", "9942",
    "9943", "9944", "9945", "9946", "9947", "9948", "9949", "9950", "9951", "9952", "9953", "9957", "9959"};

bool peppol_accepts_scheme(std::string_view scheme) {
  return std::find(std::begin(kPeppolEas), std::end(kPeppolEas), scheme) != std::end(kPeppolEas);
}

// Countries whose VAT number is itself a Peppol address scheme; the
// identifier is the VAT number with its prefix (9930:DE811907980).
struct VatScheme {
  std::string_view prefix;
  std::string_view scheme;
};
constexpr VatScheme kVatSchemes[] = {
    {"AD", "9922"}, {"AL", "9923"}, {"AT", "9914"}, {"BA", "9924"}, {"BE", "9925"}, {"BG", "9926"}, {"CH", "9927"},
    {"CY", "9928"}, {"CZ", "9929"}, {"DE", "9930"}, {"EE", "9931"}, {"ES", "9920"}, {"FR", "9957"}, {"GB", "9932"},
    {"HR", "9934"}, {"HU", "9910"}, {"IE", "9935"}, {"LI", "9936"}, {"LT", "9937"}, {"LU", "9938"}, {"LV", "9939"},
    {"MC", "9940"}, {"ME", "9941"}, {"MK", "9942"}, {"MT", "9943"}, {"NL", "9944"}, {"PL", "9945"}, {"PT", "9946"},
    {"RO", "9947"}, {"RS", "9948"}, {"SI", "9949"}, {"SK", "9950"}, {"SM", "9951"}, {"TR", "9952"}, {"VA", "9953"},
};

std::optional<Endpoint> endpoint_from_vat(std::string_view vat) {
  if (vat.size() < 3) return std::nullopt;
  std::string_view prefix = vat.substr(0, 2);
  std::string_view rest = vat.substr(2);
  for (const auto& v : kVatSchemes) {
    if (v.prefix == prefix) return Endpoint{std::string(v.scheme), std::string(vat)};
  }
  // Countries without a VAT scheme in Peppol's list route under another
  // register whose number is part of the VAT number.
  if (prefix == "EL" && rest.size() == 9 && all_digits(rest)) {
    return Endpoint{"9933", std::string(rest)};  // GR-R-009: the TIN, without "EL"
  }
  if (prefix == "DK" && rest.size() == 8 && all_digits(rest)) {
    return Endpoint{"0184", std::string(vat)};  // CVR; PEPPOL-COMMON-R042 takes "DK" + 8 digits
  }
  if (prefix == "IT" && rest.size() == 11 && all_digits(rest)) {
    return Endpoint{"0211", std::string(vat)};  // Partita IVA, prefixed (PEPPOL-COMMON-R047)
  }
  if (prefix == "NO" && rest.size() == 12 && rest.substr(9) == "MVA" && all_digits(rest.substr(0, 9))) {
    return Endpoint{"0192", std::string(rest.substr(0, 9))};  // organisation number
  }
  if (prefix == "SE" && rest.size() == 12 && rest.substr(10) == "01" && all_digits(rest)) {
    return Endpoint{"0007", std::string(rest.substr(0, 10))};  // organisation number
  }
  if (prefix == "FI" && rest.size() == 8 && all_digits(rest)) {
    return Endpoint{"0216", "0037" + std::string(rest)};  // OVT code of the Y-tunnus
  }
  return std::nullopt;
}

// Check digits of the registers whose identifiers Peppol verifies
// (PEPPOL-COMMON-R040..R050, the fatal ones). Digits are weighted from the
// right, the last digit being the check digit.
int digit_at(std::string_view s, size_t i) { return s[i] - '0'; }

bool gln_valid(std::string_view id) {  // GS1 mod 10 (R040)
  if (!all_digits(id) || id.size() < 2) return false;
  int sum = 0;
  for (size_t i = 0; i + 1 < id.size(); ++i) {
    size_t from_right = id.size() - 2 - i;  // 0 for the digit next to the check digit
    sum += digit_at(id, i) * (from_right % 2 == 0 ? 3 : 1);
  }
  return (10 - sum % 10) % 10 == digit_at(id, id.size() - 1);
}

bool mod11_valid(std::string_view id) {  // weights 2..7 from the right (R041, NO-R-001)
  if (!all_digits(id) || id.size() < 2 || id.find_first_not_of('0') == std::string_view::npos) return false;
  int sum = 0;
  for (size_t i = 0; i + 1 < id.size(); ++i) {
    size_t from_right = id.size() - 2 - i;
    sum += digit_at(id, i) * static_cast<int>(from_right % 6 + 2);
  }
  return (11 - sum % 11) % 11 == digit_at(id, id.size() - 1);
}

bool luhn_valid(std::string_view id) {  // Swedish organisation number (R049)
  if (id.size() != 10 || !all_digits(id)) return false;
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) {
    int d = digit_at(id, i);
    if ((8 - i) % 2 == 0) d = d * 2 % 10 + d * 2 / 10;
    sum += d;
  }
  return (10 - sum % 10) % 10 == digit_at(id, 9);
}

bool belgian_enterprise_valid(std::string_view id) {  // mod 97 (R043)
  if (id.size() != 10 || !all_digits(id)) return false;
  int64_t body = std::stoll(std::string(id.substr(0, 8)));
  return 97 - body % 97 == std::stoll(std::string(id.substr(8)));
}

bool abn_valid(std::string_view id) {  // Australian Business Number (R050)
  if (id.size() != 11 || !all_digits(id)) return false;
  constexpr int kWeights[] = {10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19};
  int sum = (digit_at(id, 0) - 1) * kWeights[0];
  for (size_t i = 1; i < 11; ++i) sum += digit_at(id, i) * kWeights[i];
  return sum % 89 == 0;
}

bool danish_prefixed(std::string_view id) {
  return id.size() == 10 && id.substr(0, 2) == "DK" && all_digits(id.substr(2));
}

// The Peppol rule an identifier breaks for its scheme, or nullopt.
std::optional<std::string> identifier_problem(const Endpoint& e) {
  const std::string& id = e.identifier;
  if (e.scheme == "0088" && !gln_valid(id)) return "a GLN with a valid check digit (PEPPOL-COMMON-R040)";
  if (e.scheme == "0192" && !(id.size() == 9 && mod11_valid(id))) {
    return "a Norwegian organisation number of 9 digits with a valid check digit (PEPPOL-COMMON-R041)";
  }
  if (e.scheme == "0184" && !(danish_prefixed(id) || (id.size() == 8 && all_digits(id)))) {
    return "a CVR number: 8 digits, optionally after DK (PEPPOL-COMMON-R042)";
  }
  if (e.scheme == "0208" && !belgian_enterprise_valid(id)) {
    return "a Belgian enterprise number of 10 digits (PEPPOL-COMMON-R043)";
  }
  if (e.scheme == "0007" && !luhn_valid(id)) {
    return "a Swedish organisation number of 10 digits with a valid check digit (PEPPOL-COMMON-R049)";
  }
  if (e.scheme == "0151" && !abn_valid(id)) return "an Australian Business Number (PEPPOL-COMMON-R050)";
  if (e.scheme == "0096" && !(id.size() == 10 && all_digits(id))) {
    return "a Danish P number of 10 digits (PEPPOL-COMMON-R052)";
  }
  if (e.scheme == "0198" && !danish_prefixed(id)) return "DK and 8 digits (PEPPOL-COMMON-R053)";
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Addresses

std::vector<std::string> address_lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    size_t comma = text.find(", ", start);
    size_t end = std::min(nl, comma);
    std::string_view piece = text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
    std::string line = xml_text(piece);
    if (!line.empty()) lines.push_back(std::move(line));
    if (end == std::string_view::npos) break;
    start = end + (end == comma ? 2 : 1);
  }
  return lines;
}

// "10115 Berlin" -> {"10115", "Berlin"}. A postal code is digits with
// hyphens (at least three digits: "1 Main Street" is a street), optionally
// followed by the two letters of a Dutch code or the two digits of a
// Swedish, Czech, Slovak or Greek one ("114 55").
std::optional<std::pair<std::string, std::string>> split_postal_line(std::string_view line) {
  size_t first_end = line.find(' ');
  std::string_view code = line.substr(0, first_end);
  if (code.empty() || code.front() < '0' || code.front() > '9') return std::nullopt;
  int digits = 0;
  for (char c : code) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != '-') {
      return std::nullopt;
    }
  }
  if (digits < 3) return std::nullopt;
  if (first_end == std::string_view::npos) return std::make_pair(std::string(code), std::string());
  std::string_view rest = trim_view(line.substr(first_end));
  size_t second_end = rest.find(' ');
  std::string_view second = rest.substr(0, second_end);
  bool dutch = code.size() == 4 && all_digits(code) && second.size() == 2 && is_upper_letters(second);
  bool split_digits = code.size() == 3 && all_digits(code) && second.size() == 2 && all_digits(second);
  if ((dutch || split_digits) && second_end != std::string_view::npos) {
    return std::make_pair(std::string(code) + " " + std::string(second),
                          std::string(trim_view(rest.substr(second_end))));
  }
  return std::make_pair(std::string(code), std::string(rest));
}

// ---------------------------------------------------------------------------
// VAT categories

bool is_known_category(std::string_view c) {
  return c == "S" || c == "Z" || c == "E" || c == "AE" || c == "K" || c == "G" || c == "O";
}

// E, AE, K, G and O state why no VAT is charged (BR-E-10, BR-AE-10,
// BR-IC-10, BR-G-10, BR-O-10); S and Z must not (BR-S-10, BR-Z-10).
bool has_exemption_reason(std::string_view c) { return c != "S" && c != "Z"; }

// Peppol P0104..P0111: these VATEX codes belong to one category each.
std::optional<std::string_view> category_of_vatex(std::string_view code) {
  std::string upper(code);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
  if (upper == "VATEX-EU-G") return "G";
  if (upper == "VATEX-EU-O") return "O";
  if (upper == "VATEX-EU-IC") return "K";
  if (upper == "VATEX-EU-AE") return "AE";
  if (upper == "VATEX-EU-D" || upper == "VATEX-EU-F" || upper == "VATEX-EU-I" || upper == "VATEX-EU-J") {
    return "E";
  }
  return std::nullopt;
}

Status check_category(std::string_view category, int64_t rate_bp, const std::string& where,
                      std::string_view category_field, std::string_view rate_field) {
  if (!is_known_category(category)) {
    return invalid("VAT category '" + std::string(category) + "' is not one of S, Z, E, AE, K, G, O",
                   where + "." + std::string(category_field));
  }
  if (category == "S") {
    if (rate_bp <= 0) {
      return invalid("a standard-rated (S) amount needs a VAT rate above 0 (BR-S-05)",
                     where + "." + std::string(rate_field));
    }
  } else if (rate_bp != 0) {
    return invalid("VAT category " + std::string(category) +
                       " has rate 0 (BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05; O has none, BR-O-05)",
                   where + "." + std::string(rate_field));
  }
  return {};
}

// ---------------------------------------------------------------------------
// What the rules decide before a single element is written

struct PartyPlan {
  Endpoint endpoint;
  PostalAddress address;
  bool show_vat_id = false;
};

struct Plan {
  PartyPlan seller;
  PartyPlan buyer;
  bool credit_note = false;
  // Both parties in Germany: Peppol's German national rules (DE-R-*) apply.
  bool domestic_de = false;
  std::optional<Currency> tax_currency;
  // Danish sellers state their CVR number as legal entity id (DK-R-002).
  std::optional<std::string> seller_cvr;
};

bool uses_category(const InvoiceDocument& doc, std::string_view category) {
  for (const auto& l : doc.lines) {
    if (l.tax_category == category) return true;
  }
  for (const auto& ac : doc.allowances_charges) {
    if (ac.tax_category == category) return true;
  }
  for (const auto& t : doc.tax_subtotals) {
    if (t.category == category) return true;
  }
  return false;
}

Status check_currency(const Currency& c, std::string_view field) {
  if (c.exponent() > 2) {
    return Error::invalid("einvoice_currency_unsupported",
                          "EN 16931 states amounts with at most 2 decimals (BR-DEC); " + std::string(c.code()) +
                              " has " + std::to_string(c.exponent()) +
                              ", so its amounts cannot be written exactly in an e-invoice",
                          std::string(field));
  }
  return {};
}

Status check_money(const Money& m, const Currency& expected, const std::string& field) {
  if (!(m.currency() == expected)) {
    return invalid("the amount is in " + std::string(m.currency().code()) + ", the document in " +
                       std::string(expected.code()) + " (PEPPOL-EN16931-R051)",
                   field);
  }
  return {};
}

Status check_amounts(const InvoiceDocument& doc) {
  const Currency& c = doc.currency;
  const std::pair<const Money*, const char*> totals[] = {{&doc.net_total, "net_total"},
                                                         {&doc.allowance_total, "allowance_total"},
                                                         {&doc.charge_total, "charge_total"},
                                                         {&doc.tax_exclusive, "tax_exclusive"},
                                                         {&doc.tax_total, "tax_total"},
                                                         {&doc.total, "total"},
                                                         {&doc.paid, "paid"},
                                                         {&doc.payable, "payable"}};
  for (const auto& [money, name] : totals) O2C_TRY(check_money(*money, c, name));
  if (doc.discount_amount) O2C_TRY(check_money(*doc.discount_amount, c, "discount_amount"));
  for (size_t i = 0; i < doc.lines.size(); ++i) {
    O2C_TRY(check_money(doc.lines[i].line_net, c, "lines[" + std::to_string(i) + "].line_net"));
  }
  for (size_t i = 0; i < doc.allowances_charges.size(); ++i) {
    O2C_TRY(check_money(doc.allowances_charges[i].amount, c, "allowances_charges[" + std::to_string(i) + "].amount"));
  }
  for (size_t i = 0; i < doc.tax_subtotals.size(); ++i) {
    std::string where = "tax_subtotals[" + std::to_string(i) + "]";
    O2C_TRY(check_money(doc.tax_subtotals[i].taxable, c, where + ".taxable"));
    O2C_TRY(check_money(doc.tax_subtotals[i].tax, c, where + ".tax"));
  }
  return {};
}

// PEPPOL-EN16931-R120: the line net equals quantity x price within 0.02.
// The billing domain rounds quantity x price once, so a cent currency is
// within 0.005; in a currency without decimals (JPY) a fractional quantity
// can miss by up to 0.5, and such a line cannot be stated as it is.
bool line_net_matches_price(const DocumentLine& line) {
  constexpr int kExactDecimals = Quantity::kDecimals + 4;  // quantity x price in 10^-7
  Int128 exact = static_cast<Int128>(line.quantity.milli()) * line.unit_price_e4;
  Int128 scale = 1;
  for (int i = line.line_net.currency().exponent(); i < kExactDecimals; ++i) scale *= 10;
  Int128 diff = exact - static_cast<Int128>(line.line_net.minor()) * scale;
  if (diff < 0) diff = -diff;
  return diff <= 200000;  // 0.02
}

Status check_lines(const InvoiceDocument& doc) {
  if (doc.lines.empty()) return incomplete("an invoice has at least one line (BR-16)", "lines");
  for (size_t i = 0; i < doc.lines.size(); ++i) {
    const DocumentLine& l = doc.lines[i];
    std::string where = "lines[" + std::to_string(i) + "]";
    if (xml_text(l.id).empty()) return incomplete("every line has an id (BR-21)", where + ".id");
    if (xml_text(l.name).empty()) return incomplete("every line has an item name (BR-25)", where + ".name");
    if (xml_text(l.unit_code).empty()) {
      return incomplete("every line has a unit of measure (BR-23)", where + ".unit_code");
    }
    if (l.unit_price_e4 < 0) {
      return invalid("the item net price must not be negative (BR-27); state a return as a negative quantity",
                     where + ".unit_price_e4");
    }
    O2C_TRY(check_category(l.tax_category, l.tax_rate_bp, where, "tax_category", "tax_rate_bp"));
    if (!line_net_matches_price(l)) {
      return invalid("the line net " + l.line_net.to_string() + " is not quantity " + l.quantity.to_string() +
                         " x price " + format_scaled(l.unit_price_e4, 4, true) + " within 0.02 (PEPPOL-EN16931-R120)",
                     where + ".line_net");
    }
  }
  return {};
}

Status check_allowances_charges(const InvoiceDocument& doc) {
  for (size_t i = 0; i < doc.allowances_charges.size(); ++i) {
    const AllowanceCharge& ac = doc.allowances_charges[i];
    std::string where = "allowances_charges[" + std::to_string(i) + "]";
    if (xml_text(ac.reason).empty()) {
      return incomplete(std::string("every document-level ") + (ac.is_charge ? "charge" : "allowance") +
                            " states its reason (" + (ac.is_charge ? "BR-38" : "BR-33") + ")",
                        where + ".reason");
    }
    O2C_TRY(check_category(ac.tax_category, ac.tax_rate_bp, where, "tax_category", "tax_rate_bp"));
  }
  return {};
}

Status check_tax_subtotals(const InvoiceDocument& doc) {
  if (doc.tax_subtotals.empty()) return incomplete("the VAT breakdown is empty (BR-CO-18)", "tax_subtotals");
  for (size_t i = 0; i < doc.tax_subtotals.size(); ++i) {
    const TaxSubtotal& t = doc.tax_subtotals[i];
    std::string where = "tax_subtotals[" + std::to_string(i) + "]";
    O2C_TRY(check_category(t.category, t.rate_bp, where, "category", "rate_bp"));
    if (!has_exemption_reason(t.category)) continue;
    bool has_code = present(t.exemption_reason_code);
    bool has_text = present(t.exemption_reason);
    if (!has_code && !has_text) {
      return incomplete("VAT category " + t.category +
                            " needs an exemption reason code or text (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, "
                            "BR-O-10)",
                        where + ".exemption_reason");
    }
    if (has_code) {
      auto owner = category_of_vatex(xml_text(*t.exemption_reason_code));
      if (owner && *owner != t.category) {
        return invalid("exemption reason code " + *t.exemption_reason_code + " belongs to category " +
                           std::string(*owner) + ", not " + t.category + " (PEPPOL-EN16931-P0104..P0111)",
                       where + ".exemption_reason_code");
      }
    }
  }
  return {};
}

Result<PartyPlan> plan_party(const Party& p, const std::string& role) {
  if (xml_text(p.name).empty()) {
    return incomplete("the " + role + "'s name is required (" + (role == "seller" ? "BR-06" : "BR-07") + ")",
                      role + ".name");
  }
  if (p.country.empty()) {
    return incomplete("the " + role + "'s country is required (" + (role == "seller" ? "BR-09" : "BR-11") + ")",
                      role + ".country");
  }
  if (!masterdata::is_country_code(p.country)) {
    return invalid("'" + p.country + "' is not an ISO 3166-1 alpha-2 country code (BR-CL-14)", role + ".country");
  }
  if (p.vat_id && !masterdata::is_valid_vat_id(*p.vat_id)) {
    return invalid("the VAT id '" + *p.vat_id + "' must start with its two-letter country prefix (BR-CO-09)",
                   role + ".vat_id");
  }
  if (p.peppol_id) {
    if (!masterdata::is_valid_peppol_id(*p.peppol_id)) {
      return invalid("the Peppol id '" + *p.peppol_id + "' is not 'EAS:identifier'", role + ".peppol_id");
    }
    if (!peppol_accepts_scheme(p.peppol_id->substr(0, 4))) {
      return invalid("Peppol does not accept the electronic address scheme " + p.peppol_id->substr(0, 4) +
                         " (PEPPOL-EN16931-CL008)",
                     role + ".peppol_id");
    }
  }
  auto endpoint = endpoint_of(p);
  if (!endpoint) {
    return incomplete("the " + role +
                          " has no electronic address: set its Peppol id, or a VAT id of a country whose VAT "
                          "number Peppol can route (" +
                          (role == "seller" ? "PEPPOL-EN16931-R020" : "PEPPOL-EN16931-R010") + ")",
                      role + ".peppol_id");
  }
  if (auto problem = identifier_problem(*endpoint)) {
    return invalid("the " + role + "'s electronic address " + endpoint->scheme + ":" + endpoint->identifier +
                       " must be " + *problem,
                   role + (p.peppol_id ? ".peppol_id" : ".vat_id"));
  }
  PartyPlan plan;
  plan.endpoint = std::move(*endpoint);
  plan.address = parse_address(p.address.value_or(""));
  plan.show_vat_id = p.vat_id.has_value();
  return plan;
}

// The country Peppol's national rules take for the seller: the VAT id's
// prefix, else the address.
std::string seller_rule_country(const Party& seller, bool vat_shown) {
  if (vat_shown && seller.vat_id) return seller.vat_id->substr(0, 2);
  return seller.country;
}

Status require_address(const PostalAddress& a, const std::string& role, bool street, const std::string& rules) {
  if (street && a.street.empty()) {
    return incomplete("the " + role + "'s address needs a street line (" + rules + ")", role + ".address");
  }
  if (a.postal_zone.empty() || a.city.empty()) {
    return incomplete(
        "the " + role + "'s address needs a line with postal code and city, e.g. '10115 Berlin' (" + rules + ")",
        role + ".address");
  }
  return {};
}

// Between German parties a payment-terms line starting with '#' is a
// structured cash discount in XRechnung's syntax and must be exactly that
// (DE-R-018); o2c writes its own discount line in words.
Status check_skonto_lines(std::string_view terms) {
  static const std::regex kSkontoLine(
      "#SKONTO#TAGE=[0-9]+#PROZENT=[0-9]+\\.[0-9]{2}(#BASISBETRAG=-?[0-9]+\\.[0-9]{2})?#");
  for (const std::string& line : split_lines(terms)) {
    if (line.front() == '#' && !std::regex_match(line, kSkontoLine)) {
      return invalid(
          "between German parties a payment-terms line starting with '#' must be "
          "#SKONTO#TAGE=n#PROZENT=n.nn# (Peppol DE-R-018): '" +
              line + "'",
          "payment_terms");
    }
  }
  return {};
}

Status check_national_rules(const InvoiceDocument& doc, Plan& plan) {
  const std::string seller_country = seller_rule_country(doc.seller, plan.seller.show_vat_id);
  if (seller_country == "EL" || seller_country == "GR" || seller_country == "IS") {
    return Error::invalid("einvoice_seller_country_unsupported",
                          "Peppol's " + std::string(seller_country == "IS" ? "Icelandic" : "Greek") +
                              " rules for sellers need data o2c does not keep (" +
                              (seller_country == "IS" ? "the kennitala, IS-R-002" : "the MARK number, GR-R-004") + ")",
                          "seller.country");
  }
  if (plan.domestic_de) {
    const std::string rules = "Peppol German rules DE-R-";
    if (!present(doc.buyer_reference)) {
      return incomplete("German domestic invoices carry the buyer reference (" + rules + "015)", "buyer_reference");
    }
    if (!present(doc.seller.phone)) {
      return incomplete("German domestic invoices carry the seller's contact telephone (" + rules + "006)",
                        "seller.phone");
    }
    if (!present(doc.seller.email)) {
      return incomplete("German domestic invoices carry the seller's contact e-mail (" + rules + "007)",
                        "seller.email");
    }
    O2C_TRY(require_address(plan.seller.address, "seller", false, rules + "003, 004"));
    O2C_TRY(require_address(plan.buyer.address, "buyer", false, rules + "008, 009"));
    if (!present(doc.iban)) {
      return incomplete(
          "German domestic invoices carry payment instructions with the account (" + rules + "001, 023-1)", "iban");
    }
  }
  if (doc.seller.country == "NL") {
    O2C_TRY(require_address(plan.seller.address, "seller", true, "Peppol NL-R-002"));
    if (doc.buyer.country == "NL") O2C_TRY(require_address(plan.buyer.address, "buyer", true, "Peppol NL-R-004"));
    if (!plan.credit_note && doc.payable.minor() > 0 && !present(doc.iban)) {
      return incomplete("Dutch sellers state how to pay (Peppol NL-R-007)", "iban");
    }
  }
  if (seller_country == "NO") {
    const std::string& vat = *doc.seller.vat_id;
    if (!(vat.size() == 14 && vat.substr(11) == "MVA" && mod11_valid(vat.substr(2, 9)))) {
      return invalid("a Norwegian seller's VAT id is NO, the 9-digit organisation number and MVA (Peppol NO-R-001)",
                     "seller.vat_id");
    }
  }
  if (doc.seller.country == "SE" && seller_country == "SE") {
    const std::string& vat = *doc.seller.vat_id;
    if (!(vat.size() == 14 && all_digits(vat.substr(2)))) {
      return invalid("a Swedish seller's VAT id is SE and 12 digits (Peppol SE-R-001, SE-R-002)", "seller.vat_id");
    }
    auto swedish_rate = [](int64_t bp) { return bp == 2500 || bp == 1200 || bp == 600; };
    for (const auto& t : doc.tax_subtotals) {
      if (t.category == "S" && !swedish_rate(t.rate_bp)) {
        return invalid("Swedish sellers charge standard-rated VAT at 25, 12 or 6 % (Peppol SE-R-006)", "tax_subtotals");
      }
    }
  }
  if (plan.domestic_de) O2C_TRY(check_skonto_lines(doc.payment_terms));
  if (seller_country == "IT") {
    O2C_TRY(require_address(plan.seller.address, "seller", true, "Peppol IT-R-002..004"));
  }
  if (doc.seller.country == "DK") {
    const auto& vat = doc.seller.vat_id;
    if (!vat || vat->size() != 10 || vat->substr(0, 2) != "DK" || !all_digits(vat->substr(2))) {
      return incomplete("Danish sellers state their CVR number (Peppol DK-R-002); o2c takes it from a DK VAT id",
                        "seller.vat_id");
    }
    plan.seller_cvr = vat->substr(2);
  }
  return {};
}

Result<Plan> make_plan(const InvoiceDocument& doc) {
  Plan plan;
  plan.credit_note = doc.kind == DocumentKind::credit_note;
  O2C_TRY(check_currency(doc.currency, "currency"));
  if (doc.tax_currency && !(*doc.tax_currency == doc.currency)) {
    O2C_TRY(check_currency(*doc.tax_currency, "tax_currency"));
    if (!doc.tax_total_in_tax_currency) {
      return incomplete("with a tax currency the VAT total is also stated in it (BR-53)", "tax_total_in_tax_currency");
    }
    O2C_TRY(check_money(*doc.tax_total_in_tax_currency, *doc.tax_currency, "tax_total_in_tax_currency"));
    plan.tax_currency = doc.tax_currency;
  }
  O2C_TRY(check_amounts(doc));
  if (xml_text(doc.number).empty()) return incomplete("the document has a number (BR-02)", "number");
  O2C_TRY(check_lines(doc));
  O2C_TRY(check_allowances_charges(doc));
  O2C_TRY(check_tax_subtotals(doc));

  O2C_ASSIGN_OR_RETURN(plan.seller, plan_party(doc.seller, "seller"));
  O2C_ASSIGN_OR_RETURN(plan.buyer, plan_party(doc.buyer, "buyer"));

  // "Not subject to VAT" excludes every other category (BR-O-11..14) and the
  // VAT ids of both parties (BR-O-02..04): they are left out, not refused.
  if (uses_category(doc, "O")) {
    for (std::string_view other : {"S", "Z", "E", "AE", "K", "G"}) {
      if (uses_category(doc, other)) {
        return invalid("a document not subject to VAT (O) has no other VAT category, found " + std::string(other) +
                           " (BR-O-11..14)",
                       "tax_subtotals");
      }
    }
    plan.seller.show_vat_id = false;
    plan.buyer.show_vat_id = false;
  }
  for (std::string_view category : {"S", "Z", "E", "AE", "K", "G"}) {
    if (uses_category(doc, category) && !doc.seller.vat_id) {
      return incomplete("VAT category " + std::string(category) +
                            " needs the seller's VAT id (BR-S-02, BR-Z-02, BR-E-02, BR-AE-02, BR-IC-02, BR-G-02)",
                        "seller.vat_id");
    }
  }
  if (uses_category(doc, "AE") && !doc.buyer.vat_id) {
    return incomplete("a reverse-charge (AE) document needs the buyer's VAT id (BR-AE-02)", "buyer.vat_id");
  }
  if (uses_category(doc, "K")) {
    if (!doc.buyer.vat_id) {
      return incomplete("an intra-community supply (K) needs the buyer's VAT id (BR-IC-02)", "buyer.vat_id");
    }
    if (!doc.delivery_date) {
      return incomplete("an intra-community supply (K) states the delivery date (BR-IC-11)", "delivery_date");
    }
    if (!present(doc.delivery_country)) {
      return incomplete("an intra-community supply (K) states the deliver-to country (BR-IC-12)", "delivery_country");
    }
  }
  if (present(doc.delivery_country) && !masterdata::is_country_code(*doc.delivery_country)) {
    return invalid("'" + *doc.delivery_country + "' is not an ISO 3166-1 alpha-2 country code", "delivery_country");
  }
  if (!present(doc.buyer_reference) && !present(doc.order_reference)) {
    return incomplete("a buyer reference or an order reference is required (PEPPOL-EN16931-R003)", "buyer_reference");
  }
  if (plan.credit_note && !present(doc.preceding_invoice_number)) {
    return incomplete("a credit note refers to the invoice it corrects (BR-55)", "preceding_invoice_number");
  }
  plan.domestic_de = doc.seller.country == "DE" && doc.buyer.country == "DE";
  O2C_TRY(check_national_rules(doc, plan));
  return plan;
}

// ---------------------------------------------------------------------------
// Writing

constexpr const char* kNsInvoice = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
constexpr const char* kNsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
constexpr const char* kNsCac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
constexpr const char* kNsCbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

// Peppol refuses empty elements (PEPPOL-EN16931-R008): optional text that
// turns out empty is left out with its element.
pugi::xml_node add_text(pugi::xml_node parent, const char* name, std::string_view value) {
  std::string text = xml_text(value);
  if (text.empty()) return {};
  pugi::xml_node node = parent.append_child(name);
  node.text().set(text.c_str());
  return node;
}

void add_attribute(pugi::xml_node node, const char* name, std::string_view value) {
  node.append_attribute(name).set_value(std::string(value).c_str());
}

void add_amount(pugi::xml_node parent, const char* name, const Money& m) {
  pugi::xml_node node = parent.append_child(name);
  node.text().set(m.to_string().c_str());
  add_attribute(node, "currencyID", m.currency().code());
}

std::string percent(int64_t rate_bp) { return format_scaled(rate_bp, 2, /*trim=*/true); }

class Writer {
 public:
  Writer(const InvoiceDocument& doc, const Plan& plan) : doc_(doc), plan_(plan) {}

  std::string write() {
    pugi::xml_document xml;
    pugi::xml_node decl = xml.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    pugi::xml_node root = xml.append_child(plan_.credit_note ? "CreditNote" : "Invoice");
    root.append_attribute("xmlns") = plan_.credit_note ? kNsCreditNote : kNsInvoice;
    root.append_attribute("xmlns:cac") = kNsCac;
    root.append_attribute("xmlns:cbc") = kNsCbc;

    header(root);
    party(root.append_child("cac:AccountingSupplierParty").append_child("cac:Party"), doc_.seller, plan_.seller,
          /*seller=*/true);
    party(root.append_child("cac:AccountingCustomerParty").append_child("cac:Party"), doc_.buyer, plan_.buyer,
          /*seller=*/false);
    delivery(root);
    payment(root);
    for (const auto& ac : doc_.allowances_charges) allowance_charge(root, ac);
    tax_totals(root);
    monetary_total(root);
    for (const auto& line : doc_.lines) document_line(root, line);

    std::ostringstream out;
    xml.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
  }

 private:
  void header(pugi::xml_node root) {
    add_text(root, "cbc:CustomizationID", kCustomizationId);
    add_text(root, "cbc:ProfileID", kProfileId);
    add_text(root, "cbc:ID", doc_.number);
    add_text(root, "cbc:IssueDate", doc_.issue_date.to_string());
    // UBL 2.1 has no due date on a credit note; there it goes with the payment means.
    if (!plan_.credit_note && doc_.due_date) add_text(root, "cbc:DueDate", doc_.due_date->to_string());
    add_text(root, plan_.credit_note ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode",
             plan_.credit_note ? "381" : "380");
    if (doc_.note) add_text(root, "cbc:Note", *doc_.note);
    add_text(root, "cbc:DocumentCurrencyCode", doc_.currency.code());
    if (plan_.tax_currency) add_text(root, "cbc:TaxCurrencyCode", plan_.tax_currency->code());
    if (doc_.buyer_reference) add_text(root, "cbc:BuyerReference", *doc_.buyer_reference);
    if (present(doc_.order_reference)) {
      add_text(root.append_child("cac:OrderReference"), "cbc:ID", *doc_.order_reference);
    }
    if (present(doc_.preceding_invoice_number)) {
      pugi::xml_node ref = root.append_child("cac:BillingReference").append_child("cac:InvoiceDocumentReference");
      add_text(ref, "cbc:ID", *doc_.preceding_invoice_number);
      if (doc_.preceding_invoice_date) add_text(ref, "cbc:IssueDate", doc_.preceding_invoice_date->to_string());
    }
  }

  void postal_address(pugi::xml_node parent, const PostalAddress& a, std::string_view country) {
    pugi::xml_node node = parent.append_child("cac:PostalAddress");
    add_text(node, "cbc:StreetName", a.street);
    add_text(node, "cbc:AdditionalStreetName", a.additional_street);
    add_text(node, "cbc:CityName", a.city);
    add_text(node, "cbc:PostalZone", a.postal_zone);
    if (!a.address_line.empty()) add_text(node.append_child("cac:AddressLine"), "cbc:Line", a.address_line);
    add_text(node.append_child("cac:Country"), "cbc:IdentificationCode", country);
  }

  void party(pugi::xml_node node, const Party& p, const PartyPlan& pp, bool seller) {
    pugi::xml_node endpoint = add_text(node, "cbc:EndpointID", pp.endpoint.identifier);
    add_attribute(endpoint, "schemeID", pp.endpoint.scheme);
    // Without a VAT id the seller still needs an identifier (BR-CO-26): its
    // electronic address, with the scheme when that is an ISO 6523 ICD code.
    if (seller && !pp.show_vat_id && !plan_.seller_cvr) {
      pugi::xml_node id = add_text(node.append_child("cac:PartyIdentification"), "cbc:ID", pp.endpoint.identifier);
      if (pp.endpoint.scheme.front() == '0') add_attribute(id, "schemeID", pp.endpoint.scheme);
    }
    add_text(node.append_child("cac:PartyName"), "cbc:Name", p.name);
    postal_address(node, pp.address, p.country);
    if (pp.show_vat_id && p.vat_id) {
      pugi::xml_node tax = node.append_child("cac:PartyTaxScheme");
      add_text(tax, "cbc:CompanyID", *p.vat_id);
      add_text(tax.append_child("cac:TaxScheme"), "cbc:ID", "VAT");
    }
    pugi::xml_node legal = node.append_child("cac:PartyLegalEntity");
    add_text(legal, "cbc:RegistrationName", p.name);
    if (seller && plan_.seller_cvr) {
      add_attribute(add_text(legal, "cbc:CompanyID", *plan_.seller_cvr), "schemeID", "0184");
    }
    bool has_phone = present(p.phone);
    bool has_email = present(p.email);
    if (has_phone || has_email) {
      pugi::xml_node contact = node.append_child("cac:Contact");
      // The contact point is the party itself: o2c keeps no contact person.
      add_text(contact, "cbc:Name", p.name);
      if (has_phone) add_text(contact, "cbc:Telephone", *p.phone);
      if (has_email) add_text(contact, "cbc:ElectronicMail", *p.email);
    }
  }

  void delivery(pugi::xml_node root) {
    // Peppol's German rules want city and post code in any deliver-to
    // address (DE-R-010, 011); o2c knows only the country, which German
    // domestic documents need nowhere, so they leave the address out.
    bool with_country = present(doc_.delivery_country) && !plan_.domestic_de;
    if (!doc_.delivery_date && !with_country) return;
    pugi::xml_node node = root.append_child("cac:Delivery");
    if (doc_.delivery_date) add_text(node, "cbc:ActualDeliveryDate", doc_.delivery_date->to_string());
    if (with_country) {
      add_text(node.append_child("cac:DeliveryLocation").append_child("cac:Address").append_child("cac:Country"),
               "cbc:IdentificationCode", *doc_.delivery_country);
    }
  }

  void payment(pugi::xml_node root) {
    if (present(doc_.iban)) {
      pugi::xml_node means = root.append_child("cac:PaymentMeans");
      pugi::xml_node code = add_text(means, "cbc:PaymentMeansCode", "58");
      code.append_attribute("name") = "SEPA credit transfer";
      if (plan_.credit_note && doc_.due_date) add_text(means, "cbc:PaymentDueDate", doc_.due_date->to_string());
      if (doc_.creditor_reference) add_text(means, "cbc:PaymentID", *doc_.creditor_reference);
      pugi::xml_node account = means.append_child("cac:PayeeFinancialAccount");
      add_text(account, "cbc:ID", masterdata::compact_iban(*doc_.iban));
      if (present(doc_.bic)) {
        add_text(account.append_child("cac:FinancialInstitutionBranch"), "cbc:ID", *doc_.bic);
      }
    }
    std::string terms = xml_text(doc_.payment_terms);
    std::string discount = discount_text();
    if (!discount.empty()) terms += (terms.empty() ? "" : "\n") + discount;
    if (terms.empty()) return;
    // A structured cash-discount line ("#SKONTO#...#") must be followed by a
    // line break (DE-R-018), which trimmed text would lose.
    size_t last_line = terms.rfind('\n');
    std::string_view last =
        trim_view(std::string_view(terms).substr(last_line == std::string::npos ? 0 : last_line + 1));
    if (!last.empty() && last.front() == '#') terms += '\n';
    root.append_child("cac:PaymentTerms").append_child("cbc:Note").text().set(terms.c_str());
  }

  // No line may start with '#': German domestic documents read such lines as
  // structured cash-discount terms (DE-R-018).
  std::string discount_text() const {
    if (!doc_.discount_amount && !doc_.discount_date) return {};
    std::string text = "Early payment discount";
    if (doc_.discount_amount) {
      text += " of " + doc_.discount_amount->to_string() + " " + std::string(doc_.currency.code());
    }
    if (doc_.discount_date) text += " if paid by " + doc_.discount_date->to_string();
    return text + ".";
  }

  // BT-96/103/119/152: the rate, except for "not subject to VAT" (BR-O-05..07).
  // The VAT breakdown of German domestic documents states one even for O
  // (DE-R-014; BR-48 allows it).
  void tax_category(pugi::xml_node node, std::string_view category, int64_t rate_bp, bool breakdown,
                    const TaxSubtotal* reasons) {
    add_text(node, "cbc:ID", category);
    if (category != "O" || (breakdown && plan_.domestic_de)) add_text(node, "cbc:Percent", percent(rate_bp));
    if (reasons && has_exemption_reason(category)) {
      if (reasons->exemption_reason_code) add_text(node, "cbc:TaxExemptionReasonCode", *reasons->exemption_reason_code);
      if (reasons->exemption_reason) add_text(node, "cbc:TaxExemptionReason", *reasons->exemption_reason);
    }
    add_text(node.append_child("cac:TaxScheme"), "cbc:ID", "VAT");
  }

  void allowance_charge(pugi::xml_node root, const AllowanceCharge& ac) {
    pugi::xml_node node = root.append_child("cac:AllowanceCharge");
    add_text(node, "cbc:ChargeIndicator", ac.is_charge ? "true" : "false");
    add_text(node, "cbc:AllowanceChargeReason", ac.reason);
    add_amount(node, "cbc:Amount", ac.amount);
    tax_category(node.append_child("cac:TaxCategory"), ac.tax_category, ac.tax_rate_bp, false, nullptr);
  }

  void tax_totals(pugi::xml_node root) {
    pugi::xml_node total = root.append_child("cac:TaxTotal");
    add_amount(total, "cbc:TaxAmount", doc_.tax_total);
    for (const auto& t : doc_.tax_subtotals) {
      pugi::xml_node sub = total.append_child("cac:TaxSubtotal");
      add_amount(sub, "cbc:TaxableAmount", t.taxable);
      add_amount(sub, "cbc:TaxAmount", t.tax);
      tax_category(sub.append_child("cac:TaxCategory"), t.category, t.rate_bp, true, &t);
    }
    // BT-111: the VAT total once more in the tax currency, without a
    // breakdown (PEPPOL-EN16931-R054).
    if (plan_.tax_currency)
      add_amount(root.append_child("cac:TaxTotal"), "cbc:TaxAmount", *doc_.tax_total_in_tax_currency);
  }

  void monetary_total(pugi::xml_node root) {
    pugi::xml_node node = root.append_child("cac:LegalMonetaryTotal");
    add_amount(node, "cbc:LineExtensionAmount", doc_.net_total);
    add_amount(node, "cbc:TaxExclusiveAmount", doc_.tax_exclusive);
    add_amount(node, "cbc:TaxInclusiveAmount", doc_.total);
    bool any_allowance = std::any_of(doc_.allowances_charges.begin(), doc_.allowances_charges.end(),
                                     [](const AllowanceCharge& ac) { return !ac.is_charge; });
    bool any_charge = std::any_of(doc_.allowances_charges.begin(), doc_.allowances_charges.end(),
                                  [](const AllowanceCharge& ac) { return ac.is_charge; });
    if (any_allowance || !doc_.allowance_total.is_zero())
      add_amount(node, "cbc:AllowanceTotalAmount", doc_.allowance_total);
    if (any_charge || !doc_.charge_total.is_zero()) add_amount(node, "cbc:ChargeTotalAmount", doc_.charge_total);
    if (!doc_.paid.is_zero()) add_amount(node, "cbc:PrepaidAmount", doc_.paid);
    add_amount(node, "cbc:PayableAmount", doc_.payable);
  }

  void document_line(pugi::xml_node root, const DocumentLine& line) {
    pugi::xml_node node = root.append_child(plan_.credit_note ? "cac:CreditNoteLine" : "cac:InvoiceLine");
    add_text(node, "cbc:ID", line.id);
    // The document's order reference (BT-13) is one; a document that spans
    // orders names each line's order in the line note (BT-127).
    if (present(line.order_reference)) {
      add_text(node, "cbc:Note", "Order " + xml_text(*line.order_reference));
    }
    std::string unit = xml_text(line.unit_code);
    pugi::xml_node quantity =
        add_text(node, plan_.credit_note ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", line.quantity.to_string());
    add_attribute(quantity, "unitCode", unit);
    add_amount(node, "cbc:LineExtensionAmount", line.line_net);
    pugi::xml_node item = node.append_child("cac:Item");
    add_text(item, "cbc:Name", line.name);
    if (!xml_text(line.sku).empty()) add_text(item.append_child("cac:SellersItemIdentification"), "cbc:ID", line.sku);
    tax_category(item.append_child("cac:ClassifiedTaxCategory"), line.tax_category, line.tax_rate_bp, false, nullptr);
    pugi::xml_node price = node.append_child("cac:Price");
    // The exact price, up to 4 decimals, never fewer than the currency has.
    pugi::xml_node amount = add_text(price, "cbc:PriceAmount",
                                     format_scaled(line.unit_price_e4, 4, /*trim=*/true, doc_.currency.exponent()));
    add_attribute(amount, "currencyID", doc_.currency.code());
    // The price is per one unit of the invoiced unit (PEPPOL-EN16931-R130).
    add_attribute(add_text(price, "cbc:BaseQuantity", "1"), "unitCode", unit);
  }

  const InvoiceDocument& doc_;
  const Plan& plan_;
};

}  // namespace

std::optional<Endpoint> endpoint_of(const Party& party) {
  if (party.peppol_id) {
    const std::string& id = *party.peppol_id;
    size_t colon = id.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= id.size()) return std::nullopt;
    return Endpoint{id.substr(0, colon), id.substr(colon + 1)};
  }
  if (party.vat_id) return endpoint_from_vat(*party.vat_id);
  return std::nullopt;
}

PostalAddress parse_address(std::string_view text) {
  PostalAddress a;
  std::vector<std::string> lines = address_lines(text);
  if (lines.empty()) return a;
  std::optional<size_t> city_line;
  for (size_t i = 1; i < lines.size() && !city_line; ++i) {
    if (auto postal = split_postal_line(lines[i])) {
      a.postal_zone = postal->first;
      a.city = postal->second;
      city_line = i;
    }
  }
  if (!city_line && lines.size() == 1) {
    if (auto postal = split_postal_line(lines[0])) {
      a.postal_zone = postal->first;
      a.city = postal->second;
      return a;
    }
  }
  if (!city_line && lines.size() >= 2) {
    a.city = lines.back();
    city_line = lines.size() - 1;
  }
  a.street = lines[0];
  std::vector<std::string> rest;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (i != city_line) rest.push_back(lines[i]);
  }
  if (!rest.empty()) a.additional_street = rest[0];
  for (size_t i = 1; i < rest.size(); ++i) {
    a.address_line += (a.address_line.empty() ? "" : ", ") + rest[i];
  }
  return a;
}

Result<std::string> to_ubl(const InvoiceDocument& doc) {
  O2C_ASSIGN_OR_RETURN(Plan plan, make_plan(doc));
  return Writer(doc, plan).write();
}

}  // namespace o2c::formats::ubl
