-- Idempotency keys name a digest by a random token, not by its row id:
-- SQLite reuses an INTEGER PRIMARY KEY after the newest rows are deleted
-- (/stop) or the file is restored from a backup, and a receiver that drops
-- repeated keys would then drop another reader's digest.
ALTER TABLE digests ADD COLUMN token TEXT NOT NULL DEFAULT '';
UPDATE digests SET token = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX digests_token ON digests (token);

-- Retry times in milliseconds: whole seconds retried up to a second before
-- a platform's Retry-After.
ALTER TABLE outbox RENAME COLUMN next_attempt_at TO next_attempt_ms;
UPDATE outbox SET next_attempt_ms = next_attempt_ms * 1000;

-- How often a part's text could not be built; a few in a row make it a
-- dead letter instead of a hot loop.
ALTER TABLE outbox ADD COLUMN build_failures INTEGER NOT NULL DEFAULT 0;
