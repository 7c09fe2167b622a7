#include "app/verify.h"

#include "app/audit.h"
#include "domain/billing/totals.h"
#include "store/invoices_repo.h"
#include "store/collections_repo.h"
#include "store/payments_repo.h"
#include "store/ledger_repo.h"
#include "store/orders_repo.h"
#include "store/shipping_repo.h"
#include "store/bank_repo.h"
#include "store/repos.h"

namespace o2c::app {

VerifyReport verify(store::Database& db) {
  VerifyReport r;
  r.checks.emplace_back("audit chain: every event links to its predecessor and hashes to its stored hash");
  for (auto& b : verify_chain(db)) r.breaches.push_back(std::move(b));

  r.checks.emplace_back("stock: 0 <= reserved <= on_hand per product and warehouse");
  auto uow = db.begin(store::TxMode::read);
  for (const auto& l : store::stock::breaches(*uow)) {
    r.breaches.push_back("stock: " + l.sku + " in " + l.warehouse_code + " has on_hand " +
                         l.on_hand.to_string() + " and reserved " + l.reserved.to_string());
  }

  r.checks.emplace_back("reservations: each belongs to a line of an open or partially shipped order");
  for (auto& b : store::orders::reservations_not_on_live_orders(*uow)) r.breaches.push_back("reservations: " + b);
  r.checks.emplace_back("reservations: per product and warehouse they sum to stock.reserved, per line to its reserved");
  for (auto& b : store::orders::stock_reserved_mismatches(*uow)) r.breaches.push_back("reservations: " + b);
  r.checks.emplace_back("order lines: reserved + shipped <= quantity");
  for (auto& b : store::orders::line_quantity_breaches(*uow)) r.breaches.push_back("order lines: " + b);

  r.checks.emplace_back("order lines: shipped equals the sum of their shipment lines");
  for (auto& b : store::shipments::shipped_mismatches(*uow)) r.breaches.push_back("shipments: " + b);
  r.checks.emplace_back("ledger: every entry balances over two or more postings; the trial balance is zero per currency");
  for (auto& b : store::ledger::breaches(*uow)) r.breaches.push_back("ledger: " + b);

  r.checks.emplace_back(
      "invoices: total = lines + charges - allowances + tax; open = total - allocations; numbers gapless per series "
      "and year; AR control = open items; customer credit account = customer credit balances");
  for (auto& b : store::invoices::breaches(*uow)) r.breaches.push_back("invoices: " + b);
  r.checks.emplace_back(
      "payments: amount = allocated + unallocated; allocations on invoices equal the payment's allocated and never "
      "exceed it; its unallocated part is the customer credit it created");
  for (auto& b : store::payments::breaches(*uow)) r.breaches.push_back("payments: " + b);
  r.checks.emplace_back(
      "bank: a line is matched at most once and names what it made; a payment made from a line is the line's "
      "amount; a fully reconciled account's opening plus its lines' bank postings is its last closing balance");
  for (auto& b : store::bank::breaches(*uow)) r.breaches.push_back("bank: " + b);
  r.checks.emplace_back("collections: each dunning level reaches an invoice once and in order; one open dispute per invoice");
  for (auto& b : store::collections::breaches(*uow)) r.breaches.push_back(b);

  r.checks.emplace_back(
      "orders: line nets and totals equal their recomputation from the lines, allowances and charges; invoices "
      "never carry more of an allowance or charge than the order has");
  constexpr int kBatch = 500;
  for (int64_t after = 0;;) {
    auto batch = store::orders::all_after(*uow, after, kBatch);
    for (const auto& o : batch) {
      auto currency = Currency::of(o.currency);
      if (!currency) {
        r.breaches.push_back("orders: " + o.number + " has unknown currency " + o.currency);
        continue;
      }
      billing::TotalsInput in{*currency, {}, {}, {}};
      for (const auto& l : o.lines) {
        in.lines.push_back({Quantity::from_milli(l.quantity), l.unit_price_e4, std::nullopt, l.tax_category,
                            l.tax_rate_bp});
      }
      for (const auto& c : o.charges) {
        (c.is_charge ? in.charges : in.allowances)
            .push_back({Money(c.amount_minor, *currency), c.tax_category, c.tax_rate_bp, c.reason});
      }
      auto t = billing::compute_totals(in);
      if (!t.ok()) {
        r.breaches.push_back("orders: " + o.number + " cannot be recomputed: " + t.error().message);
        continue;
      }
      bool lines_ok = t->line_nets.size() == o.lines.size();
      for (size_t i = 0; lines_ok && i < o.lines.size(); ++i) lines_ok = t->line_nets[i].minor() == o.lines[i].line_net_minor;
      if (o.lines.empty() || !lines_ok || t->net_total.minor() != o.net_total_minor ||
          t->tax_total.minor() != o.tax_total_minor || t->total.minor() != o.total_minor) {
        r.breaches.push_back("orders: " + o.number + " stores totals " + std::to_string(o.net_total_minor) + "/" +
                             std::to_string(o.tax_total_minor) + "/" + std::to_string(o.total_minor) +
                             " (minor units) but its lines give " + std::to_string(t->net_total.minor()) + "/" +
                             std::to_string(t->tax_total.minor()) + "/" + std::to_string(t->total.minor()));
      }
    }
    if (static_cast<int>(batch.size()) < kBatch) break;
    after = batch.back().id.value();
  }
  return r;
}

}  // namespace o2c::app
