#pragma once
// Finding document references in a bank line's text. People retype invoice
// numbers by hand, so the same invoice arrives as "INV-2026-000042",
// "inv2026000042", "Rechnung 2026-42" or "RF18 2026 0000 42"; this reduces
// each to one key that the index can look up, in one pass over the text.
//
// Keys:
//   invoice key  series (empty for the INV series) + year (4 digits) +
//                sequence zero-padded to 6: "2026000042", "FEE2026000001" —
//                the same body creditor_reference_body() gives, so an RF
//                body and an invoice number meet in one key.
//   generic key  upper-case letters and digits, separators dropped, leading
//                zeros of each digit run dropped: "PO-004711" -> "PO4711".
//                For order references, whose shape the customer chooses.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace o2c::reconcile::ref {

// A run of letters or of digits in the upper-cased text.
struct Group {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool digits = false;
  // What lies between the previous group and this one: nothing (a letter to
  // digit change, "INV2026"), only "soft" separators (space - / . _ : #) and
  // how many, or anything else (comma, newline, other punctuation, non-ASCII).
  uint8_t gap = 0;        // characters between, capped at 255
  bool hard_gap = false;  // the gap holds a character other than a soft separator
  char sep = 0;           // the gap's first character, 0 when there is none
};

struct Tokens {
  std::string text;  // upper-cased ASCII letters and digits kept, the rest kept as is
  std::vector<Group> groups;
  std::string_view at(size_t i) const {
    return std::string_view(text).substr(groups[i].begin, groups[i].end - groups[i].begin);
  }
};

// Splits `a` and `b` (reference and remittance) into groups; b starts after a
// hard gap so that nothing joins across the two fields.
Tokens tokenize(std::string_view a, std::string_view b);

// The longest a sequence can be in a key (beyond 6 digits the number widens).
constexpr size_t kSeqDigitsMax = 9;
constexpr int kYearMin = 1990;
constexpr int kYearMax = 2099;

// "INV-2026-000042" -> {"", "2026000042"}; "FEE-2026-000001" ->
// {"FEE", "FEE2026000001"}. nullopt when the number has no year and sequence.
struct NumberKey {
  std::string series;  // empty for INV
  std::string key;
};
std::optional<NumberKey> invoice_key_of_number(std::string_view number);

// The key of `series` + digits where the first four digits are the year and
// the rest the sequence (any leading zeros). nullopt when that is no key.
std::optional<std::string> invoice_key_of_digits(std::string_view series, std::string_view digits);

// An invoice-like reference found in the text.
struct Found {
  enum class Kind { rf, rf_bad_check, invoice_number };
  Kind kind = Kind::invoice_number;
  std::string key;     // RF: the body as printed (compact); else the invoice key
  std::string series;  // invoice_number, rf_bad_check: the series named before it, if known
  std::string digits;  // year + sequence as printed: where typo variants start from
  // Printed the way the document prints it (with a word before it such as
  // INV, or the sequence zero-padded, or compact), rather than "2026 42".
  bool full_form = false;
  std::string shown;   // the text as found, for the reasons a person reads
};

// Every RF reference and every year+sequence pair in the text, left to
// right; linear in the text. `series` are the non-INV series the company
// uses (upper case), so that "FEE 2026 1" finds the fee document.
std::vector<Found> find_references(const Tokens& t, const std::unordered_set<std::string>& series);

// Calls f(variant) for each string one edit from `digits`: one digit
// replaced, two neighbours swapped, one digit dropped, one digit added.
// Variants may repeat; the caller dedups what it looks up.
template <typename F>
void for_each_typo(std::string_view digits, F&& f) {
  std::string v(digits);
  for (size_t i = 0; i < v.size(); ++i) {
    const char orig = v[i];
    for (char c = '0'; c <= '9'; ++c) {
      if (c == orig) continue;
      v[i] = c;
      f(std::string_view(v));
    }
    v[i] = orig;
  }
  for (size_t i = 0; i + 1 < v.size(); ++i) {
    if (v[i] == v[i + 1]) continue;
    std::swap(v[i], v[i + 1]);
    f(std::string_view(v));
    std::swap(v[i], v[i + 1]);
  }
  for (size_t i = 0; i < digits.size(); ++i) {
    std::string d(digits.substr(0, i));
    d.append(digits.substr(i + 1));
    f(std::string_view(d));
  }
  for (size_t i = 0; i <= digits.size(); ++i) {
    std::string d(digits.substr(0, i));
    d.push_back('0');
    d.append(digits.substr(i));
    for (char c = '0'; c <= '9'; ++c) {
      d[i] = c;
      f(std::string_view(d));
    }
  }
}

// True when one substitution, one swap of neighbours, one dropped or one
// added character turns a into b (or a == b).
bool one_edit_apart(std::string_view a, std::string_view b);

// Generic keys. The hash is FNV-1a over the key's characters, so that a
// window of groups can be hashed as it grows without building the string.
std::string generic_key(std::string_view s);
uint64_t hash_start();
uint64_t hash_add(uint64_t h, std::string_view part);
// The generic-key part of one group: letters as they are, digits without
// leading zeros ("0" stays "0").
std::string_view generic_part(std::string_view group, bool digits);

constexpr size_t kGenericKeyMin = 4;   // shorter order references would match any text
constexpr size_t kGenericKeyMax = 35;
constexpr size_t kGenericGroupsMax = 8;

}  // namespace o2c::reconcile::ref
