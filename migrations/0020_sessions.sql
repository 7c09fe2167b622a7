-- Web sign-in sessions (the console and the portal). The cookie carries a
-- random secret; only its SHA-256 is stored, so that a copy of the database
-- holds no usable session. The CSRF token is not a credential on its own
-- (it is useless without the cookie) and is stored as is, so that a page
-- reloaded within the session can ask for it again (GET /session).
-- Instants are RFC 3339 UTC texts of one fixed width.
CREATE TABLE sessions (
  id {{ID}},
  secret_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
