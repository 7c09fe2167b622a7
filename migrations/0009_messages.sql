-- Notifications: what the outbox announces becomes messages (an e-mail to a
-- customer, a POST to a webhook endpoint), each delivered and retried on its
-- own by the worker inside `o2c serve` (src/notify/).
-- Times the worker compares are integer milliseconds since the epoch
-- (*_ms); the others RFC 3339 text, as everywhere.

-- Set in the transaction that creates the row's messages: a row is fanned
-- out exactly once. Rows written before notifications existed are taken as
-- done, so that upgrading does not mail every customer about old orders.
ALTER TABLE outbox ADD COLUMN fanned_out_at TEXT;
UPDATE outbox SET fanned_out_at = created_at;
CREATE INDEX outbox_not_fanned_out ON outbox(id) WHERE fanned_out_at IS NULL;

CREATE TABLE webhook_endpoints (
  id {{ID}},
  url TEXT NOT NULL,
  events TEXT NOT NULL,   -- JSON array of topics, or ["*"]
  secret TEXT NOT NULL,   -- the HMAC key; kept in clear because signing needs it
  active INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);

CREATE TABLE messages (
  id {{ID}},
  outbox_id BIGINT NOT NULL REFERENCES outbox(id),
  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  -- e-mail: the address; webhook: the endpoint id.
  recipient TEXT NOT NULL,
  endpoint_id BIGINT REFERENCES webhook_endpoints(id),
  subject TEXT,
  topic TEXT NOT NULL,
  -- failed = gave up after the last attempt.
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at_ms BIGINT NOT NULL,
  -- While 'sending': past this instant the sender is presumed dead and the
  -- message may be claimed again.
  lease_until_ms BIGINT,
  last_error TEXT,
  sent_at TEXT,
  created_at TEXT NOT NULL,
  -- One announcement is never delivered twice to one place.
  UNIQUE (outbox_id, channel, recipient)
);
CREATE INDEX messages_due ON messages(status, next_attempt_at_ms);
CREATE INDEX messages_topic ON messages(topic);
