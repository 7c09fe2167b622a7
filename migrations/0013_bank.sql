-- Bank statements and their lines, and what reconciliation did with each
-- line. A file is one import; it holds one or more statements (an MT940 file
-- often has several accounts or days); each booked movement is a line.

CREATE TABLE bank_csv_profiles (
  id {{ID}},
  name TEXT NOT NULL UNIQUE,
  definition TEXT NOT NULL,  -- JSON: the column mapping (formats/bank CsvProfile)
  created_at TEXT NOT NULL
);

CREATE TABLE bank_imports (
  id {{ID}},
  format TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  file_name TEXT,
  csv_profile_id BIGINT REFERENCES bank_csv_profiles(id),
  statements INTEGER NOT NULL,
  lines_imported INTEGER NOT NULL,
  lines_skipped_duplicate INTEGER NOT NULL,
  imported_by BIGINT REFERENCES users(id),
  imported_at TEXT NOT NULL
);

CREATE TABLE bank_statements (
  id {{ID}},
  import_id BIGINT NOT NULL REFERENCES bank_imports(id),
  seq INTEGER NOT NULL,               -- position in the file, from 1
  message_id TEXT,
  statement_ref TEXT,                 -- the bank's statement id (camt Stmt/Id, MT :20:/:28C:)
  account TEXT NOT NULL,
  currency TEXT NOT NULL,
  opening_minor BIGINT,
  opening_date TEXT,
  opening_kind TEXT,
  closing_minor BIGINT,
  closing_date TEXT,
  closing_kind TEXT,
  booked_sum_minor BIGINT NOT NULL,
  balanced INTEGER,                   -- 1 opening + lines = closing, 0 not, NULL not stated
  lines INTEGER NOT NULL,
  UNIQUE (import_id, seq)
);

CREATE TABLE bank_lines (
  id {{ID}},
  statement_id BIGINT NOT NULL REFERENCES bank_statements(id),
  account TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor <> 0),
  booking_date TEXT NOT NULL,
  value_date TEXT,
  counterparty_name TEXT,
  counterparty_iban TEXT,
  reference TEXT,                     -- structured reference or end-to-end id
  remittance TEXT,
  bank_reference TEXT,
  transaction_code TEXT,
  -- What makes a line the same line in a re-imported or overlapping file.
  dedupe_key TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'unmatched' CHECK (status IN ('unmatched', 'suggested', 'matched')),
  suggestions TEXT,                   -- JSON array, the last run's candidates
  payment_id BIGINT REFERENCES payments(id),
  ledger_entry_id BIGINT REFERENCES ledger_entries(id),            -- a line posted to an account (fees, interest)
  matched_account TEXT,
  matched_rule TEXT,                  -- reference | payer_amount | payer_subset | partial | manual | posting rule name
  matched_by BIGINT REFERENCES users(id),
  matched_at TEXT,
  UNIQUE (account, dedupe_key)
);
CREATE INDEX bank_lines_status ON bank_lines(status, id);
CREATE INDEX bank_lines_statement ON bank_lines(statement_id);
CREATE INDEX bank_lines_payment ON bank_lines(payment_id);

-- Lines that are not customer payments are booked by these rules: the
-- first (lowest position) whose patterns match a line posts it to `account`.
CREATE TABLE bank_posting_rules (
  id {{ID}},
  position INTEGER NOT NULL,
  name TEXT NOT NULL UNIQUE,
  counterparty_contains TEXT,
  text_contains TEXT,
  sign INTEGER CHECK (sign IN (-1, 1)),
  bank_own_only INTEGER NOT NULL DEFAULT 0,  -- 1: only lines naming no counterparty account
  account TEXT NOT NULL REFERENCES accounts(code),
  created_at TEXT NOT NULL
);

INSERT INTO accounts (code, name, type) VALUES
  ('4300', 'Interest income', 'revenue'),
  ('6300', 'Bank charges', 'expense');

-- Only the bank's own debits are booked by text alone: a customer's payment
-- that mentions "fee" must reach their invoices, and a transfer to a
-- supplier for a "service fee" names the supplier's account.
INSERT INTO bank_posting_rules (position, name, text_contains, sign, bank_own_only, account, created_at) VALUES
  (10, 'Bank charges', 'charge', -1, 1, '6300', '1970-01-01T00:00:00Z'),
  (20, 'Account fees', 'fee', -1, 1, '6300', '1970-01-01T00:00:00Z'),
  (30, 'Kontoführung', 'kontof', -1, 1, '6300', '1970-01-01T00:00:00Z'),
  (40, 'Bank fees (Entgelt)', 'entgelt', -1, 1, '6300', '1970-01-01T00:00:00Z');

-- How sure the matcher must be (0..100) before it books a line without a
-- person; below, the line keeps its suggestions for the workbench.
ALTER TABLE company ADD COLUMN reconcile_auto_threshold INTEGER NOT NULL DEFAULT 90;
