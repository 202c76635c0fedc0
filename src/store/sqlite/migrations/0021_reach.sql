-- What reaching people needs besides the outbox (app/reach/).
--
-- A person's calendar feed: the keyed hash of the secret in its URL
-- (never the secret); rotating replaces the row, revoking deletes it.
CREATE TABLE calendar_feeds (
  person_id INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
  token_hash BLOB NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

-- Mails sent about a thing, once per person: a check-in's reminder (and
-- the calendar SEQUENCE it carried), so that the reminder job and a
-- reschedule or cancellation know who holds the invitation.
CREATE TABLE reach_marks (
  kind TEXT NOT NULL,
  about_id INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  PRIMARY KEY (kind, about_id, person_id)
);
CREATE INDEX reach_marks_person ON reach_marks(person_id);

-- A person's wishes about mail (no row: the defaults). time_zone is an
-- IANA name ("Europe/Paris"), for quiet hours and the calendar feed;
-- quiet_from and quiet_to are minutes after local midnight (NULL: none;
-- from > to spans midnight); digest: a weekly digest instead of the
-- reminders; off: the kinds of mail not wanted, comma-separated.
CREATE TABLE mail_prefs (
  person_id INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  quiet_from INTEGER,
  quiet_to INTEGER,
  digest INTEGER NOT NULL DEFAULT 0,
  off TEXT NOT NULL DEFAULT ''
);
