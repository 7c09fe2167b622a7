// The hledger journal writer: names, amounts with each currency's decimals,
// the characters hledger gives a meaning to, and refusals. hledger itself
// reads these journals in tests/e2e/journal_test.cpp.
#include <gtest/gtest.h>

#include "formats/journal/journal.h"

namespace o2c::journal {
namespace {

const std::vector<Account> kChart = {{"1000", "Bank", "asset"},
                                     {"1100", "Accounts receivable (control)", "asset"},
                                     {"2200-S-1900", "Tax payable S 19.00 %", "liability"},
                                     {"4000", "Revenue", "revenue"}};

std::map<std::string, std::string> names() { return *account_names(kChart); }

TEST(JournalAmounts, ExactDecimalsFromMinorUnitsPerCurrency) {
  EXPECT_EQ(*amount_text(11900, "EUR"), "119.00 EUR");
  EXPECT_EQ(*amount_text(-5, "EUR"), "-0.05 EUR");
  EXPECT_EQ(*amount_text(0, "EUR"), "0.00 EUR");
  EXPECT_EQ(*amount_text(-1000, "JPY"), "-1000 JPY");
  EXPECT_EQ(*amount_text(1, "KWD"), "0.001 KWD");
  EXPECT_EQ(*amount_text(1234567, "KWD"), "1234.567 KWD");
  EXPECT_EQ(*amount_text(INT64_MAX, "EUR"), "92233720368547758.07 EUR");
  EXPECT_EQ(amount_text(100, "XYZ").error().code, "unknown_currency");
  EXPECT_EQ(amount_text(100, "eur").error().code, "unknown_currency");
}

TEST(JournalNames, CodeAndNameWithTheSpecialCharactersReplaced) {
  EXPECT_EQ(account_name({"1100", "Accounts receivable (control)", "asset"}), "1100 Accounts receivable (control)");
  // Two spaces or a tab would end the name; ':' would make sub-accounts; ';' starts a comment.
  EXPECT_EQ(account_name({"4000", "Revenue:  EU\tsales; net", "revenue"}), "4000 Revenue- EU sales, net");
  EXPECT_EQ(account_name({"9000", "Line\nbreak  ", "expense"}), "9000 Line break");
  // A name wrapped in brackets would be a virtual posting.
  EXPECT_EQ(account_name({"(9100", "x)", "expense"}), "-9100 x)");
  EXPECT_EQ(account_name({"[9200", "x]", "expense"}), "-9200 x]");
}

TEST(JournalNames, TwoCodesThatWouldShareANameAreRefused) {
  auto r = account_names({{"1:0", "A", "asset"}, {"1-0", "A", "asset"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "duplicate_account");
}

TEST(JournalDescriptions, CommentsPayeeSplitsAndLineBreaksAreReplaced) {
  EXPECT_EQ(description_text("Invoice INV-2026-000001"), "Invoice INV-2026-000001");
  EXPECT_EQ(description_text("a; b | c\r\nd   e "), "a, b / c d e");
  EXPECT_EQ(description_text("Müller & Söhne – 5 €"), "Müller & Söhne – 5 €");
}

TEST(JournalHeader, DecimalMarkCommoditiesWithTheirDecimalsAndTypedAccounts) {
  auto h = header({"o2c ledger", "second; line"}, kChart, {"EUR", "JPY", "KWD", "EUR"});
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ(*h,
            "; o2c ledger\n"
            "; second, line\n"
            "\n"
            "decimal-mark .\n"
            "\n"
            "commodity 1000.00 EUR\n"
            "commodity 1000. JPY\n"
            "commodity 1000.000 KWD\n"
            "\n"
            "account 1000 Bank  ; type: A\n"
            "account 1100 Accounts receivable (control)  ; type: A\n"
            "account 2200-S-1900 Tax payable S 19.00 %  ; type: L\n"
            "account 4000 Revenue  ; type: R\n"
            "\n");
  EXPECT_EQ(header({}, kChart, {"ABC"}).error().code, "unknown_currency");
}

TEST(JournalTransactions, DebitsPositiveCreditsNegativeWithTheEntryAsCodeAndTags) {
  Transaction t{42, "2026-11-20", "EUR", "invoice", "12", "Invoice INV-2026-000001; shipped", {}};
  t.postings = {{"1100", 11900, 0}, {"4000", 0, 10000}, {"2200-S-1900", 0, 1900}};
  auto text = transaction(t, names());
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text,
            "2026-11-20 * (E42) Invoice INV-2026-000001, shipped | invoice 12\n"
            "    ; entry:42, source_type:invoice, source_id:12\n"
            "    1100 Accounts receivable (control)            119.00 EUR\n"
            "    4000 Revenue                                 -100.00 EUR\n"
            "    2200-S-1900 Tax payable S 19.00 %             -19.00 EUR\n"
            "\n");
}

TEST(JournalTransactions, OpeningBalancesHaveNoEntryCode) {
  Transaction t{0, "2026-01-01", "JPY", "opening_balance", "", "Opening balances", {}};
  t.postings = {{"1000", 5000, 0}, {"4000", 0, 5000}};
  auto text = transaction(t, names());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->substr(0, text->find('\n')), "2026-01-01 * Opening balances | opening_balance");
  EXPECT_NE(text->find("5000 JPY\n"), std::string::npos);
  EXPECT_NE(text->find("-5000 JPY\n"), std::string::npos);
  EXPECT_EQ(text->find("entry:"), std::string::npos);
}

TEST(JournalTransactions, TagValuesLoseCommas) {
  Transaction t{7, "2026-11-20", "EUR", "bank_line", "3,4", "", {}};
  t.postings = {{"1000", 1, 0}, {"1100", 0, 1}};
  auto text = transaction(t, names());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->substr(0, text->find('\n')), "2026-11-20 * (E7) bank_line 3,4");
  EXPECT_NE(text->find("source_id:3 4\n"), std::string::npos);
}

TEST(JournalTransactions, WhatHledgerCouldNotReadIsRefused) {
  auto with = [](auto change) {
    Transaction t{1, "2026-11-20", "EUR", "invoice", "1", "m", {{"1100", 100, 0}, {"4000", 0, 100}}};
    change(t);
    auto r = transaction(t, names());
    return r.ok() ? std::string("ok") : r.error().code;
  };
  EXPECT_EQ(with([](Transaction&) {}), "ok");
  EXPECT_EQ(with([](Transaction& t) { t.postings[1].credit_minor = 99; }), "unbalanced_entry");
  EXPECT_EQ(with([](Transaction& t) { t.postings.clear(); }), "unbalanced_entry");
  EXPECT_EQ(with([](Transaction& t) { t.postings[0].account = "7777"; }), "unknown_account");
  EXPECT_EQ(with([](Transaction& t) { t.postings[0].credit_minor = 5; }), "invalid_posting");
  EXPECT_EQ(with([](Transaction& t) { t.postings[0] = {"1100", 0, 0}; }), "invalid_posting");
  EXPECT_EQ(with([](Transaction& t) { t.postings[0].debit_minor = -100; }), "invalid_posting");
  EXPECT_EQ(with([](Transaction& t) { t.date = "2026-13-01"; }), "invalid_date");
  EXPECT_EQ(with([](Transaction& t) { t.currency = "ZZZ"; }), "unknown_currency");
}

}  // namespace
}  // namespace o2c::journal
