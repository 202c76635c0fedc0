-- An agreement's quiet hours (plain, not confidential): minutes after
-- local midnight in each recipient's own time zone (NULL: none; from >
-- to spans midnight). Mail about the relationship waits until the later
-- of the recipient's own quiet hours and these end (app/reach/prefs.c).
ALTER TABLE agreements ADD COLUMN quiet_from INTEGER;
ALTER TABLE agreements ADD COLUMN quiet_to INTEGER;
