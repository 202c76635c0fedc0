-- A program's trust settings (docs/trust-model.md, "A program's settings"):
-- the early warnings its administrators have turned off, as the codes
-- separated by commas ('' when every warning is on), and the history of
-- changes to the settings, one row per change with what it was and what
-- it became (a JSON object of figures and codes, never text a person wrote).

ALTER TABLE programs ADD COLUMN warnings_off TEXT NOT NULL DEFAULT '';

CREATE TABLE program_events (
  id INTEGER PRIMARY KEY,
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  actor_id INTEGER REFERENCES persons(id),
  at INTEGER NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX program_events_program ON program_events(program_id, id);
