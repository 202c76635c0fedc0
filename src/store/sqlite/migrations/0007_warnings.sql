-- Indexes for the warnings, which are recomputed before every write that
-- records an event (app/warnings.c) and read for program health: a party's
-- commitment record joins commitments to their revisions by commitment id
-- (not indexed by 0001, so each refresh scanned every revision of every
-- relationship), and reply latencies are read per responder.

CREATE INDEX commitment_revisions_commitment ON commitment_revisions(commitment_id, at);
CREATE INDEX commitments_owner ON commitments(relationship_id, owner_id, state);
CREATE INDEX requests_responder ON requests(relationship_id, responder_id, created_at);
