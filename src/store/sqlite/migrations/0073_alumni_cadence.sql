-- The cadence of a pair's long-term check-ins (app/alumni/).
--
-- Either former partner proposes a cadence (proposed_days, proposed_by,
-- proposed_at); when the other agrees it becomes days (agreed_at). No row,
-- or days NULL: the program's value (APP_ALUMNI_CADENCE_DAYS) holds.
CREATE TABLE alumni_cadence (
  relationship_id INTEGER PRIMARY KEY REFERENCES relationships(id) ON DELETE CASCADE,
  days INTEGER,
  agreed_at INTEGER,
  proposed_days INTEGER,
  proposed_by INTEGER REFERENCES persons(id) ON DELETE SET NULL,
  proposed_at INTEGER
);
