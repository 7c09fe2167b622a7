-- Reading a shipment looks up its invoice by shipment_id; without an index
-- every read scanned the invoices. Unique: a shipment is invoiced once.
CREATE UNIQUE INDEX invoices_one_per_shipment ON invoices(shipment_id) WHERE shipment_id IS NOT NULL;
