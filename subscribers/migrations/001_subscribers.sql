-- One row per chat that talks to the bot: a person, a group or a channel,
-- on one platform. (platform, chat_id) is how a transport finds it.
CREATE TABLE subscribers (
    id             INTEGER PRIMARY KEY,
    platform       TEXT    NOT NULL,
    chat_id        TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('private', 'group', 'channel')),
    name           TEXT    NOT NULL DEFAULT '',
    lang           TEXT    NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en')),
    deliver_minute INTEGER NOT NULL DEFAULT 450 CHECK (deliver_minute BETWEEN 0 AND 1439),
    tz             TEXT    NOT NULL DEFAULT 'Asia/Shanghai',
    max_items      INTEGER NOT NULL DEFAULT 30 CHECK (max_items BETWEEN 1 AND 200),
    empty_notice   INTEGER NOT NULL DEFAULT 1,
    state          TEXT    NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'blocked', 'left')),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (platform, chat_id)
);

-- Followed tags, in the subscriber's order: a digest groups by them.
CREATE TABLE subscriber_tags (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    tag           TEXT    NOT NULL,
    PRIMARY KEY (subscriber_id, tag)
) WITHOUT ROWID;

-- Keywords: an article must hold one of the include words (when there are
-- any) and none of the exclude words.
CREATE TABLE subscriber_keywords (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    word          TEXT    NOT NULL,
    exclude       INTEGER NOT NULL,
    PRIMARY KEY (subscriber_id, word)
) WITHOUT ROWID;

CREATE INDEX subscribers_state ON subscribers (state, platform);
