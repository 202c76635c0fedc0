-- Password re-check ("sudo mode", app/yourdata.c): when the session's
-- owner last typed their password again for it. Actions that export or
-- delete a person's data need a re-check within the last five minutes.
-- NULL until the first re-check; a new session (sign-in) starts without.
ALTER TABLE sessions ADD COLUMN confirmed_at INTEGER;
