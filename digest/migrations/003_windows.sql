-- Conversation windows. Some platforms (WeChat's Official Account,
-- WeCom's customer service) let the bot write to a reader only for a while
-- after the reader last wrote, and only so many messages. A part due for
-- a chat whose window is closed is held ('held') until the reader writes;
-- the held parts are then merged into one release digest ('release'), and
-- they are 'merged'. The CHECKs name the new values, so both tables are
-- made again: outbox first, which refers to digests, then digests.
CREATE TABLE digests_new (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('scheduled', 'on_demand', 'release')),
    created_at    INTEGER NOT NULL,
    from_seq      INTEGER NOT NULL,
    to_seq        INTEGER NOT NULL,
    items         INTEGER NOT NULL,
    parts         INTEGER NOT NULL,
    token         TEXT    NOT NULL DEFAULT ''
);
INSERT INTO digests_new (id, subscriber_id, kind, created_at, from_seq, to_seq, items, parts, token)
    SELECT id, subscriber_id, kind, created_at, from_seq, to_seq, items, parts, token FROM digests;

CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    digest_id       INTEGER NOT NULL REFERENCES digests_new (id) ON DELETE CASCADE,
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    platform        TEXT    NOT NULL,
    chat_id         TEXT    NOT NULL,
    chat_kind       TEXT    NOT NULL,
    part            INTEGER NOT NULL,
    message         TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead', 'held', 'merged')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    message_id      TEXT    NOT NULL DEFAULT '',
    sent_at         INTEGER NOT NULL DEFAULT 0,
    build_failures  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (digest_id, part)
);
INSERT INTO outbox_new (id, digest_id, subscriber_id, platform, chat_id, chat_kind, part, message, state, attempts,
                        next_attempt_ms, last_error, message_id, sent_at, build_failures)
    SELECT id, digest_id, subscriber_id, platform, chat_id, chat_kind, part, message, state, attempts,
           next_attempt_ms, last_error, message_id, sent_at, build_failures FROM outbox;

DROP TABLE outbox;
DROP TABLE digests;
ALTER TABLE digests_new RENAME TO digests;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX digests_subscriber ON digests (subscriber_id, id);
CREATE UNIQUE INDEX digests_token ON digests (token);
CREATE INDEX outbox_pending ON outbox (subscriber_id, id) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox (id) WHERE state = 'dead';
CREATE INDEX outbox_held ON outbox (subscriber_id, id) WHERE state = 'held';

-- The reader's last interaction (a message, a press, a follow), in
-- milliseconds; how many parts went out since; and whether the platform
-- has said the window is closed since. Subscribing counts as writing, so
-- the subscribers of today start with their window open.
ALTER TABLE digest_state ADD COLUMN heard_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE digest_state ADD COLUMN window_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE digest_state ADD COLUMN window_closed INTEGER NOT NULL DEFAULT 0;
UPDATE digest_state SET heard_ms = (SELECT s.updated_at * 1000 FROM subscribers s WHERE s.id = digest_state.subscriber_id);
