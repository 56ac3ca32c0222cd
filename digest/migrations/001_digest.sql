-- Where each subscriber's digests stand. cursor_seq is the last article
-- (by ingest sequence, not publication date, so late or backdated posts
-- are never missed) that a digest has covered.
CREATE TABLE digest_state (
    subscriber_id  INTEGER PRIMARY KEY REFERENCES subscribers (id) ON DELETE CASCADE,
    cursor_seq     INTEGER NOT NULL,
    next_due_at    INTEGER NOT NULL,
    strikes        INTEGER NOT NULL DEFAULT 0,
    last_digest_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX digest_state_due ON digest_state (next_due_at);

CREATE TABLE digests (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('scheduled', 'on_demand')),
    created_at    INTEGER NOT NULL,
    from_seq      INTEGER NOT NULL,
    to_seq        INTEGER NOT NULL,
    items         INTEGER NOT NULL,
    parts         INTEGER NOT NULL
);
CREATE INDEX digests_subscriber ON digests (subscriber_id, id);

-- The transactional outbox: a digest's parts are written here, in the
-- same transaction that advances the cursor, before anything is sent. A
-- part is marked sent only once the platform has confirmed it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    digest_id       INTEGER NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    platform        TEXT    NOT NULL,
    chat_id         TEXT    NOT NULL,
    chat_kind       TEXT    NOT NULL,
    part            INTEGER NOT NULL,
    message         TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    message_id      TEXT    NOT NULL DEFAULT '',
    sent_at         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (digest_id, part)
);
CREATE INDEX outbox_pending ON outbox (subscriber_id, id) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox (id) WHERE state = 'dead';
