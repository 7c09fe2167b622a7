-- Document-level allowances and charges of an order (EN 16931 BG-20, BG-21):
-- an order-wide discount, freight, packing. Each is in one tax group; the
-- invoices of the order bill it in proportion to what they bill
-- (billing/order_charges.h), and billed_minor is what they carry so far.
CREATE TABLE order_charges (
  order_id BIGINT NOT NULL REFERENCES orders(id),
  seq INTEGER NOT NULL,
  is_charge INTEGER NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  reason TEXT NOT NULL,
  tax_category TEXT NOT NULL,
  tax_rate_bp BIGINT NOT NULL,
  billed_minor BIGINT NOT NULL DEFAULT 0 CHECK (billed_minor >= 0 AND billed_minor <= amount_minor),
  PRIMARY KEY (order_id, seq)
);
