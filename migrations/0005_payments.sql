-- Payments received from customers, and how much of a short payment the
-- company writes off rather than chase.
-- Conventions as in 0001: money *_minor in the payment's currency unless the
-- column says functional; exchange rates *_e10.

-- A difference up to this (functional currency, minor units) closes an
-- invoice and posts to write-off; 0 = never.
ALTER TABLE company ADD COLUMN write_off_tolerance_minor BIGINT NOT NULL DEFAULT 0;

CREATE TABLE payments (
  id {{ID}},
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  currency TEXT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  method TEXT NOT NULL,          -- bank_transfer, card, cash, cheque, direct_debit, other
  reference TEXT,
  received_on TEXT NOT NULL,
  functional_currency TEXT NOT NULL,
  fx_rate_e10 BIGINT NOT NULL CHECK (fx_rate_e10 > 0),  -- on received_on
  amount_functional_minor BIGINT NOT NULL,
  -- Where the money went when received: amount = allocated (cash on
  -- invoices, see invoice_allocations) + unallocated (customer credit).
  -- Refunds are paid out of the customer credit later.
  allocated_minor BIGINT NOT NULL CHECK (allocated_minor >= 0),
  unallocated_minor BIGINT NOT NULL CHECK (unallocated_minor >= 0),
  refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
  status TEXT NOT NULL CHECK (status IN ('received', 'reversed')),
  ledger_entry_id BIGINT REFERENCES ledger_entries(id),
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX payments_customer ON payments(customer_id, id);
