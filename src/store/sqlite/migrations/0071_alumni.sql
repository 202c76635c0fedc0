-- The alumni network (app/alumni/).
--
-- alumni: who joined a program's alumni network (after a relationship of
-- theirs there completed), what of them the directory may show (each
-- field only with its owner's consent), the topics they can help with
-- (text they publish to the program's members), and since when a former
-- learner guides again ("pay it forward"). Leaving deletes the row.
CREATE TABLE alumni (
  id INTEGER PRIMARY KEY,
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  joined_at INTEGER NOT NULL,
  show_name INTEGER NOT NULL,
  show_topics INTEGER NOT NULL,
  show_contact INTEGER NOT NULL,
  topics TEXT NOT NULL,
  guiding_since INTEGER,
  UNIQUE (program_id, person_id)
);
CREATE INDEX alumni_person ON alumni(person_id);

-- Long-term check-ins: each former partner who wants them. When both do,
-- the completed relationship becomes 'alumni' and a short pulse every
-- cadence_days keeps its trust history going.
CREATE TABLE alumni_long_term (
  relationship_id INTEGER NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  since INTEGER NOT NULL,
  PRIMARY KEY (relationship_id, person_id)
);
