#include "cli/commands/bench_reconcile_gen.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>

#include "cli/commands/bench_support.h"
#include "domain/billing/invoice.h"
#include "formats/bank/camt_writer.h"

namespace o2c::cli::recgen {
namespace {

// A small deterministic stream over splitmix64.
struct Rng {
  uint64_t s;
  uint64_t next() { return mix(s++); }
  int64_t below(int64_t n) { return n <= 0 ? 0 : static_cast<int64_t>(next() % static_cast<uint64_t>(n)); }
  int64_t between(int64_t lo, int64_t hi) { return lo + below(hi - lo + 1); }  // inclusive
  bool chance(int per_mille) { return below(1000) < per_mille; }
};

// Name parts: surname x trade x region gives 120 000 distinct names, more
// than the largest company the bench makes (customers are numbered through
// a permutation so that neighbours do not share two parts).
constexpr std::array<std::string_view, 80> kSurnames = {
    "Müller",   "Schmidt",  "Schneider", "Fischer",  "Weber",    "Meyer",     "Wagner",   "Becker",   "Schulz",
    "Hoffmann", "Schäfer",  "Koch",      "Bauer",    "Richter",  "Klein",     "Wolf",     "Schröder", "Neumann",
    "Schwarz",  "Zimmermann", "Braun",   "Krüger",   "Hofmann",  "Hartmann",  "Lange",    "Schmitt",  "Werner",
    "Schmitz",  "Krause",   "Meier",     "Lehmann",  "Schmid",   "Schulze",   "Maier",    "Köhler",   "Herrmann",
    "König",    "Walter",   "Mayer",     "Huber",    "Kaiser",   "Fuchs",     "Peters",   "Lang",     "Scholz",
    "Möller",   "Weiß",     "Jung",      "Hahn",     "Schubert", "Vogel",     "Friedrich", "Keller",  "Günther",
    "Frank",    "Berger",   "Winkler",   "Roth",     "Beck",     "Lorenz",    "Baumann",  "Franke",   "Albrecht",
    "Schuster", "Simon",    "Ludwig",    "Böhm",     "Winter",   "Kraus",     "Martin",   "Schumacher", "Krämer",
    "Vogt",     "Stein",    "Jäger",     "Otto",     "Sommer",   "Groß",      "Seidel",   "Heinrich"};
constexpr std::array<std::string_view, 50> kTrades = {
    "Maschinenbau", "Metallbau",   "Elektrotechnik", "Logistik",     "Spedition",   "Holzbau",     "Bauunternehmung",
    "Haustechnik",  "Kunststofftechnik", "Feinmechanik", "Werkzeugbau", "Dachdeckerei", "Sanitär",   "Gebäudereinigung",
    "Druckerei",    "Verpackung",  "Lebensmittel",   "Getränkehandel", "Autohaus",  "Landtechnik", "Medizintechnik",
    "Softwarehaus", "Consulting",  "Industriebedarf", "Baustoffe",   "Elektronik",  "Möbelwerk",   "Textil",
    "Papierhandel", "Stahlhandel", "Antriebstechnik", "Automation",  "Messtechnik", "Lasertechnik", "Gerüstbau",
    "Fensterbau",   "Tiefbau",     "Energietechnik", "Kältetechnik", "Hydraulik",   "Pneumatik",   "Oberflächentechnik",
    "Galvanik",     "Gießerei",    "Schweißtechnik", "Zerspanung",   "Anlagenbau",  "Fördertechnik", "Umwelttechnik",
    "Labortechnik"};
constexpr std::array<std::string_view, 30> kRegions = {
    "Nord",     "Süd",      "West",      "Ost",      "Rhein",    "Main",      "Elbe",     "Weser",    "Ruhr",
    "Saar",     "Allgäu",   "Franken",   "Schwaben", "Baden",    "Pfalz",     "Hessen",   "Sachsen",  "Thüringen",
    "Harz",     "Eifel",    "Mosel",     "Bodensee", "Spree",    "Havel",     "Oder",     "Donau",    "Isar",
    "Neckar",   "Lahn",     "Sieg"};
constexpr std::array<std::string_view, 8> kForms = {"GmbH", "GmbH & Co. KG", "AG", "KG", "e.K.", "GmbH", "OHG", "UG"};
constexpr int64_t kNames = static_cast<int64_t>(kSurnames.size() * kTrades.size() * kRegions.size());

constexpr std::array<std::string_view, 10> kForeignNames = {
    "Northwind Holdings Ltd", "Contoso Treasury BV",  "Fabrikam Finance SA",   "Tailspin Group plc",
    "Litware Shared Services Sp. z o.o.", "Adventure Works Inc", "Wide World Importers SARL", "Proseware AB",
    "Lucerne Capital AG",     "Margie Travel SRL"};
constexpr std::array<std::string_view, 8> kOtherPayers = {
    "Finanzamt Berlin-Mitte", "Stadtwerke München", "Allianz Versicherungs-AG", "DB Vertrieb GmbH",
    "Deutsche Rentenversicherung", "Amazon Payments Europe", "PayPal Europe S.a.r.l.", "Bundesagentur für Arbeit"};

std::string digits_of(Rng& r, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + r.below(10));
  return s;
}

std::string random_de_iban(Rng& r) { return formats::bank::iban_with_check_digits("DE", digits_of(r, 18)); }

std::string random_foreign_iban(Rng& r) {
  switch (r.below(3)) {
    case 0: return formats::bank::iban_with_check_digits("NL", "ABNA" + digits_of(r, 10));
    case 1: return formats::bank::iban_with_check_digits("GB", "NWBK" + digits_of(r, 14));
    default: return formats::bank::iban_with_check_digits("FR", digits_of(r, 23));
  }
}

std::string upper_ascii(std::string_view s) {
  // What many banks pass on: upper case, umlauts written out, ß as SS.
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xC3 && i + 1 < s.size()) {
      const unsigned char d = static_cast<unsigned char>(s[++i]);
      if (d == 0xA4 || d == 0x84) out += "AE";
      else if (d == 0xB6 || d == 0x96) out += "OE";
      else if (d == 0xBC || d == 0x9C) out += "UE";
      else if (d == 0x9F) out += "SS";
      continue;
    }
    out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  return out;
}

