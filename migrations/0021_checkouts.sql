-- Card checkouts started from the customer portal: one row per attempt to
-- pay an invoice through a payment provider. The amount is the invoice's
-- open amount when the checkout started; the provider is paid that or
-- nothing. `reference` is the provider's id of the payment (a payment
-- intent): the webhook records the payment under it, once. A checkout is
-- 'open' until the provider reports it paid, then 'completed' with the
-- payment the webhook recorded. Instants are RFC 3339 UTC texts.
CREATE TABLE checkouts (
  id {{ID}},
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  provider TEXT NOT NULL,
  reference TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('open', 'completed')),
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  currency TEXT NOT NULL,
  payment_id BIGINT REFERENCES payments(id),
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL,
  completed_at TEXT
);
CREATE INDEX checkouts_invoice ON checkouts(invoice_id);
