-- Incidents and repair in circles, as in pairs: the repair plan of an
-- incident acknowledged by the member concerned (its texts sealed with the
-- circle's key, owner -circle id), the commitments agreed as amends; and
-- goal reviews (Goal Attainment Scaling) of a member's goals in a circle.
-- What members write is sealed from now on with its author's own key in
-- the circle (data_keys relationship_id -circle id, author_id the author;
-- author_sealed 1), so that deleting their account destroys it for good,
-- backups included (the destroyed-key log). Rows written before keep the
-- circle's key (author_sealed 0) and are emptied in place.
ALTER TABLE circle_items ADD COLUMN author_sealed INTEGER NOT NULL DEFAULT 0;

-- An incident is a circle_items row of kind 'incident' (subject_id: the
-- member concerned, closed_at: when it was resolved); it is acknowledged
-- when its plan exists (opened_at).

CREATE TABLE circle_repairs (
  id INTEGER PRIMARY KEY,
  circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
  incident_id INTEGER NOT NULL UNIQUE REFERENCES circle_items(id) ON DELETE CASCADE,
  party_id INTEGER NOT NULL,
  opened_at INTEGER NOT NULL,
  follow_through_days INTEGER NOT NULL,
  acknowledged_at INTEGER,
  acknowledgement_ct BLOB,
  responsibility_ct BLOB,
  amends_agreed_at INTEGER,
  outcome TEXT,
  closed_at INTEGER,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX circle_repairs_circle ON circle_repairs(circle_id, id);
CREATE INDEX circle_repairs_open ON circle_repairs(closed_at, id);

CREATE TABLE circle_repair_amends (
  repair_id INTEGER NOT NULL REFERENCES circle_repairs(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES circle_items(id) ON DELETE CASCADE,
  PRIMARY KEY (repair_id, item_id)
);

-- A review of one member's active goals in the circle, -2..+2 each (goal
-- weights are 1 in circles), with its T score.
CREATE TABLE circle_goal_reviews (
  id INTEGER PRIMARY KEY,
  circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
  member_id INTEGER NOT NULL,
  reviewer_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  t_score REAL NOT NULL
);
CREATE INDEX circle_goal_reviews_circle ON circle_goal_reviews(circle_id, id);

CREATE TABLE circle_goal_review_levels (
  review_id INTEGER NOT NULL REFERENCES circle_goal_reviews(id) ON DELETE CASCADE,
  goal_id INTEGER NOT NULL REFERENCES circle_items(id) ON DELETE CASCADE,
  level INTEGER NOT NULL CHECK (level BETWEEN -2 AND 2),
  PRIMARY KEY (review_id, goal_id)
);
