-- Events received from payment providers (Stripe webhooks), one row per
-- provider event id, written in the same transaction as the event's effect:
-- a redelivery finds its row and changes nothing, and two deliveries at once
-- cannot both apply, because the second insert violates the primary key.
-- outcome: 'processed: payment <id>', 'ignored' or 'ignored: <why>',
-- 'rejected: <code>' (signed and well-formed, but not applicable).
CREATE TABLE webhook_events (
  provider TEXT NOT NULL,     -- 'stripe'
  event_id TEXT NOT NULL,     -- the provider's id, e.g. evt_...
  type TEXT NOT NULL,         -- e.g. payment_intent.succeeded
  received_at TEXT NOT NULL,  -- first delivery, RFC 3339 UTC
  outcome TEXT NOT NULL,
  PRIMARY KEY (provider, event_id)
);
