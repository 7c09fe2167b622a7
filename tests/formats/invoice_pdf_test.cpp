// The invoice PDF is checked the way a customer's software reads it:
// poppler extracts its text and rasterises its pages, zbar decodes its QR
// code. Those tools come from scripts/install-deps.sh --test; a missing one
// fails the test (a skipped check would pass a broken renderer).
//
// O2C_PDF_SAMPLE_DIR=/some/dir keeps the rendered PDFs there for a look.
#include "formats/pdf/invoice_pdf.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>


namespace o2c::formats::pdf {
namespace {

namespace fs = std::filesystem;

Currency eur() { return *Currency::of("EUR"); }
Money eur(const char* amount) { return *Money::parse(amount, eur()); }
Date date(const char* text) { return *Date::parse(text); }
Quantity qty(const char* text) { return *Quantity::parse(text); }

DocumentLine line(const char* id, const char* sku, const char* name, const char* quantity, int64_t price_e4,
                  const char* net, const char* category, int64_t rate_bp) {
  DocumentLine l;
  l.id = id;
  l.sku = sku;
  l.name = name;
  l.quantity = qty(quantity);
  l.unit_price_e4 = price_e4;
  l.line_net = eur(net);
  l.tax_category = category;
  l.tax_rate_bp = rate_bp;
  return l;
}

TaxSubtotal subtotal(const char* category, int64_t rate_bp, const char* taxable, const char* tax) {
  TaxSubtotal t;
  t.category = category;
  t.rate_bp = rate_bp;
  t.taxable = eur(taxable);
  t.tax = eur(tax);
  return t;
}

Party seller() {
  Party p;
  p.name = "Müller & Söhne Büromöbel GmbH";
  p.vat_id = "DE123456789";
  p.country = "DE";
  p.address = "Königsallee 12\n40212 Düsseldorf";
  p.email = "rechnung@mueller-soehne.example";
  return p;
}

Party buyer() {
  Party p;
  p.name = "Café Größenwahn KG";
  p.vat_id = "DE987654321";
  p.country = "DE";
  p.address = "Straße des 17. Juni 100, 10623 Berlin";
  return p;
}

// Totals as the billing domain would have computed them.
InvoiceDocument sample_invoice() {
  InvoiceDocument d;
  d.kind = DocumentKind::invoice;
  d.number = "INV-2026-000001";
  d.issue_date = date("2026-03-14");
  d.due_date = date("2026-04-13");
  d.delivery_date = date("2026-03-12");
  d.order_reference = "SO-000123";
  d.buyer_reference = "PO 4711/2026";
  d.seller = seller();
  d.buyer = buyer();
  d.iban = "DE89370400440532013000";
  d.bic = "COBADEFFXXX";
  d.creditor_reference = "RF18539007547034";
  d.payment_terms = "Net 30 days";
  d.discount_date = date("2026-03-24");
  d.discount_amount = eur("29.23");

  d.lines.push_back(line("1", "CHAIR-ERGO-01",
                         "Ergonomic office chair \xE2\x80\x9EP\xC3\xBCnktlich\xE2\x80\x9C with lumbar support, grey fabric",
                         "4", 2490000, "996.00", "S", 1900));
  d.lines.push_back(line("2", "BOOK-USTR-2026", "Handbook of German VAT law (Umsatzsteuerrecht), 2026 edition", "2",
                         399000, "79.80", "S", 700));
  DocumentLine training = line("3", "SVC-TRAINING", "Ergonomics training for office staff (vocational, on site)",
                               "1.5", 800000, "120.00", "E", 0);
  training.unit_code = "HUR";
  d.lines.push_back(training);
  d.lines.push_back(line("4", "CABLE-DUCT-FLEX-BLACK-2M-XL",
                         "Flexible cable duct for height-adjustable desks, black, 2 m, with clip-on mounting brackets, "
                         "self-adhesive cable ties and a detailed illustrated installation guide in German, English, "
                         "French, Italian, Spanish, Dutch, Polish and Czech, printed on recycled paper",
                         "1", 123450, "12.35", "S", 1900));
  d.lines.push_back(line("5", "GIFT-50", "Multi-purpose gift voucher (Mehrzweckgutschein) 50 €", "1", 500000,
                         "50.00", "O", 0));

  AllowanceCharge loyalty;
  loyalty.amount = eur("10.00");
  loyalty.reason = "Loyalty discount 2026";
  loyalty.tax_category = "S";
  loyalty.tax_rate_bp = 1900;
  AllowanceCharge freight;
  freight.is_charge = true;
  freight.amount = eur("15.00");
  freight.reason = "Freight and packaging";
  freight.tax_category = "S";
  freight.tax_rate_bp = 1900;
  d.allowances_charges = {loyalty, freight};

  TaxSubtotal exempt = subtotal("E", 0, "120.00", "0.00");
  exempt.exemption_reason = "Exempt under § 4 Nr. 21 UStG (vocational training)";
  exempt.exemption_reason_code = "VATEX-EU-132-1I";
  TaxSubtotal outside = subtotal("O", 0, "50.00", "0.00");
  outside.exemption_reason_code = "VATEX-EU-O";
  d.tax_subtotals = {subtotal("S", 1900, "1013.35", "192.54"), subtotal("S", 700, "79.80", "5.59"), exempt,
                     outside};

  d.net_total = eur("1258.15");
  d.allowance_total = eur("10.00");
  d.charge_total = eur("15.00");
  d.tax_exclusive = eur("1263.15");
  d.tax_total = eur("198.13");
  d.total = eur("1461.28");
  d.paid = eur("0.00");
  d.payable = eur("1461.28");
  return d;
}

const char* const kSamplePayload =
    "BCD\n002\n1\nSCT\nCOBADEFFXXX\nM\xC3\xBCller & S\xC3\xB6hne B\xC3\xBCrom\xC3\xB6"
    "bel GmbH\nDE89370400440532013000\nEUR1461.28\n\nRF18539007547034";

InvoiceDocument long_invoice(int line_count) {
  InvoiceDocument d = sample_invoice();
  d.number = "INV-2026-000500";
  d.lines.clear();
  d.allowances_charges.clear();
  d.discount_date.reset();
  d.discount_amount.reset();
  Money net = Money::zero(eur());
  for (int i = 1; i <= line_count; ++i) {
    DocumentLine l;
    l.id = std::to_string(i);
    char sku[16];
    std::snprintf(sku, sizeof sku, "SP-%05d", i);
    l.sku = sku;
    l.name = "Spare part " + std::to_string(i) + ": hex bolt M" + std::to_string(4 + i % 20) + ", galvanised";
    if (i % 7 == 0) l.name += ", with washer, nut and a spring lock ring in a resealable bag of twenty-five pieces";
    const int64_t units = 1 + i % 5;
    l.quantity = Quantity::units(units);
    l.unit_price_e4 = (100 + (i * 37) % 900) * 10000 + (i % 4) * 2500;
    l.line_net = Money(l.unit_price_e4 / 100 * units, eur());
    l.tax_category = "S";
    l.tax_rate_bp = 1900;
    net = *net.add(l.line_net);
    d.lines.push_back(l);
  }
  const Money tax = *net.mul_ratio(1900, 10000);
  d.tax_subtotals = {TaxSubtotal{"S", 1900, net, tax, std::nullopt, std::nullopt}};
  d.net_total = net;
  d.allowance_total = eur("0.00");
  d.charge_total = eur("0.00");
  d.tax_exclusive = net;
  d.tax_total = tax;
  d.total = *net.add(tax);
  d.payable = d.total;
  return d;
}

InvoiceDocument credit_note() {
  InvoiceDocument d;
  d.kind = DocumentKind::credit_note;
  d.number = "CN-2026-000007";
  d.issue_date = date("2026-03-20");
  d.preceding_invoice_number = "INV-2026-000001";
  d.preceding_invoice_date = date("2026-03-14");
  d.note = "Two chairs were returned damaged in transit.";
  d.order_reference = "SO-000123";
  d.seller = seller();
  d.buyer = buyer();
  d.iban = "DE89370400440532013000";
  d.bic = "COBADEFFXXX";
  d.payment_terms = "Refunded to your account within 14 days.";
  d.lines.push_back(line("1", "CHAIR-ERGO-01", "Ergonomic office chair, returned damaged", "2", 2490000, "498.00",
                         "S", 1900));
  d.tax_subtotals = {subtotal("S", 1900, "498.00", "94.62")};
  d.net_total = eur("498.00");
  d.tax_exclusive = eur("498.00");
  d.tax_total = eur("94.62");
  d.total = eur("592.62");
  d.payable = eur("592.62");
  return d;
}

// ---------------------------------------------------------------------------
// Running the reading tools

struct ToolRun {
  int status = -1;
  std::string out;
};

ToolRun run(const std::string& command) {
  ToolRun r;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  const int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

testing::AssertionResult tool_available(const std::string& tool, const std::string& package) {
  if (run("command -v " + tool + " >/dev/null 2>&1").status == 0) return testing::AssertionSuccess();
  return testing::AssertionFailure() << tool << " is not installed: the PDF checks need it (Debian package "
                                     << package << ", installed by scripts/install-deps.sh --test)";
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "o2c-pdf-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// Writes the PDF into `dir` (and into O2C_PDF_SAMPLE_DIR when set).
fs::path write_pdf(const fs::path& dir, const std::string& name, const std::string& bytes) {
  const fs::path file = dir / (name + ".pdf");
  std::ofstream(file, std::ios::binary) << bytes;
  if (const char* keep = std::getenv("O2C_PDF_SAMPLE_DIR")) {
    std::ofstream(fs::path(keep) / (name + ".pdf"), std::ios::binary) << bytes;
  }
  return file;
}

// The text poppler extracts, every run of white space (no-break spaces and
// the line breaks of wrapped text included) read as one space.
std::string pdf_text(const fs::path& pdf) {
  const std::string raw = run("pdftotext -enc UTF-8 " + quoted(pdf) + " - 2>&1").out;
  std::string text;
  bool in_space = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    const bool nbsp = raw.compare(i, 2, "\xC2\xA0") == 0;
    const bool space = nbsp || raw[i] == ' ' || raw[i] == '\n' || raw[i] == '\t' || raw[i] == '\f';
    if (space) {
      if (!in_space) text += ' ';
      in_space = true;
      if (nbsp) ++i;
    } else {
      text += raw[i];
      in_space = false;
    }
  }
  return text;
}

std::string pdfinfo_field(const fs::path& pdf, const std::string& field) {
  std::istringstream lines(run("pdfinfo -enc UTF-8 " + quoted(pdf) + " 2>&1").out);
  for (std::string l; std::getline(lines, l);) {
    if (l.rfind(field + ":", 0) == 0) {
      const size_t value = l.find_first_not_of(' ', field.size() + 1);
      return value == std::string::npos ? "" : l.substr(value);
    }
  }
  return "";
}

int page_count(const fs::path& pdf) { return std::atoi(pdfinfo_field(pdf, "Pages").c_str()); }

size_t occurrences(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
  return count;
}

struct Gray {
  int width = 0;
  int height = 0;
  size_t dark = 0;  // pixels darker than mid-grey
};

// Page 1 rasterised to a binary PGM (P5) and its dark pixels counted.
Gray first_page_gray(const fs::path& pdf, const fs::path& dir, int dpi) {
  const fs::path prefix = dir / "page1";
  Gray g;
  if (run("pdftoppm -gray -r " + std::to_string(dpi) + " -f 1 -l 1 -singlefile " + quoted(pdf) + " " +
          quoted(prefix) + " 2>&1")
          .status != 0) {
    return g;
  }
  std::ifstream in(prefix.string() + ".pgm", std::ios::binary);
  std::string magic;
  int max_value = 0;
  in >> magic >> g.width >> g.height >> max_value;
  if (magic != "P5" || max_value != 255 || g.width <= 0 || g.height <= 0) return Gray{};
  in.get();  // the one whitespace byte before the pixels
  const std::string pixels((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (pixels.size() != static_cast<size_t>(g.width) * static_cast<size_t>(g.height)) return Gray{};
  for (char p : pixels) g.dark += static_cast<unsigned char>(p) < 128 ? 1 : 0;
  return g;
}

// Page 1 rasterised at 50 dpi has ink on it, but is not a black sheet.
void expect_first_page_inked(const fs::path& pdf, const fs::path& dir) {
  const Gray page = first_page_gray(pdf, dir, 50);
  ASSERT_GT(page.width, 0) << "pdftoppm could not rasterise " << pdf;
  const size_t pixels = static_cast<size_t>(page.width) * static_cast<size_t>(page.height);
  EXPECT_GT(page.dark, pixels / 100) << "page 1 is (nearly) blank";
  EXPECT_LT(page.dark, pixels / 3) << "page 1 is (nearly) all dark";
}

// What zbar decodes from page 1 at `dpi`, byte for byte; exit status 4
// means it found no code.
ToolRun decode_qr(const fs::path& pdf, const fs::path& dir, int dpi) {
  const fs::path prefix = dir / "qr";
  const ToolRun raster = run("pdftoppm -png -r " + std::to_string(dpi) + " -f 1 -l 1 -singlefile " + quoted(pdf) + " " +
                         quoted(prefix) + " 2>&1");
  if (raster.status != 0) return raster;
  // Binary: zbar would otherwise guess a charset and turn UTF-8 into Shift JIS.
  return run("zbarimg --quiet --raw -Sbinary --nodbus " + quoted(fs::path(prefix.string() + ".png")) + " 2>/dev/null");
}

// ---------------------------------------------------------------------------
// EPC QR payload

TEST(EpcQrPayload, IsTheExactGuidelineTextForAnEuroInvoice) {
  const auto payload = epc_qr_payload(sample_invoice());
  ASSERT_TRUE(payload.ok()) << payload.error().message;
  ASSERT_TRUE(payload->has_value());
  EXPECT_EQ(**payload, kSamplePayload);
}

TEST(EpcQrPayload, NormalisesCodesAndLeavesAnAbsentBicEmpty) {
  InvoiceDocument d = sample_invoice();
  d.iban = "de89 3704 0044 0532 0130 00";
  d.bic.reset();
  d.creditor_reference = "rf18 5390 0754 7034";
  d.payable = eur("0.01");
  const auto payload = epc_qr_payload(d);
  ASSERT_TRUE(payload.ok()) << payload.error().message;
  ASSERT_TRUE(payload->has_value());
  EXPECT_EQ(**payload,
            "BCD\n002\n1\nSCT\n\nM\xC3\xBCller & S\xC3\xB6hne B\xC3\xBCrom\xC3\xB6"
            "bel GmbH\nDE89370400440532013000\nEUR0.01\n\nRF18539007547034");
}

TEST(EpcQrPayload, WithoutCreditorReferenceTheNumberIsTheRemittanceText) {
  InvoiceDocument d = sample_invoice();
  d.creditor_reference.reset();
  const auto payload = epc_qr_payload(d);
  ASSERT_TRUE(payload.ok()) << payload.error().message;
  ASSERT_TRUE(payload->has_value());
  EXPECT_EQ(**payload,
            "BCD\n002\n1\nSCT\nCOBADEFFXXX\nM\xC3\xBCller & S\xC3\xB6hne B\xC3\xBCrom\xC3\xB6"
            "bel GmbH\nDE89370400440532013000\nEUR1461.28\n\n\nINV-2026-000001");
}

TEST(EpcQrPayload, NoneForOtherCurrenciesCreditNotesNoIbanOrAmountsOutOfRange) {
  const auto none = [](const InvoiceDocument& d) {
    const auto payload = epc_qr_payload(d);
    return payload.ok() && !payload->has_value();
  };
  InvoiceDocument usd = sample_invoice();
  usd.currency = *Currency::of("USD");
  usd.payable = Money(146128, *Currency::of("USD"));
  EXPECT_TRUE(none(usd));
  EXPECT_TRUE(none(credit_note()));
  InvoiceDocument no_iban = sample_invoice();
  no_iban.iban.reset();
  EXPECT_TRUE(none(no_iban));
  no_iban.iban = " ";
  EXPECT_TRUE(none(no_iban));
  InvoiceDocument amount = sample_invoice();
  for (const char* out_of_range : {"0.00", "-5.00", "1000000000.00"}) {
    amount.payable = eur(out_of_range);
    EXPECT_TRUE(none(amount)) << out_of_range;
  }
  amount.payable = eur("999999999.99");
  const auto largest = epc_qr_payload(amount);
  ASSERT_TRUE(largest.ok() && largest->has_value());
  EXPECT_NE((*largest)->find("\nEUR999999999.99\n"), std::string::npos);
}

TEST(EpcQrPayload, CutsTheNameTo70CharactersAndKeepsItOnOneLine) {
  InvoiceDocument d = sample_invoice();
  d.seller.name = "Ä";
  for (int i = 0; i < 79; ++i) d.seller.name += "ö";  // 80 characters, 160 bytes
  const auto payload = epc_qr_payload(d);
  ASSERT_TRUE(payload.ok()) << payload.error().message;
  std::string seventy = "Ä";
  for (int i = 0; i < 69; ++i) seventy += "ö";
  EXPECT_NE((*payload)->find("\n" + seventy + "\nDE89"), std::string::npos);

  d.seller.name = "Line one\nLine two\r\n";
  const auto flat = epc_qr_payload(d);
  ASSERT_TRUE(flat.ok()) << flat.error().message;
  EXPECT_NE((*flat)->find("\nCOBADEFFXXX\nLine one Line two\nDE89"), std::string::npos);
}

TEST(EpcQrPayload, RefusesMoreThan331Bytes) {
  InvoiceDocument d = sample_invoice();
  d.seller.name.clear();
  for (int i = 0; i < 70; ++i) d.seller.name += "\xF0\x9F\x93\xA6";  // 70 four-byte characters
  const auto payload = epc_qr_payload(d);
  ASSERT_FALSE(payload.ok());
  EXPECT_EQ(payload.error().code, "epc_payload_too_long");

  // At the limit exactly it still fits.
  d.seller.name = std::string(70, 'N');
  const auto fits = epc_qr_payload(d);
  ASSERT_TRUE(fits.ok());
  EXPECT_LE((*fits)->size(), 331u);
}

TEST(EpcQrPayload, RefusesUnusablePaymentData) {
  const auto code_of = [](const InvoiceDocument& d) {
    const auto payload = epc_qr_payload(d);
    return payload.ok() ? std::string("ok") : payload.error().code;
  };
  InvoiceDocument d = sample_invoice();
  d.iban = "DE88370400440532013000";  // check digits off by one
  EXPECT_EQ(code_of(d), "invalid_iban");
  d.iban = "DE89-3704-0044";
  EXPECT_EQ(code_of(d), "invalid_iban");
  d = sample_invoice();
  d.bic = "COBA";
  EXPECT_EQ(code_of(d), "invalid_bic");
  d = sample_invoice();
  d.creditor_reference = "RF19539007547034";
  EXPECT_EQ(code_of(d), "invalid_creditor_reference");
  d = sample_invoice();
  d.seller.name = "  ";
  EXPECT_EQ(code_of(d), "invalid_beneficiary_name");
  d.seller.name = "Bad \xC3";
  EXPECT_EQ(code_of(d), "invalid_beneficiary_name");
}

TEST(InvoicePdfFormat, GroupsAmountsAndCodesForReading) {
  EXPECT_EQ(format_amount(eur("1234567.50")), "1,234,567.50");
  EXPECT_EQ(format_amount(eur("-1234.05")), "-1,234.05");
  EXPECT_EQ(format_amount(eur("999.00")), "999.00");
  EXPECT_EQ(format_amount(Money(1234567, *Currency::of("JPY"))), "1,234,567");
  EXPECT_EQ(format_amount(Money(1234567, *Currency::of("KWD"))), "1,234.567");
  EXPECT_EQ(group_by_four("DE89370400440532013000"), "DE89 3704 0044 0532 0130 00");
  EXPECT_EQ(group_by_four("rf18 539007547034"), "RF18 5390 0754 7034");
}

// ---------------------------------------------------------------------------
// Rendering

TEST(InvoicePdf, RealisticInvoiceReadsBackAndCarriesThePaymentQrCode) {
  ASSERT_TRUE(tool_available("pdftotext", "poppler-utils"));
  ASSERT_TRUE(tool_available("pdfinfo", "poppler-utils"));
  ASSERT_TRUE(tool_available("pdftoppm", "poppler-utils"));
  ASSERT_TRUE(tool_available("zbarimg", "zbar-tools"));
  const auto pdf = render_invoice_pdf(sample_invoice());
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path file = write_pdf(dir.path(), "invoice", *pdf);

  EXPECT_EQ(page_count(file), 1);
  EXPECT_EQ(pdfinfo_field(file, "Title"), "INV-2026-000001");
  EXPECT_EQ(pdfinfo_field(file, "Author"), "Müller & Söhne Büromöbel GmbH");
  EXPECT_EQ(pdfinfo_field(file, "Creator"), "o2c");

  const std::string text = pdf_text(file);
  for (const char* expected : {
           "Invoice",
           "INV-2026-000001",
           "Müller & Söhne Büromöbel GmbH",
           "Königsallee 12",
           "40212 Düsseldorf",
           "DE123456789",
           "Café Größenwahn KG",
           "Straße des 17. Juni 100",
           "10623 Berlin",
           "DE987654321",
           "2026-03-14",
           "2026-04-13",
           "SO-000123",
           "PO 4711/2026",
           "CHAIR-ERGO-01",
           "Pünktlich",
           "1.5 h",
           "12.345",
           "Loyalty discount 2026",
           "Freight and packaging",
           "-10.00",
           "Standard rate (S)",
           "Exempt (E)",
           "VATEX-EU-132-1I: Exempt under § 4 Nr. 21 UStG (vocational training)",
           "VATEX-EU-O: Not subject to VAT.",
           "1,013.35",
           "192.54",
           "EUR 1,461.28",
           "Amount due",
           "Net 30 days",
           "EUR 29.23",
           "2026-03-24",
           "Please pay EUR 1,461.28 by 2026-04-13",
           "to IBAN DE89 3704 0044 0532 0130 00 (BIC COBADEFFXXX)",
           "quoting reference RF18 5390 0754 7034.",
           "Page 1 of 1",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n--- text ---\n" << text;
  }

  expect_first_page_inked(file, dir.path());

  const ToolRun qr = decode_qr(file, dir.path(), 150);
  ASSERT_EQ(qr.status, 0) << "zbarimg found no QR code on page 1";
  EXPECT_EQ(qr.out, kSamplePayload);
}

TEST(InvoicePdf, FiveHundredLinesRunOverPagesWithHeaderAndFooterOnEach) {
  ASSERT_TRUE(tool_available("pdftotext", "poppler-utils"));
  ASSERT_TRUE(tool_available("pdfinfo", "poppler-utils"));
  ASSERT_TRUE(tool_available("pdftoppm", "poppler-utils"));
  const InvoiceDocument doc = long_invoice(500);
  const auto pdf = render_invoice_pdf(doc);
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  TempDir dir;
  const fs::path file = write_pdf(dir.path(), "invoice-500-lines", *pdf);

  const int pages = page_count(file);
  EXPECT_GT(pages, 1);
  const std::string text = pdf_text(file);
  for (int p = 1; p <= pages; ++p) {
    const std::string footer = "Page " + std::to_string(p) + " of " + std::to_string(pages);
    EXPECT_EQ(occurrences(text, footer), 1u) << footer;
  }
  EXPECT_EQ(occurrences(text, "Page " + std::to_string(pages + 1) + " of"), 0u);
  // Every page that holds lines repeats the table header; at most the last
  // page holds only the totals.
  EXPECT_GE(occurrences(text, "Unit price"), static_cast<size_t>(pages - 1));
  EXPECT_EQ(occurrences(text, "(continued)"), static_cast<size_t>(pages - 1));
  for (const char* sku : {"SP-00001", "SP-00250", "SP-00499", "SP-00500"}) {
    EXPECT_EQ(occurrences(text, sku), 1u) << sku;
  }
  EXPECT_NE(text.find("INV-2026-000500"), std::string::npos);
  EXPECT_NE(text.find("Please pay EUR " + format_amount(doc.payable)), std::string::npos);
  EXPECT_NE(text.find("RF18 5390 0754 7034"), std::string::npos);
  EXPECT_NE(text.find("DE89 3704 0044 0532 0130 00"), std::string::npos);
  expect_first_page_inked(file, dir.path());
}

TEST(InvoicePdf, CreditNoteNamesTheCorrectedInvoiceAndCarriesNoQrCode) {
  ASSERT_TRUE(tool_available("pdftotext", "poppler-utils"));
  ASSERT_TRUE(tool_available("pdftoppm", "poppler-utils"));
  ASSERT_TRUE(tool_available("zbarimg", "zbar-tools"));
  const auto pdf = render_invoice_pdf(credit_note());
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  TempDir dir;
  const fs::path file = write_pdf(dir.path(), "credit-note", *pdf);

  const std::string text = pdf_text(file);
  for (const char* expected : {"Credit note", "CN-2026-000007", "Corrects invoice", "INV-2026-000001",
                               "Reason: Two chairs were returned damaged in transit.", "EUR 592.62",
                               "Amount credited", "Refunded to your account within 14 days.",
                               "Page 1 of 1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n--- text ---\n" << text;
  }
  EXPECT_EQ(text.find("Please pay"), std::string::npos);
  expect_first_page_inked(file, dir.path());
  EXPECT_EQ(decode_qr(file, dir.path(), 150).status, 4) << "a credit note must not ask to be paid";
}

TEST(InvoicePdf, OtherCurrencyHasInstructionsButNoQrCode) {
  ASSERT_TRUE(tool_available("pdftotext", "poppler-utils"));
  ASSERT_TRUE(tool_available("pdftoppm", "poppler-utils"));
  ASSERT_TRUE(tool_available("zbarimg", "zbar-tools"));
  InvoiceDocument d = sample_invoice();
  const Currency chf = *Currency::of("CHF");
  d.currency = chf;
  d.total = Money(146128, chf);
  d.payable = Money(146128, chf);
  const auto pdf = render_invoice_pdf(d);
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  TempDir dir;
  const fs::path file = write_pdf(dir.path(), "invoice-chf", *pdf);
  EXPECT_NE(pdf_text(file).find("Please pay CHF 1,461.28 by 2026-04-13"), std::string::npos);
  EXPECT_EQ(decode_qr(file, dir.path(), 150).status, 4);
}

// Renders the sample invoice with fontconfig seeing only `fonts`, reports on
// stderr and ends the process: fontconfig reads its configuration once per
// process, so this runs in a death test's fresh child.
[[noreturn]] void render_with_only_fonts(const std::vector<fs::path>& fonts) {
  int code = 0;
  {
    TempDir dir;
    fs::create_directories(dir.path() / "fonts");
    for (const fs::path& font : fonts) fs::copy_file(font, dir.path() / "fonts" / font.filename());
    const fs::path conf = dir.path() / "fonts.conf";
    std::ofstream(conf) << "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n"
                        << "  <dir>" << (dir.path() / "fonts").string() << "</dir>\n"
                        << "  <cachedir>" << (dir.path() / "cache").string() << "</cachedir>\n</fontconfig>\n";
    ::setenv("FONTCONFIG_FILE", conf.c_str(), 1);
    const auto pdf = render_invoice_pdf(sample_invoice());
    if (!pdf.ok()) {
      std::fprintf(stderr, "refused: %s\n", pdf.error().code.c_str());
      code = 3;
    } else {
      const std::string text = pdf_text(write_pdf(dir.path(), "fallback", *pdf));
      const bool readable = text.find("Please pay EUR 1,461.28") != std::string::npos &&
                            text.find("Müller & Söhne") != std::string::npos;
      std::fprintf(stderr, "rendered: %s\n", readable ? "text readable" : "text missing");
    }
  }
  std::fflush(stderr);
  std::_Exit(code);
}

TEST(InvoicePdfDeathTest, FallsBackToAnInstalledFontAndRefusesWhenThereIsNone) {
  ASSERT_TRUE(tool_available("pdftotext", "poppler-utils"));
  const fs::path serif = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
  ASSERT_TRUE(fs::exists(serif)) << serif << " is missing (Debian package fonts-dejavu-core)";
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // a new process, not a fork of this one's fontconfig
  // None of the preferred sans faces: fontconfig substitutes what there is.
  EXPECT_EXIT(render_with_only_fonts({serif}), testing::ExitedWithCode(0), "rendered: text readable");
  EXPECT_EXIT(render_with_only_fonts({}), testing::ExitedWithCode(3), "refused: no_fonts");
}

TEST(InvoicePdf, SameDocumentRendersToTheSameBytes) {
  const auto first = render_invoice_pdf(sample_invoice());
  const auto second = render_invoice_pdf(sample_invoice());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
}

TEST(InvoicePdf, RefusesToPrintUnusablePaymentData) {
  InvoiceDocument d = sample_invoice();
  d.iban = "DE00370400440532013000";
  const auto pdf = render_invoice_pdf(d);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.error().code, "invalid_iban");
}

}  // namespace
}  // namespace o2c::formats::pdf
