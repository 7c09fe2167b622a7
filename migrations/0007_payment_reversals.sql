-- Refunds and reversals of payments.
-- A reversed (bounced) payment's allocations stay for the record but no
-- longer count: open_minor = total_minor - SUM(allocations not reversed).
ALTER TABLE invoice_allocations ADD COLUMN reversed_at TEXT;
ALTER TABLE payments ADD COLUMN reversed_on TEXT;
ALTER TABLE payments ADD COLUMN reversal_reason TEXT;

-- Money paid back to the customer out of the credit a payment left.
CREATE TABLE payment_refunds (
  id {{ID}},
  payment_id BIGINT NOT NULL REFERENCES payments(id),
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  refunded_on TEXT NOT NULL,
  fx_rate_e10 BIGINT NOT NULL CHECK (fx_rate_e10 > 0),
  amount_functional_minor BIGINT NOT NULL,
  reason TEXT,
  ledger_entry_id BIGINT REFERENCES ledger_entries(id),
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX payment_refunds_payment ON payment_refunds(payment_id);
