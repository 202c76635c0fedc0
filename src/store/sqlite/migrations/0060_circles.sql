-- Peer circles: 3 to 8 members of one program with an optional
-- facilitator, and what they do together. Confidential text is sealed
-- with the circle's own data key (data_keys with relationship_id =
-- -circle id: crypto/seal.h) and stored in the *_ct columns.

CREATE TABLE circles (
  id INTEGER PRIMARY KEY,
  program_id INTEGER NOT NULL REFERENCES programs(id),
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  cadence_days INTEGER NOT NULL,
  proposed_by INTEGER,
  proposed_at INTEGER NOT NULL,
  state_since INTEGER NOT NULL
);
CREATE INDEX circles_program ON circles(program_id);

-- role 'member' or 'facilitator'; left_at is set when the person left
-- (they keep reading what was written while they were in the circle).
CREATE TABLE circle_members (
  circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('member', 'facilitator')),
  accepted INTEGER NOT NULL DEFAULT 0,
  joined_at INTEGER NOT NULL,
  left_at INTEGER,
  PRIMARY KEY (circle_id, person_id)
);
CREATE INDEX circle_members_person ON circle_members(person_id);

CREATE TABLE circle_events (
  id INTEGER PRIMARY KEY,
  circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  actor_id INTEGER,
  subject_id INTEGER,
  at INTEGER NOT NULL,
  from_state TEXT,
  to_state TEXT,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX circle_events_circle ON circle_events(circle_id, id);

-- Versions of the circle agreement; in force once every member then in
-- the circle acknowledged its version.
CREATE TABLE circle_agreements (
  id INTEGER PRIMARY KEY,
  circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  cadence_days INTEGER NOT NULL,
  author_id INTEGER,
  created_at INTEGER NOT NULL,
  text_ct BLOB NOT NULL,
  UNIQUE (circle_id, version)
);

CREATE TABLE circle_acks (
  agreement_id INTEGER NOT NULL REFERENCES circle_agreements(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (agreement_id, person_id)
);

CREATE TABLE circle_checkins (
  id INTEGER PRIMARY KEY,
  circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
  held_at INTEGER NOT NULL,
  recorded_by INTEGER,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX circle_checkins_circle ON circle_checkins(circle_id, held_at);

CREATE TABLE circle_attendance (
  checkin_id INTEGER NOT NULL REFERENCES circle_checkins(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('present', 'late', 'absent_with_notice',
                                         'absent_without_notice')),
  PRIMARY KEY (checkin_id, person_id)
);

-- recorded_at (here, in circle_events and circle_checkins) is the clock
-- when the row was written, whatever time it is dated with: who may read
-- it goes by when it was written (a member who left does not read what was
-- written afterwards, however it is dated).
--
-- Everything members write: commitments, requests, replies, feedback,
-- notes, goals and incidents. subject_id: whom feedback is for, the owner
-- of a goal; parent_id: the request a reply answers; label: a
-- commitment's or goal's state, feedback's kind, an incident's kind;
-- focus: feedback's focus; shared: 0 for a private note.
CREATE TABLE circle_items (
  id INTEGER PRIMARY KEY,
  circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('commitment', 'request', 'reply', 'feedback', 'note',
                                     'goal', 'incident')),
  author_id INTEGER NOT NULL,
  subject_id INTEGER,
  parent_id INTEGER,
  shared INTEGER NOT NULL DEFAULT 1,
  label TEXT,
  focus TEXT,
  due_at INTEGER,
  closed_at INTEGER,
  created_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  text_ct BLOB NOT NULL
);
CREATE INDEX circle_items_circle ON circle_items(circle_id, kind, id);

-- A member's pulse about the circle: the seven items of the pairs' pulse
-- (0 = skipped), double-blind: shown to others only as aggregates.
CREATE TABLE circle_pulses (
  id INTEGER PRIMARY KEY,
  circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
  rater_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  a1 INTEGER NOT NULL, a2 INTEGER NOT NULL, a3 INTEGER NOT NULL, a4 INTEGER NOT NULL,
  a5 INTEGER NOT NULL, a6 INTEGER NOT NULL, a7 INTEGER NOT NULL
);
CREATE INDEX circle_pulses_circle ON circle_pulses(circle_id, rater_id, at);

-- A member who chose to show a warning about them to the facilitator by
-- name (until then the facilitator reads only "a member may need a
-- check-in").
CREATE TABLE circle_warning_shares (
  circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL,
  code TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (circle_id, person_id, code)
);
