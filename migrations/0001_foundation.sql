-- Foundation: the seller, users and tokens, master data, stock, the audit
-- chain, idempotency keys and document counters.
-- Conventions (frozen: they are on disk):
--   money     BIGINT minor units of the row's currency  (*_minor)
--   prices    BIGINT ten-thousandths of a currency unit (*_e4)
--   quantity  BIGINT thousandths                        (quantities: on_hand, reserved, quantity)
--   rates     BIGINT hundredths of a percent            (*_bp: 19% = 1900)
--   dates     TEXT 'YYYY-MM-DD'; instants TEXT RFC 3339 UTC
-- {{ID}} is the engine's auto-assigned 64-bit key.

CREATE TABLE company (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  vat_id TEXT,
  country TEXT,
  address TEXT,
  iban TEXT,
  bic TEXT,
  currency TEXT NOT NULL,
  peppol_id TEXT,
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  updated_at TEXT NOT NULL
);

CREATE TABLE payment_terms (
  code TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  net_days INTEGER NOT NULL CHECK (net_days >= 0),
  discount_days INTEGER CHECK (discount_days >= 0),
  discount_bp INTEGER CHECK (discount_bp >= 0 AND discount_bp < 10000)
);
INSERT INTO payment_terms (code, description, net_days, discount_days, discount_bp) VALUES
  ('DUE', 'Due on receipt', 0, NULL, NULL),
  ('NET14', 'Net 14 days', 14, NULL, NULL),
  ('NET30', 'Net 30 days', 30, NULL, NULL),
  ('2/10NET30', '2% discount within 10 days, net 30 days', 30, 10, 200);

CREATE TABLE customers (
  id {{ID}},
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  currency TEXT NOT NULL,
  credit_limit_minor BIGINT NOT NULL CHECK (credit_limit_minor >= 0),
  payment_terms TEXT NOT NULL REFERENCES payment_terms(code),
  vat_id TEXT,
  country TEXT NOT NULL,
  address TEXT,
  iban TEXT,
  peppol_id TEXT,
  billing TEXT NOT NULL DEFAULT 'per_shipment' CHECK (billing IN ('per_shipment', 'consolidated')),
  credit_block INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX customers_name ON customers(name);

CREATE TABLE users (
  id {{ID}},
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'sales', 'credit', 'warehouse', 'accountant', 'viewer', 'portal')),
  customer_id BIGINT REFERENCES customers(id),
  password_hash TEXT,
  created_at TEXT NOT NULL,
  CHECK ((role = 'portal') = (customer_id IS NOT NULL))
);

CREATE TABLE api_tokens (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE products (
  id {{ID}},
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  unit_price_e4 BIGINT NOT NULL CHECK (unit_price_e4 >= 0),
  currency TEXT NOT NULL,
  tax_rate_bp BIGINT NOT NULL CHECK (tax_rate_bp >= 0),
  tax_category TEXT NOT NULL CHECK (tax_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O')),
  unit_cost_e4 BIGINT CHECK (unit_cost_e4 >= 0),
  created_at TEXT NOT NULL
);

CREATE TABLE warehouses (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 100,
  created_at TEXT NOT NULL
);

CREATE TABLE stock (
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  product_id BIGINT NOT NULL REFERENCES products(id),
  on_hand BIGINT NOT NULL DEFAULT 0,
  reserved BIGINT NOT NULL DEFAULT 0,
  avg_cost_e4 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (warehouse_id, product_id),
  CHECK (reserved >= 0 AND on_hand >= reserved)
);

CREATE TABLE stock_receipts (
  id {{ID}},
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  product_id BIGINT NOT NULL REFERENCES products(id),
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  unit_cost_e4 BIGINT NOT NULL CHECK (unit_cost_e4 >= 0),
  received_on TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);

-- The audit trail: an append-only chain. hash = SHA-256 over the previous
-- hash and this event's fields; audit_head serializes appenders.
CREATE TABLE events (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  action TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES
  (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- First response of each (user, Idempotency-Key), stored in the same
-- transaction as the write it answers.
CREATE TABLE idempotency_keys (
  user_id BIGINT NOT NULL,
  idem_key TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, idem_key)
);

-- Gapless document counters (invoice and credit note series), taken under a
-- row lock inside the transaction that issues the document.
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
