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

-- The business date an order was placed on (created_at is the instant).
ALTER TABLE orders ADD COLUMN placed_on TEXT;
UPDATE orders SET placed_on = SUBSTR(created_at, 1, 10);
CREATE INDEX orders_placed_on ON orders(placed_on);

-- The credit hold as measured: when an order was held, when and how the
-- hold ended (approved, rejected, released by a payment, cancelled).
-- Filled from the audit trail for orders held before this migration.
ALTER TABLE orders ADD COLUMN held_at TEXT;
ALTER TABLE orders ADD COLUMN hold_decided_at TEXT;
ALTER TABLE orders ADD COLUMN hold_outcome TEXT;
UPDATE orders SET hold_decided_at = (SELECT MIN(e.at) FROM events e WHERE e.entity = 'order'
  AND e.entity_id = CAST(orders.id AS TEXT) AND e.action IN ('approved', 'rejected', 'released'));
UPDATE orders SET hold_outcome = (SELECT e.action FROM events e WHERE e.entity = 'order'
  AND e.entity_id = CAST(orders.id AS TEXT) AND e.at = orders.hold_decided_at
  AND e.action IN ('approved', 'rejected', 'released') ORDER BY e.seq LIMIT 1)
  WHERE hold_decided_at IS NOT NULL;
UPDATE orders SET held_at = created_at WHERE hold_decided_at IS NOT NULL OR status = 'credit_hold';
CREATE INDEX bank_lines_booking_date ON bank_lines(booking_date);
