-- Indexes for reading goals: a goal's milestones and its latest review
-- level are looked up by goal id, which 0001 does not index (without them
-- every goal read scans all milestones and all review levels).

CREATE INDEX milestones_goal ON milestones(goal_id, id);
CREATE INDEX goal_review_levels_goal ON goal_review_levels(goal_id);
