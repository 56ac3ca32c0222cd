-- The date a post claims, when it was more than a day after the time it
-- was fetched; published_at (and so the index id and the ranking age) then
-- holds that fetch time, so a typo in the year does not rank a post as the
-- newest for as long as it lives. 0 when published_at is the post's own
-- date. Rows stored before are clamped once, in Go (see future.go).
ALTER TABLE articles ADD COLUMN claimed_at INTEGER NOT NULL DEFAULT 0;
