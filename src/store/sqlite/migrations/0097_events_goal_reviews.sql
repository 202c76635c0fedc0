-- The goal reviews of a relationship, by id: `rapport trust recompute`
-- reads the goal-review evidence of a run of relationships with each
-- review's score (store/recompute.c), from these events. Asked from the
-- evidence side, PostgreSQL planned that read as a scan of every event of
-- the store once it judged reviews rare, for each run of 200
-- relationships: 160 ms a run and 157 s of a recompute of 100,000
-- relationships with pulses. Over these few rows it costs a fraction of a
-- millisecond.
CREATE INDEX events_goal_reviews ON events(relationship_id, id) WHERE kind = 'goal_review';
