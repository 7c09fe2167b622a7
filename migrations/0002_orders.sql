-- Orders: the order and its lines, stock reservations per line and
-- warehouse, the outbox of messages to send after commit, and a blocked
-- flag on customers (a blocked customer may not order at all; distinct from
-- credit_block, which only puts orders on credit hold).
-- Conventions as in 0001: money *_minor, prices *_e4, quantities in
-- thousandths, rates *_bp.

ALTER TABLE customers ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;

CREATE TABLE orders (
  id {{ID}},
  number TEXT NOT NULL UNIQUE,
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('credit_hold', 'open', 'partially_shipped', 'shipped', 'invoiced',
                                         'paid', 'closed', 'rejected', 'cancelled')),
  external_ref TEXT,
  ship_to TEXT,
  net_total_minor BIGINT NOT NULL,
  tax_total_minor BIGINT NOT NULL,
  total_minor BIGINT NOT NULL,
  hold_reasons TEXT NOT NULL DEFAULT '[]',  -- JSON array of {code, message}
  placed_seq BIGINT NOT NULL,               -- order of placement: backorders are served oldest first
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX orders_status ON orders(status);
CREATE INDEX orders_customer ON orders(customer_id);

CREATE TABLE order_lines (
  id {{ID}},
  order_id BIGINT NOT NULL REFERENCES orders(id),
  line_no INTEGER NOT NULL,
  product_id BIGINT NOT NULL REFERENCES products(id),
  sku TEXT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  unit_price_e4 BIGINT NOT NULL CHECK (unit_price_e4 >= 0),
  price_overridden INTEGER NOT NULL DEFAULT 0,
  tax_category TEXT NOT NULL,
  tax_rate_bp BIGINT NOT NULL,
  line_net_minor BIGINT NOT NULL,
  reserved BIGINT NOT NULL DEFAULT 0,
  shipped BIGINT NOT NULL DEFAULT 0,
  invoiced BIGINT NOT NULL DEFAULT 0,
  UNIQUE (order_id, line_no),
  CHECK (reserved >= 0 AND shipped >= 0 AND invoiced >= 0 AND reserved + shipped <= quantity)
);
CREATE INDEX order_lines_product ON order_lines(product_id);

CREATE TABLE reservations (
  order_line_id BIGINT NOT NULL REFERENCES order_lines(id),
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_line_id, warehouse_id)
);
CREATE INDEX reservations_warehouse ON reservations(warehouse_id);

-- Messages to the outside world, written in the transaction of the change
-- they announce and sent only after it committed.
CREATE TABLE outbox (
  id {{ID}},
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sent_at TEXT
);

