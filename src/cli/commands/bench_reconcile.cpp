#include "cli/commands/bench_reconcile.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>
#include <optional>

#include "app/payments.h"
#include "app/reconciliation.h"
#include "app/users.h"
#include "app/verify.h"
#include "cli/commands/bench_billing.h"
#include "cli/commands/bench_support.h"
#include "core/error.h"
#include "domain/payments/allocation.h"
#include "store/bank_repo.h"
#include "store/migrate.h"

namespace o2c::cli {
namespace {

using Clock = std::chrono::steady_clock;
namespace fb = formats::bank;

constexpr int kCustomersMin = 1000;
constexpr size_t kWrongExamplesMax = 5;
// The booking phase seeds one shipped order per invoice; its customers get
// this many each, so that a payer has several open items to choose from.
constexpr int kBookInvoicesPerCustomer = 5;
constexpr int kBookLinesPerOrder = 1;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double rate(int64_t n, double s) { return s > 0 ? static_cast<double>(n) / s : 0; }

const app::Actor kSeeder{UserId(), "bench-seed", app::Role::admin, std::nullopt};

// Mirrors app/reconciliation's line_of for the entries the generator
// writes (one remittance each): what the matcher sees of a bank line.
reconcile::BankLine matcher_line(const fb::Statement& s, const fb::Line& l) {
  reconcile::BankLine b;
  b.amount_minor = l.amount_minor;
  b.currency = s.currency;
  if (auto d = Date::parse(l.booking_date); d.ok()) b.booking_date = *d;
  for (const auto& d : l.details) {
    if (b.counterparty_name.empty()) b.counterparty_name = d.counterparty_name;
    if (b.counterparty_iban.empty()) b.counterparty_iban = d.counterparty_iban;
    if (!d.structured_reference.empty()) b.reference += (b.reference.empty() ? "" : " ") + d.structured_reference;
    if (!d.remittance.empty()) b.remittance += (b.remittance.empty() ? "" : " | ") + d.remittance;
  }
  if (b.reference.empty() && !l.details.empty() && !l.details[0].end_to_end_id.empty()) {
    b.reference = l.details[0].end_to_end_id;
  }
  return b;
}

std::string ids_text(const std::vector<int64_t>& ids) {
  std::string s;
  for (int64_t id : ids) s += (s.empty() ? "" : ",") + std::to_string(id);
  return s.empty() ? "-" : s;
}

const char* format_label(recgen::Format f) { return f == recgen::Format::camt053 ? "camt.053" : "MT940"; }

Result<fb::ParsedFile> parse(recgen::Format f, const std::string& text) {
  return f == recgen::Format::camt053 ? fb::parse_camt(text) : fb::parse_mt940(text);
}

// The whole file in one write unit of work, as `o2c import statement` does.
Result<app::StatementImport> import_once(store::Database& db, const std::string& text, const app::Clock& clock,
                                         const std::string& name) {
  auto uow = db.begin(store::TxMode::write);
  app::Context ctx{*uow, kSeeder, clock};
  app::StatementUpload up;
  up.content = text;
  up.file_name = name;
  auto r = app::import_statement(ctx, up);
  if (r.ok()) uow->commit();
  return r;
}

recgen::Company company_from_db(store::Database& db) {
  recgen::Company co;
  auto uow = db.begin(store::TxMode::read);
  app::MatcherView v = app::matcher_view(*uow);
  co.invoices = std::move(v.invoices);
  co.customers = std::move(v.customers);
  return co;
}

void print_phase(const char* phase, const std::string& engine, int64_t n, double seconds, const std::string& note) {
  std::printf("  %-15s %-9s %9lld %9.2f %11.0f  %s\n", phase, engine.c_str(), static_cast<long long>(n), seconds,
              rate(n, seconds), note.c_str());
  std::fflush(stdout);
}

double pct(int64_t a, int64_t b) { return b > 0 ? 100.0 * static_cast<double>(a) / static_cast<double>(b) : 0; }

void print_score(const MatchScore& m) {
  std::printf(
      "\n  match quality (default Settings: auto threshold %d, margin %d, fee tolerance 0):\n"
      "    all lines      %9lld: auto-applied %lld (%.2f %%): correct %lld, incomplete %lld, WRONG %lld; suggested "
      "%lld (right one on top %lld); unmatched %lld\n"
      "    matchable      %9lld: auto-applied %lld (%.2f %%)   [unmatchable by construction: %lld]\n",
      reconcile::Settings{}.auto_threshold, reconcile::Settings{}.ambiguity_margin, static_cast<long long>(m.lines),
      static_cast<long long>(m.auto_applied), pct(m.auto_applied, m.lines), static_cast<long long>(m.auto_correct),
      static_cast<long long>(m.auto_incomplete), static_cast<long long>(m.auto_wrong),
      static_cast<long long>(m.suggested), static_cast<long long>(m.suggested_top_right),
      static_cast<long long>(m.unmatched), static_cast<long long>(m.matchable),
      static_cast<long long>(m.auto_applied_matchable), pct(m.auto_applied_matchable, m.matchable),
      static_cast<long long>(m.lines - m.matchable));
  std::printf("    %-15s %8s %8s %8s %10s %6s %10s %9s %9s\n", "noise", "lines", "auto ok", "auto %", "incomplete",
              "WRONG", "suggested", "top right", "unmatched");
  for (int k = 0; k < recgen::kNoiseKinds; ++k) {
    const auto& s = m.by_noise[static_cast<size_t>(k)];
    if (s.lines == 0) continue;
    std::printf("    %-15s %8lld %8lld %7.1f%% %10lld %6lld %10lld %9lld %9lld\n",
                recgen::noise_name(static_cast<recgen::Noise>(k)), static_cast<long long>(s.lines),
                static_cast<long long>(s.auto_correct), pct(s.auto_correct, s.lines),
                static_cast<long long>(s.auto_incomplete), static_cast<long long>(s.auto_wrong),
                static_cast<long long>(s.suggested), static_cast<long long>(s.suggested_top_right),
                static_cast<long long>(s.unmatched));
  }
  for (const auto& w : m.wrong_examples) std::printf("    WRONG: %s\n", w.c_str());
  std::fflush(stdout);
}

}  // namespace

int bench_customers_for(int64_t lines) {
  return static_cast<int>(std::clamp<int64_t>(lines / 10, kCustomersMin, 10000000));
}
int64_t bench_invoices_for(int64_t lines) { return lines + lines * 15 / 100 + 10; }

MatchScore score_matches(const recgen::Company& company, const fb::ParsedFile& file,
                         const std::vector<recgen::Truth>& truth, int threads) {
  MatchScore m;
  // The copies are made before the clock starts: run_reconciliation hands
  // the index what it read from the store, moved, not copied.
  std::vector<reconcile::OpenInvoice> invoices = company.invoices;
  std::vector<reconcile::Customer> customers = company.customers;
  Clock::time_point t0 = Clock::now();
  reconcile::Index index(std::move(invoices), std::move(customers));
  m.index_seconds = since(t0);
  const reconcile::Settings settings;
  t0 = Clock::now();
  std::vector<reconcile::BankLine> lines;
  for (const auto& s : file.statements) {
    for (const auto& l : s.lines) lines.push_back(matcher_line(s, l));
  }
  if (lines.size() > truth.size()) throw ErrorException(Error::internal("bench: more lines in the file than truths"));
  size_t k = 0;
  reconcile::match_in_order(index, lines, settings, threads, [&](size_t at, reconcile::Decision&& d) {
      const recgen::Truth& t = truth[at];
      const reconcile::BankLine& b = lines[at];
      k = at + 1;
      NoiseScore& ns = m.by_noise[static_cast<size_t>(t.noise)];
      ++m.lines;
      ++ns.lines;
      const bool can = recgen::matchable(t.noise);
      if (can) ++m.matchable;
      std::vector<int64_t> got;
      if (!d.candidates.empty()) {
        for (const auto& a : d.candidates.front().allocations) got.push_back(a.invoice_id);
        std::sort(got.begin(), got.end());
      }
      const bool right_customer = !d.candidates.empty() && t.customer_id != 0 &&
                                  d.candidates.front().customer_id == t.customer_id;
      const bool exact = right_customer && got == t.invoice_ids;
      const bool within = right_customer && std::includes(t.invoice_ids.begin(), t.invoice_ids.end(), got.begin(),
                                                          got.end());
      if (d.auto_apply && !d.candidates.empty()) {
        ++m.auto_applied;
        if (can) ++m.auto_applied_matchable;
        if (exact) {
          ++m.auto_correct;
          ++ns.auto_correct;
        } else if (within) {
          ++m.auto_incomplete;
          ++ns.auto_incomplete;
        } else {
          ++m.auto_wrong;
          ++ns.auto_wrong;
          if (m.wrong_examples.size() < kWrongExamplesMax) {
            const auto& c = d.candidates.front();
            m.wrong_examples.push_back(
                std::string("line ") + std::to_string(k) + " (" + recgen::noise_name(t.noise) + ", " +
                cents_text(b.amount_minor) + ", name '" + b.counterparty_name + "', ref '" + b.reference +
                "', text '" + b.remittance + "'): pays customer " + std::to_string(t.customer_id) + " invoices " +
                ids_text(t.invoice_ids) + "; applied to customer " + std::to_string(c.customer_id) + " invoices " +
                ids_text(got) + " by " + reconcile::rule_name(c.rule) + " score " + std::to_string(c.score) + " (" +
                (c.reasons.empty() ? "" : c.reasons.front()) + ")");
          }
        }
        // The booking would lower the invoices' open amounts by the cash,
        // and by the discount when the cash is the discounted amount.
        for (const auto& a : d.candidates.front().allocations) index.settle(a.invoice_id, a.amount_minor);
        for (int64_t id : got) {
          const size_t i = static_cast<size_t>(id - 1);
          if (i < company.invoices.size() && company.invoices[i].invoice_id == id &&
              company.invoices[i].discount_minor > 0) {
            index.settle(id, company.invoices[i].discount_minor);
          }
        }
      } else if (!d.candidates.empty()) {
        ++m.suggested;
        ++ns.suggested;
        if (exact) {
          ++m.suggested_top_right;
          ++ns.suggested_top_right;
        }
      } else {
        ++m.unmatched;
        ++ns.unmatched;
      }
  });
  m.match_seconds = since(t0);
  if (k != truth.size()) throw ErrorException(Error::internal("bench: fewer lines in the file than truths"));
  return m;
}

ImportRun run_import(store::Database& db, const std::string& engine, const recgen::Statement& statement) {
  ImportRun r;
  r.engine = engine;
  store::migrate(db);
  app::SystemClock clock;
  Clock::time_point t0 = Clock::now();
  auto first = import_once(db, statement.text, clock, "bench.xml");
  r.seconds = since(t0);
  if (!first.ok()) {
    r.error = first.error().code + ": " + first.error().message;
    return r;
  }
  r.imported = first->import.lines_imported;
  r.skipped = first->import.lines_skipped_duplicate;
  t0 = Clock::now();
  auto second = import_once(db, statement.overlap_text, clock, "bench-overlap.xml");
  r.overlap_seconds = since(t0);
  if (!second.ok()) {
    r.error = second.error().code + ": " + second.error().message;
    return r;
  }
  r.overlap_imported = second->import.lines_imported;
  r.overlap_skipped = second->import.lines_skipped_duplicate;
  return r;
}

BookRun run_book(store::Database& db, const std::string& engine, uint64_t seed, int64_t lines,
                 recgen::Format format) {
  BookRun r;
  r.engine = engine;
  app::SystemClock clock;
  store::migrate(db);

  // bench payments' seeding: customers billed per shipment, one shipped
  // order per invoice; the customers named and banked as the generator does.
  const int64_t invoices = bench_invoices_for(lines);
  BenchBillingOptions b;
  b.customers = static_cast<int>(std::max<int64_t>(1, invoices / kBookInvoicesPerCustomer));
  b.orders = b.customers * kBookInvoicesPerCustomer;
  b.skus = std::clamp(b.orders, 10, 500);
  b.lines = kBookLinesPerOrder;
  const OrdersWorkload w = make_billing_workload(b);
  Clock::time_point t0 = Clock::now();
  seed_orders_workload(db, clock, w,
                       {complete_company,
                        [seed](masterdata::CustomerDraft& d, int c) {
                          billing_customer(d, c);
                          d.billing = std::string("per_shipment");
                          d.name = recgen::customer_name(seed, c);
                          d.iban = recgen::customer_iban(seed, c);
                        },
                        billing_product});
  place_and_ship(db, clock, w, true);
  auto accountant =
      app::create_user(db, clock, {std::string("bench-accountant"), std::string("accountant"), {}, {}}, "bench");
  check_ok(accountant, "accountant user");
  r.seed_seconds = since(t0);

  const recgen::Company company = company_from_db(db);
  const recgen::Statement st = recgen::make_statement(seed, company, lines, clock.today(), format);
  // What the matcher alone would do on the same company and lines.
  auto parsed = parse(format, st.text);
  if (!parsed.ok()) {
    r.error = "parse: " + parsed.error().message;
    return r;
  }
  const MatchScore expected = score_matches(company, *parsed, st.truth);
  r.expected_auto = expected.auto_applied;
  r.expected_wrong = expected.auto_wrong;

  t0 = Clock::now();
  auto imported = import_once(db, st.text, clock, "bench-book.xml");
  r.import_seconds = since(t0);
  if (!imported.ok()) {
    r.error = "import: " + imported.error().code + ": " + imported.error().message;
    return r;
  }
  r.lines = imported->import.lines_imported;

  t0 = Clock::now();
  {
    auto run = app::run_reconciliation(db, clock, accountant->user, {});
    if (!run.ok()) {
      r.error = "run_reconciliation: " + run.error().code + ": " + run.error().message;
      return r;
    }
    r.matched = run->matched;
    r.suggested = run->suggested;
    r.unmatched = run->unmatched;
  }
  r.seconds = since(t0);
  {
    constexpr int kPage = 1000;
    auto uow = db.begin(store::TxMode::read);
    for (store::PageRequest page{0, kPage};;) {
      auto batch = app::list_payments(*uow, std::nullopt, page);
      r.payments += static_cast<int64_t>(batch.size());
      if (static_cast<int>(batch.size()) < kPage) break;
      page.after = batch.back().id;
    }
  }
  r.breaches = app::verify(db).breaches;
  return r;
}

int bench_reconcile_command(const BenchReconcileOptions& o) {
  auto has = [&](ReconcilePhase p) { return std::find(o.phases.begin(), o.phases.end(), p) != o.phases.end(); };
  std::printf(
      "o2c bench reconcile: seed %llu, %s. A generated company (a tenth of the lines as customers, at least %d,\n"
      "1.15 open invoices per line) and a statement paying it with realistic noise; the truth of each line kept\n"
      "beside the file. Phases timed apart: parse (formats/bank), match (reconcile::Index in memory, default\n"
      "Settings, match_in_order on --threads threads, settle() after each auto-apply), import (app::import_statement, the whole file in one\n"
      "durable unit of work, then an overlapping file whose lines must all be skipped) and book\n"
      "(app::run_reconciliation on a database seeded with real invoices: record_payment per auto-applied line).\n",
      static_cast<unsigned long long>(o.seed), format_label(o.format), kCustomersMin);
  bool failed = false;
  for (int64_t n : o.lines) {
    n = std::max<int64_t>(1, n);
    const int customers = bench_customers_for(n);
    const int64_t invoices = bench_invoices_for(n);
    std::printf("\n== %lld lines, %d customers, %lld open invoices ==\n", static_cast<long long>(n), customers,
                static_cast<long long>(invoices));
    std::printf("  %-15s %-9s %9s %9s %11s\n", "phase", "engine", "lines", "seconds", "lines/s");
    const Date today = *Date::parse("2026-11-20");
    Clock::time_point t0 = Clock::now();
    const recgen::Company company = recgen::make_company(o.seed, customers, invoices, today);
    const recgen::Statement st = recgen::make_statement(o.seed, company, n, today, o.format);
    print_phase("generate", "-", n, since(t0),
                std::to_string(st.text.size() / 1000000) + " MB file, overlap file " +
                    std::to_string(st.overlap_lines) + " lines");

    std::optional<fb::ParsedFile> parsed;
    if (has(ReconcilePhase::parse) || has(ReconcilePhase::match)) {
      t0 = Clock::now();
      auto p = parse(o.format, st.text);
      const double s = since(t0);
      if (!p.ok()) {
        std::printf("  parse FAILED: %s (%s)\n", p.error().message.c_str(), p.error().field.c_str());
        return 1;
      }
      parsed = std::move(*p);
      print_phase("parse", "-", n, s, std::to_string(parsed->warnings.size()) + " warning(s)");
    }
    if (has(ReconcilePhase::match)) {
      const MatchScore m = score_matches(company, *parsed, st.truth, o.threads);
      print_phase("index", "-", static_cast<int64_t>(company.invoices.size()), m.index_seconds, "open invoices indexed");
      print_phase("match", "-", m.lines, m.match_seconds,
                  "match_in_order + settle(), " + std::to_string(o.threads) + " thread(s)");
      print_score(m);
      if (m.auto_wrong > 0) failed = true;
    }
    parsed.reset();
    if (has(ReconcilePhase::import)) {
      std::vector<ImportRun> runs;
      const bool ok = for_each_engine("o2c-bench-reconcile", o.skip_pg, o.pg_url,
                                      [&](const std::string& engine, const ScratchMaker& make) {
                                        ScratchDb s = make();
                                        try {
                                          runs.push_back(run_import(*s.db, engine, st));
                                        } catch (const ErrorException& e) {
                                          runs.push_back({engine, 0, 0, 0, 0, 0, 0, e.error.message});
                                        }
                                        const auto& r = runs.back();
                                        if (!r.error.empty()) {
                                          std::printf("  import %s FAILED: %s\n", engine.c_str(), r.error.c_str());
                                          return;
                                        }
                                        print_phase("import", engine, r.imported, r.seconds,
                                                    std::to_string(r.skipped) + " skipped");
                                        print_phase("import overlap", engine, st.overlap_lines, r.overlap_seconds,
                                                    std::to_string(r.overlap_skipped) + " skipped as duplicates, " +
                                                        std::to_string(r.overlap_imported) + " imported");
                                      });
      if (!ok) failed = true;
      for (const auto& r : runs) {
        if (!r.error.empty() || r.imported != n || r.overlap_imported != 0 || r.overlap_skipped != st.overlap_lines) {
          std::printf("  import %s: BREACH: %lld of %lld imported, overlap %lld imported / %lld skipped\n",
                      r.engine.c_str(), static_cast<long long>(r.imported), static_cast<long long>(n),
                      static_cast<long long>(r.overlap_imported), static_cast<long long>(r.overlap_skipped));
          failed = true;
        }
      }
    }
    if (has(ReconcilePhase::book)) {
      const int64_t book = std::min(n, std::max<int64_t>(1, o.book));
      std::vector<BookRun> runs;
      const bool ok = for_each_engine(
          "o2c-bench-reconcile", o.skip_pg, o.pg_url, [&](const std::string& engine, const ScratchMaker& make) {
            ScratchDb s = make();
            try {
              runs.push_back(run_book(*s.db, engine, o.seed, book, o.format));
            } catch (const ErrorException& e) {
              BookRun failed_run;
              failed_run.engine = engine;
              failed_run.error = e.error.message;
              runs.push_back(std::move(failed_run));
            }
            const auto& r = runs.back();
            if (!r.error.empty()) {
              std::printf("  book %s FAILED: %s\n", engine.c_str(), r.error.c_str());
              return;
            }
            print_phase("book: seed", engine, bench_invoices_for(book), r.seed_seconds, "invoices seeded (orders shipped)");
            print_phase("book: import", engine, r.lines, r.import_seconds, "");
            print_phase("book: reconcile", engine, r.lines, r.seconds,
                        std::to_string(r.matched) + " booked (" + std::to_string(static_cast<int64_t>(rate(r.matched, r.seconds))) +
                            " payments/s), " + std::to_string(r.suggested) + " suggested, " +
                            std::to_string(r.unmatched) + " unmatched; in memory " + std::to_string(r.expected_auto) +
                            " auto, " + std::to_string(r.expected_wrong) + " wrong");
          });
      if (!ok) failed = true;
      for (const auto& r : runs) {
        const std::string what = "book " + r.engine;
        if (!r.error.empty()) failed = true;
        std::vector<std::string> breaches = r.breaches;
        if (r.payments != r.matched) {
          breaches.push_back(std::to_string(r.payments) + " payments stored for " + std::to_string(r.matched) +
                             " lines booked");
        }
        if (report_run("  " + what, 0, "", breaches)) failed = true;
      }
    }
  }
  return failed ? 1 : 0;
}

}  // namespace o2c::cli
