-- The outbox becomes the queue the mail sender works through
-- (app/reach/). A row is written in the same transaction as the event
-- that causes it; its body_ct is the whole message but the From and Date
-- lines, sealed with the server's own key (relationship 0).
--   kind        what the mail is about: invitation, password_reset, ...
--   person_id   whom it is for (NULL for rows older than this migration)
--   message_id  the stable Message-ID, the same on every attempt
--   state       waiting (to be sent), sent, failed (a 5xx, or 48 hours
--               of temporary failures)
--   attempts    how many times the sender took it
--   next_at     not to be taken before this time (backoff)
--   claimed_until  a sender holds it until then; one that died leaves it
--               to be taken again once this passed
--   last_error  the SMTP server's answer or the connection error, for the
--               operator
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'invitation';
ALTER TABLE outbox ADD COLUMN person_id INTEGER REFERENCES persons(id) ON DELETE CASCADE;
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'waiting'
  CHECK (state IN ('waiting', 'sent', 'failed'));
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
UPDATE outbox SET state = 'sent' WHERE sent_at IS NOT NULL;
UPDATE outbox SET message_id = '<' || id || '.old@rapport.invalid>' WHERE message_id = '';
CREATE INDEX outbox_due ON outbox(state, next_at);
CREATE INDEX outbox_person ON outbox(person_id);
