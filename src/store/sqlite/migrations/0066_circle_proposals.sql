-- The matcher's proposals of peer circles: an admin's draft of circles
-- formed from the program's profiles (domain/circle_match.h), reviewed,
-- then published as proposed circles. The request is kept as asked; the
-- report holds figures only (the total after seeding, passes, swaps).
CREATE TABLE circle_proposals (
  id INTEGER PRIMARY KEY,
  program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'discarded')),
  created_by INTEGER REFERENCES persons(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  published_at INTEGER,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  circles_asked INTEGER NOT NULL,
  pool TEXT NOT NULL CHECK (pool IN ('learners', 'guides', 'everyone')),
  overlap_topics INTEGER NOT NULL,
  mix_attributes INTEGER NOT NULL,
  mix_attribute_ids TEXT NOT NULL,
  facilitator INTEGER NOT NULL,
  include_active INTEGER NOT NULL,
  min_overlap_minutes INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  report TEXT NOT NULL
);
CREATE INDEX circle_proposals_program ON circle_proposals(program_id, id);

-- The people of a proposal's circles (slot 1, 2, ...); circle_id is the
-- circle the slot became when the proposal was published.
CREATE TABLE circle_proposal_slots (
  proposal_id INTEGER NOT NULL REFERENCES circle_proposals(id) ON DELETE CASCADE,
  slot INTEGER NOT NULL,
  score INTEGER NOT NULL,
  circle_id INTEGER REFERENCES circles(id) ON DELETE SET NULL,
  PRIMARY KEY (proposal_id, slot)
);

CREATE TABLE circle_proposal_members (
  proposal_id INTEGER NOT NULL REFERENCES circle_proposals(id) ON DELETE CASCADE,
  slot INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('member', 'facilitator')),
  PRIMARY KEY (proposal_id, person_id)
);
CREATE INDEX circle_proposal_members_slot ON circle_proposal_members(proposal_id, slot);
