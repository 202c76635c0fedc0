-- The trust wiring (app/trust/evidence.c): what the request_unanswered job
-- and the timeline need. PostgreSQL's spelling of the SQLite migration of
-- the same number: the triggers as trigger functions.

-- When the server recorded that a request had no reply within three reply
-- windows (the "request_unanswered" event, dated created_at + 3R). NULL
-- until then; set once, so the job records each request at most once.
ALTER TABLE requests ADD COLUMN unanswered_at BIGINT;

-- The requests the job looks at: still open and not yet recorded.
CREATE INDEX requests_awaiting ON requests(created_at)
  WHERE replied_at IS NULL AND unanswered_at IS NULL;

-- The evidence of a page of events (the timeline) and of one event.
CREATE INDEX evidence_event ON evidence(relationship_id, event_id);

-- What the parties' trust view shows of a relationship changes only with
-- the rows counted here; trust_seq counts those changes, in the same
-- transaction, so a server may keep a rendered view while trust_seq is
-- unchanged (http/routes_trust.c; time passing is bounded separately).
ALTER TABLE relationships ADD COLUMN trust_seq BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION trust_seq_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE relationships SET trust_seq = trust_seq + 1 WHERE id = OLD.relationship_id;
  ELSE
    UPDATE relationships SET trust_seq = trust_seq + 1 WHERE id = NEW.relationship_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER trust_seq_event AFTER INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION trust_seq_bump();
CREATE TRIGGER trust_seq_warning_new AFTER INSERT ON warnings
  FOR EACH ROW EXECUTE FUNCTION trust_seq_bump();
CREATE TRIGGER trust_seq_warning_change AFTER UPDATE ON warnings
  FOR EACH ROW EXECUTE FUNCTION trust_seq_bump();
CREATE TRIGGER trust_seq_warning_gone AFTER DELETE ON warnings
  FOR EACH ROW EXECUTE FUNCTION trust_seq_bump();
CREATE TRIGGER trust_seq_reveal AFTER UPDATE OF visible_at ON evidence
  FOR EACH ROW EXECUTE FUNCTION trust_seq_bump();