// The name as a payer's bank passes it on when it is not the master data's:
// truncated to 27 characters, legal form dropped, words cut short.
std::string abbreviated(Rng& r, const std::string& name) {
  std::string n = name;
  switch (r.below(4)) {
    case 0: {  // upper case, transliterated, cut at 27 (old DTAUS width)
      n = upper_ascii(n);
      if (n.size() > 27) n.resize(27);
      return n;
    }
    case 1: {  // legal form dropped
      const size_t sp = n.rfind(' ');
      const std::string last = sp == std::string::npos ? "" : n.substr(sp + 1);
      if (last == "GmbH" || last == "AG" || last == "KG" || last == "OHG" || last == "UG" || last == "e.K.") {
        n.resize(sp);
      }
      return n;
    }
    case 2: {  // the trade cut to its first 5 letters with a dot
      const size_t a = n.find(' ');
      const size_t b = a == std::string::npos ? a : n.find(' ', a + 1);
      if (b != std::string::npos && b - a > 6) {
        size_t cut = a + 6;  // never inside a UTF-8 sequence
        while (cut > a + 1 && (static_cast<unsigned char>(n[cut]) & 0xC0) == 0x80) --cut;
        n = n.substr(0, cut) + "." + n.substr(b);
      }
      return n;
    }
    default:  // lower case, as typed
    {
      std::string out;
      for (char c : n) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      return out;
    }
  }
}

std::string amount_text(int64_t minor) { return cents_text(minor); }

