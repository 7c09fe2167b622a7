-- Shipping and the ledger: shipments with their lines (which order line,
-- from which warehouse, at what cost), a bin per stock row for the pick list,
-- the chart of accounts, and the append-only double-entry journal.
-- Conventions as in 0001: money *_minor, costs *_e4, quantities in thousandths.

ALTER TABLE stock ADD COLUMN bin TEXT;

CREATE TABLE shipments (
  id {{ID}},
  number TEXT NOT NULL UNIQUE,
  order_id BIGINT NOT NULL REFERENCES orders(id),
  status TEXT NOT NULL CHECK (status IN ('shipped', 'delivered')),
  carrier TEXT,
  tracking_number TEXT,
  shipped_on TEXT NOT NULL,
  delivered_on TEXT,
  cost_minor BIGINT NOT NULL,      -- cost of goods sold, functional currency
  cost_currency TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX shipments_order ON shipments(order_id);

CREATE TABLE shipment_lines (
  id {{ID}},
  shipment_id BIGINT NOT NULL REFERENCES shipments(id),
  order_line_id BIGINT NOT NULL REFERENCES order_lines(id),
  product_id BIGINT NOT NULL REFERENCES products(id),
  sku TEXT NOT NULL,
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  unit_cost_e4 BIGINT NOT NULL CHECK (unit_cost_e4 >= 0),
  cost_minor BIGINT NOT NULL CHECK (cost_minor >= 0)
);
CREATE INDEX shipment_lines_shipment ON shipment_lines(shipment_id);
CREATE INDEX shipment_lines_order_line ON shipment_lines(order_line_id);

CREATE TABLE accounts (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense'))
);
INSERT INTO accounts (code, name, type) VALUES
  ('1000', 'Bank', 'asset'),
  ('1100', 'Accounts receivable (control)', 'asset'),
  ('1200', 'Inventory', 'asset'),
  ('2100', 'Customer credit (unapplied cash)', 'liability'),
  ('2200', 'Tax payable', 'liability'),
  ('2300', 'Goods received not invoiced', 'liability'),
  ('4000', 'Revenue', 'revenue'),
  ('4100', 'Sales discounts', 'revenue'),
  ('4200', 'Fee income', 'revenue'),
  ('5000', 'Cost of goods sold', 'expense'),
  ('6100', 'Write-off and bad debt', 'expense'),
  ('6200', 'FX gain and loss', 'expense');

-- The journal. Rows are only ever inserted: a correction is a reversing
-- entry. Every entry is in one currency and balances in it.
CREATE TABLE ledger_entries (
  id {{ID}},
  entry_date TEXT NOT NULL,
  currency TEXT NOT NULL,
  source_type TEXT NOT NULL,  -- 'stock_receipt', 'shipment', ...
  source_id TEXT NOT NULL,
  memo TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX ledger_entries_source ON ledger_entries(source_type, source_id);

CREATE TABLE ledger_lines (
  entry_id BIGINT NOT NULL REFERENCES ledger_entries(id),
  line_no INTEGER NOT NULL,
  account_code TEXT NOT NULL REFERENCES accounts(code),
  debit_minor BIGINT NOT NULL CHECK (debit_minor >= 0),
  credit_minor BIGINT NOT NULL CHECK (credit_minor >= 0),
  PRIMARY KEY (entry_id, line_no),
  CHECK ((debit_minor = 0) <> (credit_minor = 0))
);
CREATE INDEX ledger_lines_account ON ledger_lines(account_code);
