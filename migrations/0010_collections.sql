-- Collections: disputes, promises to pay, dunning policies (data, not code)
-- and the notices the dunning run sends.
-- Conventions as in 0001: money *_minor (the customer's currency), amounts of
-- a policy in ten-thousandths (*_e4: one policy serves every currency),
-- rates in hundredths of a percent (*_bp).

CREATE TABLE disputes (
  id {{ID}},
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  outcome TEXT CHECK (outcome IN ('upheld', 'rejected')),
  resolution TEXT,
  credit_note_id BIGINT REFERENCES invoices(id),
  opened_on TEXT NOT NULL,
  resolved_on TEXT,
  opened_by BIGINT REFERENCES users(id),
  resolved_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX disputes_status ON disputes(status, id);
-- One open dispute per invoice at a time.
CREATE UNIQUE INDEX disputes_one_open ON disputes(invoice_id) WHERE status = 'open';

-- "I will pay by then": dunning leaves the invoice alone until that date.
CREATE TABLE payment_promises (
  id {{ID}},
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  promised_on TEXT NOT NULL,
  note TEXT,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX payment_promises_invoice ON payment_promises(invoice_id);

CREATE TABLE dunning_policies (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE dunning_levels (
  policy_code TEXT NOT NULL REFERENCES dunning_policies(code),
  level INTEGER NOT NULL CHECK (level >= 1),
  days_after_due INTEGER NOT NULL CHECK (days_after_due >= 0),
  fee_e4 BIGINT NOT NULL DEFAULT 0 CHECK (fee_e4 >= 0),
  interest_bp BIGINT NOT NULL DEFAULT 0 CHECK (interest_bp >= 0),  -- per year, on the open amount
  template TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('email', 'letter', 'credit_block')),
  PRIMARY KEY (policy_code, level)
);
INSERT INTO dunning_policies (code, name, created_at) VALUES ('STANDARD', 'Standard reminders', '1970-01-01T00:00:00Z');
INSERT INTO dunning_levels (policy_code, level, days_after_due, fee_e4, interest_bp, template, action) VALUES
  ('STANDARD', 1, 7, 0, 0,
   'Friendly reminder: the invoices below are past due. If you have paid already, please ignore this message.',
   'email'),
  ('STANDARD', 2, 21, 50000, 0,
   'Second reminder: the invoices below are still unpaid. A reminder fee has been charged.', 'email'),
  ('STANDARD', 3, 35, 100000, 900,
   'Final notice: the invoices below remain unpaid. Interest and a fee have been charged, and further deliveries are on hold until they are paid.',
   'credit_block');

ALTER TABLE customers ADD COLUMN dunning_policy TEXT NOT NULL DEFAULT 'STANDARD';
-- Set by the final dunning level, lifted when its invoices are paid; apart
-- from credit_block, which people set and lift.
ALTER TABLE customers ADD COLUMN dunning_block INTEGER NOT NULL DEFAULT 0;

CREATE TABLE dunning_notices (
  id {{ID}},
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  level INTEGER NOT NULL,
  notice_date TEXT NOT NULL,
  currency TEXT NOT NULL,
  overdue_minor BIGINT NOT NULL,
  fee_minor BIGINT NOT NULL,
  interest_minor BIGINT NOT NULL,
  fee_invoice_id BIGINT REFERENCES invoices(id),
  action TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (customer_id, level, notice_date)
);
CREATE TABLE dunning_notice_items (
  notice_id BIGINT NOT NULL REFERENCES dunning_notices(id),
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  level INTEGER NOT NULL,
  open_minor BIGINT NOT NULL,
  days_overdue INTEGER NOT NULL,
  interest_minor BIGINT NOT NULL,
  PRIMARY KEY (notice_id, invoice_id),
  UNIQUE (invoice_id, level)  -- each level reaches an invoice once
);
