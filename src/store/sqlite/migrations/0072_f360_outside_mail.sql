-- 360 feedback: outside raters are asked by e-mail (app/feedback360/).
--
-- The one-time link goes in a mail (the outbox, sealed with the server's
-- key); the requester never holds it. f360_raters keeps, for an outside
-- rater, only a keyed hash of the folded address (email_hash), so that
-- the same address cannot be asked twice by one requester within the
-- re-rating window, and never the address itself. For a member the hash
-- of their address is kept too, so that asking a member by their address
-- as an outside rater is caught by the same rule.
ALTER TABLE f360_raters ADD COLUMN email_hash BLOB;
CREATE INDEX f360_raters_email ON f360_raters(email_hash);
