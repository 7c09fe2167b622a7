#pragma once
// Telling who paid from the name the bank passes on. Banks truncate, drop
// accents and upper-case; payers abbreviate ("Intl", "Mfg") and leave out or
// change the legal form. Names are reduced to tokens that survive all of
// that, and two names are compared by their tokens.
#include <string>
#include <string_view>
#include <vector>

namespace o2c::reconcile::names {

// Lower-case ASCII tokens: accents folded (ü, ue -> u; ß -> ss), punctuation
// dropped, single letters run together ("A.C.M.E." -> "acme"), legal forms
// (GmbH, AG, Ltd, BV, SA, Inc, ...) and filler words dropped, common
// abbreviations written out ("intl" -> "international").
std::vector<std::string> tokens(std::string_view name);

// "international business machines" -> "ibm"; empty below two tokens.
std::string initials(const std::vector<std::string>& tokens);

// Tokens joined without spaces: "data soft" and "datasoft" meet here.
std::string joined(const std::vector<std::string>& tokens);

// A name reduced once, with what similarity() needs ready.
struct Name {
  std::vector<std::string> tokens;
  std::string joined;
  std::string initials;
};
Name parse(std::string_view name);

// 0..1: 1 only when both names have the same tokens (in any order) or the
// same letters once joined; tokens that are abbreviations (at least
// kPrefixMin letters, the first kPrefixMin - 1 shared, the rest in order)
// or one typo apart count for less; one name being
// the other's initials counts as kInitialsScore.
double similarity(const std::vector<std::string>& payer, const std::vector<std::string>& customer);
double similarity(const Name& payer, const Name& customer);

constexpr size_t kPrefixMin = 4;
constexpr double kInitialsScore = 0.8;

}  // namespace o2c::reconcile::names
