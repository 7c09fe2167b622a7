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
