-- Accounts (app/auth.c): sign-in throttling kept in the database, so that
-- several `rapport serve` processes sharing one database throttle alike.
--
-- One row per sign-in attempt that was not refused outright: written when
-- the attempt starts (before the password is checked, in the same write
-- transaction as the check of the limits, so concurrent attempts cannot
-- overshoot them) and removed, with every other row of that e-mail
-- address, when the attempt succeeds. What remains are failures. email is
-- the folded address as typed (accounts that do not exist are throttled
-- alike, so a 429 tells nothing about existence); address is the client's
-- IP address (an IPv6 address as its /64 prefix). Rows older than the
-- throttling window are deleted by the jobs.
CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  address TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, at);
CREATE INDEX login_failures_address ON login_failures(address, at);