// One typo in an invoice number: a digit replaced, two neighbours swapped,
// or a zero typed as the letter O.
std::string typo(Rng& r, std::string s) {
  std::vector<size_t> digits;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') digits.push_back(i);
  }
  if (digits.size() < 2) return s;
  const size_t i = digits[static_cast<size_t>(r.below(static_cast<int64_t>(digits.size())))];
  switch (r.below(3)) {
    case 0: s[i] = static_cast<char>('0' + (s[i] - '0' + 1 + r.below(9)) % 10); break;
    case 1: {
      size_t j = i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9' ? i + 1 : i - 1;
      if (s[j] >= '0' && s[j] <= '9' && s[j] != s[i]) {
        std::swap(s[i], s[j]);
      } else {
        s[i] = static_cast<char>('0' + (s[i] - '0' + 1) % 10);
      }
      break;
    }
    default: {
      size_t z = s.find('0', s.find_last_of('-') == std::string::npos ? 0 : s.find_last_of('-'));
      if (z == std::string::npos) z = i;
      if (s[z] == '0') s[z] = 'O'; else s[z] = static_cast<char>('0' + (s[z] - '0' + 1) % 10);
    }
  }
  return s;
}

std::string number_text(Rng& r, const std::string& number) {
  switch (r.below(5)) {
    case 0: return "Rechnung " + number + " vom " + std::to_string(1 + r.below(28)) + ".10.";
    case 1: return "Invoice " + number + ", thank you";
    case 2: return "RE " + number + " KD-NR " + digits_of(r, 5);
    case 3: {
      std::string lower;
      for (char c : number) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      return "zahlung " + lower;
    }
    default: return number;
  }
}

struct Payer {
  std::string name, iban, reference, remittance;
  int64_t amount_minor = 0;
};

void camt_entry(std::string& out, const std::string& id, int64_t k, const std::string& date, const Payer& p) {
  formats::bank::CamtEntry e;
  e.amount_minor = p.amount_minor;
  e.booking_date = date;
  e.bank_reference = id + "-" + std::to_string(k + 1);
  e.counterparty_name = p.name;
  e.counterparty_iban = p.iban;
  e.structured_reference = p.reference;
  e.remittance = p.remittance;
  formats::bank::camt053_append_entry(out, e, "EUR");
}

std::string camt_head(const std::string& id, const std::string& account, const std::string& date, int64_t opening,
                      int64_t closing) {
  formats::bank::CamtStatement s{id, date, account, "EUR", opening, date, closing, date};
  return formats::bank::camt053_document_head(id, date) + formats::bank::camt053_statement_head(s);
}
const std::string kCamtTail =
    std::string(formats::bank::kCamt053StatementTail) + std::string(formats::bank::kCamt053DocumentTail);

// MT940 :86: in the German structured dialect (GVC 166, ?20.. text, ?32 name, ?31 IBAN).
void mt940_entry(std::string& out, const std::string& id, int64_t k, const std::string& yymmdd, const Payer& p) {
  std::string amt = amount_text(p.amount_minor);
  for (char& c : amt) {
    if (c == '.') c = ',';
  }
  out += ":61:" + yymmdd + yymmdd.substr(2) + "CR" + amt + "NTRFNONREF//" + id + "-" + std::to_string(k + 1) + "\n";
  // SEPA keys: the bank splits the purpose into 27-byte subfields, the reader glues them back.
  std::string text = "SVWZ+" + (p.reference.empty() ? p.remittance
                                                     : p.reference + (p.remittance.empty() ? "" : " " + p.remittance));
  out += ":86:166?00GUTSCHRIFT";
  for (int i = 0; i < 10 && !text.empty(); ++i) {
    out += "?2" + std::to_string(i) + text.substr(0, 27);
    text.erase(0, std::min<size_t>(27, text.size()));
  }
  if (!p.iban.empty()) out += "?31" + p.iban.substr(0, 34);
  std::string name = upper_ascii(p.name);
  out += "?32" + name.substr(0, 27);
  if (name.size() > 27) out += "?33" + name.substr(27, 27);
  out += "\n";
}

std::string mt_balance(const char* tag, int64_t minor, const std::string& yymmdd) {
  std::string a = amount_text(minor);
  for (char& c : a) {
    if (c == '.') c = ',';
  }
  return std::string(tag) + "C" + yymmdd + "EUR" + a + "\n";
}

std::string mt940_head(const std::string& id, const std::string& account, const std::string& yymmdd,
                       int64_t opening) {
  return ":20:" + id + "\n:25:" + account + "\n:28C:1/1\n" + mt_balance(":60F:", opening, yymmdd);
}

