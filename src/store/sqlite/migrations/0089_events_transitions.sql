-- The transitions of a relationship, by time: the warnings' refresh reads
-- when a relationship first became active (store/recompute.c), for a run
-- of relationships in one statement. Over events_relationship that read
-- visits every event of the run's relationships, one per note, pulse and
-- check-in, so a write cost more the longer the relationship had run;
-- over these few rows it costs the same on the first day and the
-- thousandth.
CREATE INDEX events_transitions ON events(relationship_id, at) WHERE kind = 'transition';
