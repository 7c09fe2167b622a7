-- Allocations and customer credit are found by what made them (a payment's
-- id as source_id): reading a payment, reversing it and o2c verify look them
-- up that way, and without an index each lookup scanned the whole table.
CREATE INDEX invoice_allocations_source ON invoice_allocations(source_id, source_type);
CREATE INDEX customer_credit_source ON customer_credit(source_id, source_type);