constexpr const char* kAccount = "DE89370400440532013000";

}  // namespace

const char* noise_name(Noise n) {
  switch (n) {
    case Noise::clean: return "clean";
    case Noise::number_in_text: return "number_in_text";
    case Noise::ref_typo: return "ref_typo";
    case Noise::no_reference: return "no_reference";
    case Noise::name_abbrev: return "name_abbrev";
    case Noise::order_ref: return "order_ref";
    case Noise::combined: return "combined";
    case Noise::partial: return "partial";
    case Noise::discount: return "discount";
    case Noise::fee_deducted: return "fee_deducted";
    case Noise::foreign_sender: return "foreign_sender";
    case Noise::unknown_payer: return "unknown_payer";
  }
  return "?";
}

bool matchable(Noise n) { return n != Noise::foreign_sender && n != Noise::unknown_payer; }

std::string customer_name(uint64_t seed, int c) {
  // A permutation of [0, kNames): 7919 is prime and does not divide kNames.
  const int64_t k = (static_cast<int64_t>(c) * 7919 + static_cast<int64_t>(seed % 1000)) % kNames;
  const size_t s = static_cast<size_t>(k % static_cast<int64_t>(kSurnames.size()));
  const size_t t = static_cast<size_t>((k / static_cast<int64_t>(kSurnames.size())) % static_cast<int64_t>(kTrades.size()));
  const size_t g = static_cast<size_t>(k / static_cast<int64_t>(kSurnames.size() * kTrades.size()));
  return std::string(kSurnames[s]) + " " + std::string(kTrades[t]) + " " + std::string(kRegions[g]) + " " +
         std::string(kForms[mix(seed ^ static_cast<uint64_t>(c)) % kForms.size()]);
}

std::string customer_iban(uint64_t seed, int c) {
  Rng r{mix(seed * 31 + 7) + static_cast<uint64_t>(c) * 0x10001ULL};
  return random_de_iban(r);
}

Company make_company(uint64_t seed, int customers, int64_t invoices, Date today) {
  Company co;
  customers = std::max(1, customers);
  co.customers.reserve(static_cast<size_t>(customers));
  for (int c = 0; c < customers; ++c) co.customers.push_back({c + 1, customer_name(seed, c), {customer_iban(seed, c)}});
  Rng r{mix(seed) ^ 0x1234};
  co.invoices.reserve(static_cast<size_t>(invoices));
  static constexpr std::array<int64_t, 6> kRound = {10000, 25000, 50000, 100000, 150000, 250000};
  for (int64_t i = 0; i < invoices; ++i) {
    reconcile::OpenInvoice v;
    v.invoice_id = i + 1;
    v.customer_id = 1 + r.below(customers);
    char num[32];
    std::snprintf(num, sizeof num, "INV-2026-%06lld", static_cast<long long>(i + 1));
    v.number = num;
    v.creditor_reference = billing::creditor_reference(billing::creditor_reference_body(2026, i + 1));
    if (r.chance(300)) v.order_reference = "PO-" + std::to_string(10000000 + (i * 7919) % 90000000);
    v.currency = "EUR";
    // Most amounts are what a price list and tax make; some are round.
    if (r.chance(150)) {
      v.open_minor = kRound[static_cast<size_t>(r.below(kRound.size()))];
    } else {
      const int64_t magnitude = 2000LL << r.below(9);  // 20.00 .. 5 120.00
      v.open_minor = magnitude + r.below(magnitude);
    }
    v.due_date = today.add_days(static_cast<int32_t>(r.between(-30, 30)));
    if (r.chance(200)) {
      v.discount_minor = v.open_minor * 2 / 100;
      v.discount_date = today.add_days(static_cast<int32_t>(r.between(1, 10)));
    }
    co.invoices.push_back(std::move(v));
  }
  return co;
}

