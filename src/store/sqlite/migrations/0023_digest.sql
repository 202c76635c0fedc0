-- The weekly digest (app/reach/digest.c): digest_week is the number of
-- the last local week (Mondays, in the person's time zone) whose digest
-- was made; digest_last the newest of the person's notifications then (a
-- digest lists those after it).
ALTER TABLE mail_prefs ADD COLUMN digest_week INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mail_prefs ADD COLUMN digest_last INTEGER NOT NULL DEFAULT 0;
