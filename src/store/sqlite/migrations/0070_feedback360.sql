-- 360-degree feedback (domain/f360.h, app/feedback360/).
--
-- A request belongs to its requester; its texts (the purpose, the open
-- answers, the report) are sealed with the requester's own data key
-- (relationship 0, author = the requester), which deleting the account
-- destroys. Answers carry no rater: f360_raters knows who was asked and
-- whether they answered, f360_answers what was answered, and nothing joins
-- the two. When the request closes, the report is built and sealed, the
-- answers are deleted and every rater's state becomes 'done', so that no
-- row tells who answered or declined.
CREATE TABLE f360_requests (
  id INTEGER PRIMARY KEY,
  requester_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  purpose_ct BLOB NOT NULL,
  self1 INTEGER NOT NULL, self2 INTEGER NOT NULL, self3 INTEGER NOT NULL,
  self4 INTEGER NOT NULL, self5 INTEGER NOT NULL, self6 INTEGER NOT NULL,
  self7 INTEGER NOT NULL,
  deadline INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  closed_at INTEGER,
  report_ct BLOB,
  shared_relationship_id INTEGER REFERENCES relationships(id) ON DELETE SET NULL,
  shared_at INTEGER
);
CREATE INDEX f360_requests_requester ON f360_requests(requester_id, id);
CREATE INDEX f360_requests_program ON f360_requests(program_id);

CREATE TABLE f360_raters (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES f360_requests(id) ON DELETE CASCADE,
  person_id INTEGER REFERENCES persons(id) ON DELETE CASCADE, -- NULL: an outside rater
  token_hash BLOB UNIQUE,                                     -- outside raters' link
  grp TEXT NOT NULL CHECK (grp IN ('guide', 'peers', 'colleagues', 'others')),
  state TEXT NOT NULL CHECK (state IN ('invited', 'answered', 'declined', 'done')),
  invited_at INTEGER NOT NULL
);
CREATE INDEX f360_raters_request ON f360_raters(request_id);
CREATE INDEX f360_raters_person ON f360_raters(person_id, request_id);

CREATE TABLE f360_answers (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES f360_requests(id) ON DELETE CASCADE,
  grp TEXT NOT NULL CHECK (grp IN ('guide', 'peers', 'colleagues', 'others')),
  member INTEGER NOT NULL,
  signed_by INTEGER REFERENCES persons(id) ON DELETE SET NULL, -- a guide who signed
  r1 INTEGER NOT NULL, r2 INTEGER NOT NULL, r3 INTEGER NOT NULL, r4 INTEGER NOT NULL,
  r5 INTEGER NOT NULL, r6 INTEGER NOT NULL, r7 INTEGER NOT NULL,
  keep_ct BLOB NOT NULL,
  change_ct BLOB NOT NULL
);
CREATE INDEX f360_answers_request ON f360_answers(request_id);
