-- The trust engine's tables (TRUST-MODEL.md). Parties are numbered as in
-- trust/trust_evidence.h: about 0 = the guide, 1 = the learner; a
-- component is 0 REL, 1 INT, 2 COM, 3 EMP; a source 0 behaviour, 1 pulse.

-- Every evidence item, with the event that caused it and its reason code
-- (trust/trust_values.h). Written in the same transaction as the event.
-- visible_at: when the rated party may see the item's effect (a pulse's
-- double-blind reveal); equal to t for behaviour.
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY,
  relationship_id INTEGER NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
  about INTEGER NOT NULL CHECK (about IN (0, 1)),
  comp INTEGER NOT NULL CHECK (comp BETWEEN 0 AND 3),
  source INTEGER NOT NULL CHECK (source IN (0, 1)),
  reason INTEGER NOT NULL,
  v REAL NOT NULL CHECK (v >= 0 AND v <= 1),
  w REAL NOT NULL CHECK (w > 0),
  t INTEGER NOT NULL,
  event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
  visible_at INTEGER NOT NULL
);
CREATE INDEX evidence_relationship ON evidence(relationship_id, about, comp, t);
CREATE INDEX evidence_unrevealed ON evidence(relationship_id, visible_at);

-- The decayed sums (r, s) as of t_ref, kept current with the evidence.
-- kind 0: behaviour with half-life H; 1: pulse with H; 2: both sources with
-- H / 3 (the trend).
CREATE TABLE trust_sums (
  relationship_id INTEGER NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
  about INTEGER NOT NULL CHECK (about IN (0, 1)),
  comp INTEGER NOT NULL CHECK (comp BETWEEN 0 AND 3),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),
  r REAL NOT NULL,
  s REAL NOT NULL,
  t_ref INTEGER NOT NULL,
  PRIMARY KEY (relationship_id, about, comp, kind)
);

-- Pulse answers (1..5 per item, NULL = "no chance to tell"; overall 0..10,
-- stored for validation only). Raw answers are shown only to their rater.
-- revealed_at: when the rated party may see the pulse's effect (they
-- answered about the rater since, or 7 days passed).
CREATE TABLE pulses (
  id INTEGER PRIMARY KEY,
  relationship_id INTEGER NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
  rater_id INTEGER NOT NULL REFERENCES persons(id),
  ratee_id INTEGER NOT NULL REFERENCES persons(id),
  answered_at INTEGER NOT NULL,
  rel1 INTEGER CHECK (rel1 BETWEEN 1 AND 5),
  rel2 INTEGER CHECK (rel2 BETWEEN 1 AND 5),
  int1 INTEGER CHECK (int1 BETWEEN 1 AND 5),
  int2 INTEGER CHECK (int2 BETWEEN 1 AND 5),
  com1 INTEGER CHECK (com1 BETWEEN 1 AND 5),
  emp1 INTEGER CHECK (emp1 BETWEEN 1 AND 5),
  emp2 INTEGER CHECK (emp2 BETWEEN 1 AND 5),
  overall INTEGER CHECK (overall BETWEEN 0 AND 10),
  revealed_at INTEGER NOT NULL
);
CREATE INDEX pulses_relationship ON pulses(relationship_id, rater_id, answered_at);

-- The CUSUM state per rater (TRUST-MODEL.md 4).
CREATE TABLE pulse_cusum (
  relationship_id INTEGER NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
  rater_id INTEGER NOT NULL REFERENCES persons(id),
  n INTEGER NOT NULL,
  first_sum REAL NOT NULL,
  s REAL NOT NULL,
  alarm_at INTEGER,
  PRIMARY KEY (relationship_id, rater_id)
);

CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  relationship_id INTEGER NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
  reporter_id INTEGER NOT NULL REFERENCES persons(id),
  concerning_id INTEGER NOT NULL REFERENCES persons(id),
  kind TEXT NOT NULL CHECK (kind IN ('confidentiality', 'bias', 'judgment', 'other')),
  text_ct BLOB NOT NULL,
  reported_at INTEGER NOT NULL,
  acknowledged_at INTEGER,
  acknowledged_by INTEGER REFERENCES persons(id),
  resolved_at INTEGER,
  resolved_by INTEGER REFERENCES persons(id)
);
CREATE INDEX incidents_relationship ON incidents(relationship_id);

-- A repair plan opened by an acknowledged incident, for the party concerned.
CREATE TABLE repair_plans (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL UNIQUE REFERENCES incidents(id) ON DELETE CASCADE,
  relationship_id INTEGER NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
  party_id INTEGER NOT NULL REFERENCES persons(id),
  opened_at INTEGER NOT NULL,
  follow_through_days INTEGER NOT NULL,
  acknowledgement_ct BLOB,
  responsibility_ct BLOB,
  amends_agreed_at INTEGER,
  closed_at INTEGER,
  outcome TEXT CHECK (outcome IN ('repaired', 'ended_by_pair', 'not_repaired'))
);
CREATE TABLE repair_commitments (
  plan_id INTEGER NOT NULL REFERENCES repair_plans(id) ON DELETE CASCADE,
  commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
  PRIMARY KEY (plan_id, commitment_id)
);

-- Warnings as last computed (when events arrive and by the time job).
-- A warning is open while cleared_at is NULL; visible_at delays pulse
-- warnings for the rated party until the pulse's reveal.
CREATE TABLE warnings (
  id INTEGER PRIMARY KEY,
  relationship_id INTEGER NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('watch', 'alert')),
  party_id INTEGER REFERENCES persons(id),
  components TEXT NOT NULL,
  since INTEGER NOT NULL,
  evidence TEXT NOT NULL,
  practice TEXT NOT NULL,
  visible_at INTEGER NOT NULL,
  cleared_at INTEGER
);
CREATE INDEX warnings_open ON warnings(relationship_id, cleared_at);

-- Relationships whose warnings the time job must look at again after
-- time passes (every relationship that is not declined, ended or alumni is
-- checked once a day; this records when).
ALTER TABLE relationships ADD COLUMN warnings_checked_at INTEGER NOT NULL DEFAULT 0;

-- Whether a program's admins see warning codes (never content).
ALTER TABLE programs ADD COLUMN admin_sees_warnings INTEGER NOT NULL DEFAULT 0;
