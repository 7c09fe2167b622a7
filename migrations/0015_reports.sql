-- Reports as of a past date are computed from history, not from the current
-- state: an allocation counts on the dates between the day it was applied and
-- the day its payment bounced, so the bounce's business date is kept with it
-- (reversed_at is when it was recorded).
ALTER TABLE invoice_allocations ADD COLUMN reversed_on TEXT;
UPDATE invoice_allocations SET reversed_on = (SELECT p.reversed_on FROM payments p
  WHERE CAST(p.id AS TEXT) = invoice_allocations.source_id)
  WHERE reversed_at IS NOT NULL;

-- The business date an invoice's open amount last reached zero, far in the
-- future while it is open. Aging as of D then reads only the invoices with
-- settled_on > D (an index range) instead of every invoice ever issued.
ALTER TABLE invoices ADD COLUMN settled_on TEXT NOT NULL DEFAULT '9999-12-31';
UPDATE invoices SET settled_on = COALESCE((SELECT MAX(a.applied_on) FROM invoice_allocations a
  WHERE a.invoice_id = invoices.id AND a.reversed_at IS NULL), issue_date)
  WHERE open_minor = 0;
CREATE INDEX invoices_settled_on ON invoices(kind, settled_on);
CREATE INDEX invoices_issue_date ON invoices(kind, issue_date);
CREATE INDEX payments_received_on ON payments(received_on);
