#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

#include "formats/pdf/letter_pdf.h"

namespace o2c::formats::pdf {
namespace {

// pdftotext of the bytes (poppler-utils, installed by install-deps --test).
std::string text_of(const std::string& pdf) {
  char path[] = "/tmp/o2c-letter-XXXXXX";
  const int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path, std::ios::binary) << pdf;
  std::string out;
  if (FILE* p = ::popen(("pdftotext -enc UTF-8 " + std::string(path) + " - 2>&1").c_str(), "r")) {
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  std::remove(path);
  return out;
}

Letter sample() {
  Letter l;
  l.sender = "Kaffeerösterei Nord GmbH · Speicherstadt 1, 20457 Hamburg";
  l.recipient = {"Bäckerei Sonnenschein GmbH", "Hauptstraße 12", "10115 Berlin", "DE"};
  l.place_and_date = "2026-02-24";
  l.date = "2026-02-24";
  l.subject = "Reminder, level 3 (EUR)";
  l.body = "Dear Bäckerei Sonnenschein GmbH,\n\nFinal notice: the invoices below remain unpaid.\n\nINV-2026-000001: 59.50 EUR, "
           "36 days overdue";
  l.closing = "Kaffeerösterei Nord GmbH";
  return l;
}

TEST(LetterPdf, PrintsTheAddressSubjectAndEveryParagraph) {
  auto pdf = render_letter_pdf(sample());
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  ASSERT_EQ(pdf->rfind("%PDF", 0), 0u);
  const std::string text = text_of(*pdf);
  for (const char* expected : {"Bäckerei Sonnenschein GmbH", "10115 Berlin", "Reminder, level 3 (EUR)", "Final notice",
                               "INV-2026-000001: 59.50 EUR", "2026-02-24"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from:\n" << text;
  }
}

// The letter's date, not the clock, is the PDF's: an e-mailed reminder and
// the same notice downloaded later are the same bytes.
TEST(LetterPdf, TheSameLetterRendersToTheSameBytesDatedByTheLetter) {
  auto first = render_letter_pdf(sample());
  ASSERT_TRUE(first.ok()) << first.error().message;
  // cairo 1.16 writes it without the "D:" prefix, later ones with it.
  const size_t at = first->find("/CreationDate (");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(first->substr(at, 40).find("20260224000000Z)"), std::string::npos) << first->substr(at, 40);
  auto again = render_letter_pdf(sample());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);
  Letter undated = sample();
  undated.date = "24.02.2026";
  EXPECT_FALSE(render_letter_pdf(undated).ok());
}

TEST(LetterPdf, ALongLetterGoesOnToASecondPage) {
  Letter l = sample();
  for (int i = 0; i < 120; ++i) l.body += "\n\nINV-2026-" + std::to_string(100000 + i) + ": 10.00 EUR, 40 days overdue";
  auto pdf = render_letter_pdf(l);
  ASSERT_TRUE(pdf.ok());
  const std::string text = text_of(*pdf);
  EXPECT_NE(text.find("INV-2026-100119"), std::string::npos) << "the last line is printed";
  EXPECT_NE(text.find('\f'), std::string::npos) << "more than one page";
}

}  // namespace
}  // namespace o2c::formats::pdf
