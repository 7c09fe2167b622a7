#pragma once
// A business letter as a PDF: the dunning level whose action is `letter`
// is printed and posted rather than e-mailed; a customer's statement of
// account is a letter with a table. One or more A4 pages laid out
// with pango (UTF-8, wrapping) and drawn with cairo into memory.
#include <string>
#include <vector>

#include "core/result.h"

namespace o2c::formats::pdf {

// A table after the body (a statement's movements): columns share the text
// width by weight; numbers are right-aligned; the header repeats on each page.
struct LetterTable {
  std::vector<std::string> header;
  std::vector<double> weights;  // one per column
  std::vector<bool> right;      // one per column: right-aligned
  std::vector<std::vector<std::string>> rows;
};

struct Letter {
  std::string sender;                   // one line above the address window
  std::vector<std::string> recipient;   // name, then address lines
  std::string place_and_date;           // "2026-02-24"
  // YYYY-MM-DD: the PDF's creation date. The letter's own date, never the
  // clock, so that the same letter renders to the same bytes (an e-mailed
  // copy equals the one downloaded later). Empty or not a date: refused.
  std::string date;
  std::string subject;                  // bold
  std::string body;                     // paragraphs separated by blank lines; '\n' breaks a line
  std::string closing;                  // e.g. the company's name
  LetterTable table;                    // optional: no columns, no table
  std::string after_table;              // a paragraph after the table (totals)
};

// Errors: "no_fonts" (internal) when fontconfig finds no font; internal when
// cairo fails or `date` is not a date.
Result<std::string> render_letter_pdf(const Letter& letter);

}  // namespace o2c::formats::pdf
