-- Matching: profiles per program membership, the program's topics and
-- attributes, reporting lines, private blocks, the program's matching
-- settings, admin runs and their drafts, self-match requests, exit answers
-- and the scores published matches started from.
--
-- A profile is per (program, person): what a learner wants (topics ranked
-- 1..5) and what a guide offers, languages, time zone, weekly windows,
-- capacity, whether the guide takes new learners, "about me". Attributes,
-- wishes, blocks and exit answers are read only by the matcher and by
-- their own author: no route shows them to anyone else.

CREATE TABLE match_topics (
  id INTEGER PRIMARY KEY,
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (program_id, name)
);

CREATE TABLE match_profiles (
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  languages TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  capacity INTEGER NOT NULL DEFAULT 1,
  taking_new INTEGER NOT NULL DEFAULT 1,
  about TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (program_id, person_id)
);

-- side 'wants' (a learner's, rank 1 first) or 'offers' (a guide's, rank 0).
CREATE TABLE match_profile_topics (
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  side TEXT NOT NULL CHECK (side IN ('wants', 'offers')),
  topic_id INTEGER NOT NULL REFERENCES match_topics(id) ON DELETE CASCADE,
  rank INTEGER NOT NULL,
  PRIMARY KEY (program_id, person_id, side, topic_id)
);

-- Weekly windows in minutes of the week, UTC, Monday 00:00 = 0:
-- [start_minute, end_minute), 0 <= start < end <= 10080.
CREATE TABLE match_windows (
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  start_minute INTEGER NOT NULL,
  end_minute INTEGER NOT NULL,
  PRIMARY KEY (program_id, person_id, start_minute)
);

CREATE TABLE match_attributes (
  id INTEGER PRIMARY KEY,
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (program_id, name)
);

-- A person's self-declared value of an attribute (NULL: not declared) and,
-- as a learner, the wish about a guide's: similar, different or none.
CREATE TABLE match_attribute_values (
  attribute_id INTEGER NOT NULL REFERENCES match_attributes(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  value TEXT,
  wish TEXT NOT NULL DEFAULT 'none' CHECK (wish IN ('similar', 'different', 'none')),
  PRIMARY KEY (attribute_id, person_id)
);

-- Reporting lines per program: the person's manager, by e-mail (the
-- manager need not have an account yet); the manager's own line gives the
-- manager's manager.
CREATE TABLE match_reporting_lines (
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  manager_email TEXT NOT NULL,
  set_by INTEGER REFERENCES persons(id) ON DELETE SET NULL,
  set_at INTEGER NOT NULL,
  PRIMARY KEY (program_id, person_id)
);
CREATE INDEX match_reporting_lines_manager ON match_reporting_lines(program_id, manager_email);

-- Private blocks: person_id never wants to be matched with blocked_id.
CREATE TABLE match_blocks (
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  blocked_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (program_id, person_id, blocked_id)
);

-- The program's matching settings (defaults when no row).
CREATE TABLE match_settings (
  program_id INTEGER PRIMARY KEY REFERENCES programs(id) ON DELETE CASCADE,
  w_topics INTEGER NOT NULL,
  w_availability INTEGER NOT NULL,
  w_language INTEGER NOT NULL,
  w_attributes INTEGER NOT NULL,
  w_experience INTEGER NOT NULL,
  min_overlap_minutes INTEGER NOT NULL,
  fairness INTEGER NOT NULL,
  request_window_hours INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- An admin's batch run: a draft until published or discarded.
CREATE TABLE match_runs (
  id INTEGER PRIMARY KEY,
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'discarded')),
  fairness INTEGER NOT NULL,
  created_by INTEGER REFERENCES persons(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  solved_at INTEGER NOT NULL,
  published_at INTEGER,
  report TEXT NOT NULL
);
CREATE INDEX match_runs_program ON match_runs(program_id, id);

CREATE TABLE match_run_pairs (
  run_id INTEGER NOT NULL REFERENCES match_runs(id) ON DELETE CASCADE,
  learner_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  guide_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  score INTEGER NOT NULL,
  locked INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, learner_id)
);

-- A pair the admin excluded from a run (guide_id 0: the learner is left
-- out of the run altogether).
CREATE TABLE match_run_exclusions (
  run_id INTEGER NOT NULL REFERENCES match_runs(id) ON DELETE CASCADE,
  learner_id INTEGER NOT NULL,
  guide_id INTEGER NOT NULL,
  PRIMARY KEY (run_id, learner_id, guide_id)
);

-- Self-match: a learner's request to a guide, answered within the window.
CREATE TABLE match_requests (
  id INTEGER PRIMARY KEY,
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  learner_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  guide_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')),
  score INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  answered_at INTEGER,
  relationship_id INTEGER REFERENCES relationships(id) ON DELETE SET NULL
);
CREATE INDEX match_requests_learner ON match_requests(program_id, learner_id, id);
CREATE INDEX match_requests_guide ON match_requests(guide_id, state, id);
CREATE INDEX match_requests_due ON match_requests(state, due_at);

-- The private exit answer after a no-fault ending: what did not fit, as a
-- comma-separated subset of topics, availability, style, chemistry.
CREATE TABLE match_exits (
  relationship_id INTEGER NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  reasons TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (relationship_id, person_id)
);

-- The score a relationship started from (published run or accepted
-- request), with its parts (0..100 each), for learning which matches build
-- trust.
CREATE TABLE match_outcomes (
  relationship_id INTEGER PRIMARY KEY REFERENCES relationships(id) ON DELETE CASCADE,
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  score INTEGER NOT NULL,
  p_topics INTEGER NOT NULL,
  p_availability INTEGER NOT NULL,
  p_language INTEGER NOT NULL,
  p_attributes INTEGER NOT NULL,
  p_experience INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX match_outcomes_program ON match_outcomes(program_id);
