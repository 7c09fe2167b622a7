-- The receivables reports as of a date read indexes only (docs/decisions.md,
-- "`o2c bench reports`"). Each index below replaces a narrower one with the
-- same leading columns, so every query that used the old one can use it.

-- Open on D = issued on or before D and settled after it: a range of
-- settled_on with issue_date tested inside the index, carrying every column
-- an open item shows, so that no invoice row is read. At 1 000 000 invoices
-- the rows of the open items lay on ~29 000 table pages (PostgreSQL).
CREATE INDEX invoices_open_between ON invoices(kind, settled_on, issue_date, customer_id, due_date, id, number,
  currency, total_minor, total_functional_minor);
DROP INDEX invoices_settled_on;

-- What was applied to an invoice by D and not reversed by then, summed from
-- the index.
CREATE INDEX invoice_allocations_as_of ON invoice_allocations(invoice_id, applied_on, reversed_on, reversed_at,
  amount_minor, functional_minor);
DROP INDEX invoice_allocations_invoice;

-- Credit sales over a window (DSO and its count-back), summed from the index.
CREATE INDEX invoices_sales ON invoices(kind, issue_date, total_functional_minor);
DROP INDEX invoices_issue_date;
