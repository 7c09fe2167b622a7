-- Invoicing: invoices and credit notes (one table, `kind` tells them apart:
-- they share lines, tax breakdown, numbering and rendering), what settled
-- them (allocations), customer credit, exchange rates, and a grace period
-- for overdue invoices in the credit check.
-- Conventions as in 0001: money *_minor (the document's currency unless the
-- column says functional), prices *_e4, quantities in thousandths, rates *_bp.
-- Exchange rates: *_e10 = functional units per document unit x 10^10.

ALTER TABLE company ADD COLUMN overdue_grace_days INTEGER NOT NULL DEFAULT 30;
-- The seller's contact on invoices (EN 16931 BT-42, BT-43; Peppol's German
-- rules demand both between German parties).
ALTER TABLE company ADD COLUMN email TEXT;
ALTER TABLE company ADD COLUMN phone TEXT;

CREATE TABLE fx_rates (
  currency TEXT NOT NULL,        -- the foreign currency
  rate_date TEXT NOT NULL,
  rate_e10 BIGINT NOT NULL CHECK (rate_e10 > 0),
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (currency, rate_date)
);

CREATE TABLE invoices (
  id {{ID}},
  kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  number TEXT NOT NULL UNIQUE,
  series TEXT NOT NULL,          -- 'INV', 'CN'
  year INTEGER NOT NULL,
  seq BIGINT NOT NULL,           -- gapless per (series, year)
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  order_id BIGINT REFERENCES orders(id),        -- NULL when the invoice spans orders
  shipment_id BIGINT REFERENCES shipments(id),  -- per-shipment invoices
  credited_invoice_id BIGINT REFERENCES invoices(id),  -- credit notes
  status TEXT NOT NULL CHECK (status IN ('open', 'partially_paid', 'paid', 'credit_noted', 'issued')),
  issue_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  delivery_date TEXT,
  payment_terms TEXT NOT NULL,
  discount_date TEXT,
  discount_minor BIGINT,
  currency TEXT NOT NULL,
  net_total_minor BIGINT NOT NULL,
  allowance_total_minor BIGINT NOT NULL,
  charge_total_minor BIGINT NOT NULL,
  tax_exclusive_minor BIGINT NOT NULL,
  tax_total_minor BIGINT NOT NULL,
  total_minor BIGINT NOT NULL CHECK (total_minor >= 0),
  open_minor BIGINT NOT NULL CHECK (open_minor >= 0),
  functional_currency TEXT NOT NULL,
  fx_rate_e10 BIGINT NOT NULL CHECK (fx_rate_e10 > 0),
  total_functional_minor BIGINT NOT NULL,
  open_functional_minor BIGINT NOT NULL,
  creditor_reference TEXT UNIQUE,
  reason TEXT,                   -- credit notes: why
  buyer_reference TEXT,
  seller TEXT NOT NULL,          -- JSON snapshot of the company at issue
  buyer TEXT NOT NULL,           -- JSON snapshot of the customer at issue
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (series, year, seq)
);
CREATE INDEX invoices_customer ON invoices(customer_id, kind, status);
CREATE INDEX invoices_order ON invoices(order_id);
CREATE INDEX invoices_credited ON invoices(credited_invoice_id);

CREATE TABLE invoice_lines (
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  line_no INTEGER NOT NULL,
  order_id BIGINT REFERENCES orders(id),
  order_line_id BIGINT REFERENCES order_lines(id),
  credited_line_no INTEGER,      -- credit notes: the invoice line they credit
  product_id BIGINT NOT NULL REFERENCES products(id),
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  unit_price_e4 BIGINT NOT NULL CHECK (unit_price_e4 >= 0),
  tax_category TEXT NOT NULL,
  tax_rate_bp BIGINT NOT NULL,
  line_net_minor BIGINT NOT NULL CHECK (line_net_minor >= 0),
  PRIMARY KEY (invoice_id, line_no)
);
CREATE INDEX invoice_lines_order_line ON invoice_lines(order_line_id);

-- Document-level allowances and charges (EN 16931 BG-20, BG-21).
CREATE TABLE invoice_charges (
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  seq INTEGER NOT NULL,
  is_charge INTEGER NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  reason TEXT NOT NULL,
  tax_category TEXT NOT NULL,
  tax_rate_bp BIGINT NOT NULL,
  PRIMARY KEY (invoice_id, seq)
);

-- The VAT breakdown (BG-23), rounded once per category and rate.
CREATE TABLE invoice_taxes (
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  tax_category TEXT NOT NULL,
  tax_rate_bp BIGINT NOT NULL,
  taxable_minor BIGINT NOT NULL,
  tax_minor BIGINT NOT NULL,
  exemption_code TEXT,
  exemption_reason TEXT,
  PRIMARY KEY (invoice_id, tax_category, tax_rate_bp)
);

-- What reduced an invoice's open amount: a credit note, later payments.
-- open_minor = total_minor - SUM(amount_minor) at all times.
CREATE TABLE invoice_allocations (
  id {{ID}},
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  source_type TEXT NOT NULL,     -- 'credit_note', 'payment', ...
  source_id TEXT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  functional_minor BIGINT NOT NULL,
  applied_on TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX invoice_allocations_invoice ON invoice_allocations(invoice_id);

-- Customer credit (unapplied cash, credit beyond an invoice's open amount):
-- a movement per event; the balance is the sum, in the customer's currency.
CREATE TABLE customer_credit (
  id {{ID}},
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  currency TEXT NOT NULL,
  amount_minor BIGINT NOT NULL,  -- + credit granted, - credit used or refunded
  functional_minor BIGINT NOT NULL,
  source_type TEXT NOT NULL,
  source_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX customer_credit_customer ON customer_credit(customer_id);

-- Tax payable is kept per category and rate (2200-S-1900 = standard 19 %):
-- accounts of that form are added to the chart when first posted to.