Statement make_statement(uint64_t seed, const Company& company, int64_t lines, Date today, Format format) {
  Statement st;
  Rng r{mix(seed ^ 0xBA4C) + 99};
  const std::string date = today.to_string();
  const std::string yymmdd = date.substr(2, 2) + date.substr(5, 2) + date.substr(8, 2);
  const std::string id = "BENCH-" + std::to_string(seed);

  // Unpaid invoices per customer, and the invoices in a seeded order.
  std::vector<int64_t> order(company.invoices.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int64_t>(i);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<size_t>(r.below(static_cast<int64_t>(i)))]);
  std::vector<char> paid(company.invoices.size(), 0);
  std::vector<std::vector<int64_t>> by_customer;
  std::vector<int64_t> customer_index;  // customer id -> index in company.customers, -1: none
  int64_t max_id = 0;
  for (const auto& c : company.customers) max_id = std::max(max_id, c.customer_id);
  customer_index.assign(static_cast<size_t>(max_id + 1), -1);
  for (size_t i = 0; i < company.customers.size(); ++i) customer_index[static_cast<size_t>(company.customers[i].customer_id)] = static_cast<int64_t>(i);
  by_customer.resize(static_cast<size_t>(max_id + 1));
  for (size_t i = 0; i < company.invoices.size(); ++i) {
    const int64_t c = company.invoices[i].customer_id;
    if (c >= 0 && c <= max_id) by_customer[static_cast<size_t>(c)].push_back(static_cast<int64_t>(i));
  }
  size_t cursor = 0;
  auto next_invoice = [&]() -> int64_t {
    while (cursor < order.size() && paid[static_cast<size_t>(order[cursor])]) ++cursor;
    if (cursor == order.size()) return -1;
    return order[cursor++];
  };

  // Per mille of lines per case, in Noise order.
  static constexpr std::array<int, kNoiseKinds> kWeights = {470, 130, 50, 60, 50, 40, 60, 30, 50, 30, 15, 15};
  std::string body;
  body.reserve(static_cast<size_t>(lines) * 720);
  std::vector<size_t> starts;  // where each entry begins in body
  starts.reserve(static_cast<size_t>(lines));
  std::vector<int64_t> amounts;
  amounts.reserve(static_cast<size_t>(lines));
  st.truth.reserve(static_cast<size_t>(lines));

  for (int64_t k = 0; k < lines; ++k) {
    int64_t w = r.below(1000);
    int kind = 0;
    while (kind < kNoiseKinds - 1 && w >= kWeights[static_cast<size_t>(kind)]) w -= kWeights[static_cast<size_t>(kind++)];
    Noise noise = static_cast<Noise>(kind);
    Truth t;
    Payer p;
    const int64_t i = noise == Noise::unknown_payer ? -1 : next_invoice();
    if (i < 0) noise = Noise::unknown_payer;
    if (noise == Noise::unknown_payer) {
      p.name = std::string(kOtherPayers[static_cast<size_t>(r.below(kOtherPayers.size()))]);
      p.iban = random_de_iban(r);
      p.remittance = r.chance(500) ? "Erstattung " + digits_of(r, 8) : "Gutschrift Vorgang " + digits_of(r, 6);
      p.amount_minor = 100 + r.below(200000);
    } else {
      const auto& v = company.invoices[static_cast<size_t>(i)];
      paid[static_cast<size_t>(i)] = 1;
      t.customer_id = v.customer_id;
      t.invoice_ids.push_back(v.invoice_id);
      const int64_t ci = v.customer_id <= max_id ? customer_index[static_cast<size_t>(v.customer_id)] : -1;
      const std::string name = ci >= 0 ? company.customers[static_cast<size_t>(ci)].name : "Unbekannt";
      const std::string iban = ci >= 0 && !company.customers[static_cast<size_t>(ci)].ibans.empty()
                                   ? company.customers[static_cast<size_t>(ci)].ibans.front()
                                   : random_de_iban(r);
      if (noise == Noise::order_ref && v.order_reference.empty()) noise = Noise::number_in_text;
      if (noise == Noise::discount && (v.discount_minor <= 0 || !v.discount_date || *v.discount_date < today)) {
        noise = Noise::clean;
      }
      if (noise == Noise::clean && v.creditor_reference.empty()) noise = Noise::number_in_text;
      p.name = name;
      p.iban = iban;
      p.amount_minor = v.open_minor;
      switch (noise) {
        case Noise::clean: p.reference = v.creditor_reference; break;
        case Noise::number_in_text: p.remittance = number_text(r, v.number); break;
        case Noise::ref_typo: p.remittance = number_text(r, typo(r, v.number)); break;
        case Noise::no_reference: p.remittance = r.chance(500) ? "Zahlung" : ""; break;
        case Noise::name_abbrev:
          p.name = abbreviated(r, name);
          p.iban = random_de_iban(r);
          p.remittance = number_text(r, v.number);
          break;
        case Noise::order_ref: p.remittance = "Bestellung " + v.order_reference; break;
        case Noise::combined: {
          std::string text = v.number;
          auto& mine = by_customer[static_cast<size_t>(v.customer_id)];
          const int64_t more = r.between(1, 3);
          for (int64_t j : mine) {
            if (static_cast<int64_t>(t.invoice_ids.size()) > more) break;
            if (paid[static_cast<size_t>(j)]) continue;
            const auto& u = company.invoices[static_cast<size_t>(j)];
            paid[static_cast<size_t>(j)] = 1;
            t.invoice_ids.push_back(u.invoice_id);
            p.amount_minor += u.open_minor;
            text += r.chance(500) ? ", " + u.number : " " + u.number;
          }
          p.remittance = (r.chance(500) ? "Rechnungen " : "") + text;
          break;
        }
        case Noise::partial:
          p.reference = v.creditor_reference;
          p.amount_minor = std::max<int64_t>(1, v.open_minor * r.between(30, 90) / 100);
          p.remittance = "Teilzahlung";
          break;
        case Noise::discount:
          p.amount_minor = v.open_minor - v.discount_minor;
          if (r.chance(500)) {
            p.reference = v.creditor_reference;
          } else {
            p.remittance = number_text(r, v.number) + " abzgl. 2% Skonto";
          }
          break;
        case Noise::fee_deducted:
          p.reference = v.creditor_reference;
          p.amount_minor = std::max<int64_t>(1, v.open_minor - r.between(50, 1500));
          break;
        case Noise::foreign_sender:
          p.name = std::string(kForeignNames[static_cast<size_t>(r.below(kForeignNames.size()))]);
          p.iban = random_foreign_iban(r);
          p.remittance = r.chance(500) ? "PAYMENT" : "INVOICE SETTLEMENT " + digits_of(r, 4);
          break;
        case Noise::unknown_payer: break;
      }
      std::sort(t.invoice_ids.begin(), t.invoice_ids.end());
    }
    t.noise = noise;
    starts.push_back(body.size());
    amounts.push_back(p.amount_minor);
    if (format == Format::camt053) {
      camt_entry(body, id, k, date, p);
    } else {
      mt940_entry(body, id, k, yymmdd, p);
    }
    st.truth.push_back(std::move(t));
  }

  // The first file, then a second repeating its last tenth (a re-sent or
  // overlapping statement: every one of those lines must be skipped).
  int64_t total = 0;
  for (int64_t a : amounts) total += a;
  const int64_t overlap_from = lines - lines / 10;
  int64_t before = 0;
  for (int64_t k = 0; k < overlap_from; ++k) before += amounts[static_cast<size_t>(k)];
  st.overlap_lines = lines - overlap_from;
  const size_t cut = overlap_from < lines ? starts[static_cast<size_t>(overlap_from)] : body.size();
  if (format == Format::camt053) {
    st.text = camt_head(id, kAccount, date, 0, total);
    st.text += body;
    st.text += kCamtTail;
    st.overlap_text = camt_head(id + "-R", kAccount, date, before, total);
    st.overlap_text.append(body, cut, std::string::npos);
    st.overlap_text += kCamtTail;
  } else {
    st.text = mt940_head(id, kAccount, yymmdd, 0) + body + mt_balance(":62F:", total, yymmdd) + "-\n";
    st.overlap_text = mt940_head(id + "-R", kAccount, yymmdd, before);
    st.overlap_text.append(body, cut, std::string::npos);
    st.overlap_text += mt_balance(":62F:", total, yymmdd) + "-\n";
  }
  return st;
}

}  // namespace o2c::cli::recgen
