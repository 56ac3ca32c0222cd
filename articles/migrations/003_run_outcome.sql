-- How each source's last run ended: 'ok', 'failed', 'interrupted' (the
-- program was stopped; what it read is stored), 'empty' (the site had no
-- current posts for it), 'capped' (more posts were listed than one run
-- fetches; the rest come next run). '' for runs recorded before.
ALTER TABLE sources ADD COLUMN last_outcome TEXT NOT NULL DEFAULT ''
    CHECK (last_outcome IN ('', 'ok', 'failed', 'interrupted', 'empty', 'capped'));
