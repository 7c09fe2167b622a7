-- The cash forecast weighs each customer's delay by the cash applied over a
-- window of days before the forecast (domain/reports/forecast.h). Each
-- allocation carries whose invoice it settled and how many days after the
-- invoice's due date it was applied (negative: early), so that the delays
-- are summed from one index range instead of joining every allocation of
-- the window to its invoice. Both are copies of what the invoice says at
-- the allocation's insert (an issued invoice's customer and due date never
-- change); `o2c verify` checks them against the invoices.
ALTER TABLE invoice_allocations ADD COLUMN customer_id BIGINT;
ALTER TABLE invoice_allocations ADD COLUMN days_after_due INTEGER;
UPDATE invoice_allocations SET
  customer_id = (SELECT i.customer_id FROM invoices i WHERE i.id = invoice_allocations.invoice_id),
  days_after_due = {{DAYNUM applied_on}} -
    (SELECT {{DAYNUM i.due_date}} FROM invoices i WHERE i.id = invoice_allocations.invoice_id);
CREATE INDEX invoice_allocations_delays ON invoice_allocations(source_type, applied_on, reversed_on, reversed_at,
  customer_id, days_after_due, functional_minor);
