-- seq is the ingest sequence: AUTOINCREMENT never reuses a value, so a
-- digest cursor "seq > N" stays correct after old articles are deleted.
-- doc is the row's id in the search index: the publication time in
-- seconds, shifted left 20 bits, plus a counter for articles published in
-- the same second. Index order is then time order, so a search can rank
-- the newest articles first and stop early (see search.go).
CREATE TABLE articles (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL UNIQUE,
    doc          INTEGER NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    published_at INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    lead         TEXT    NOT NULL,
    source_url   TEXT    NOT NULL DEFAULT '',
    url          TEXT    NOT NULL DEFAULT '',
    categories   TEXT    NOT NULL DEFAULT '',
    hash         TEXT    NOT NULL,
    ingested_at  INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE article_tags (
    seq  INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
    tag  TEXT    NOT NULL,
    kind TEXT    NOT NULL CHECK (kind IN ('site', 'topic')),
    doc  INTEGER NOT NULL,
    PRIMARY KEY (seq, tag)
) WITHOUT ROWID;
-- A tag filter on a search reads one tag's docs within a time window.
CREATE INDEX article_tags_tag ON article_tags (tag, doc);

-- Contentless: the text lives in articles; the index holds only bigram
-- tokens produced in Go (see bigram.go). prefix='1' makes one-character
-- queries an index lookup instead of an expansion over every bigram.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body,
    content = '', contentless_delete = 1, prefix = '1'
);
-- Merge index segments in larger steps while ingesting: measurably faster
-- bulk ingest; Store.Optimize merges everything for queries.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 8);

-- Per-source memory: HTTP validators per URL, file versions per path.
CREATE TABLE source_state (
    source     TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (source, key)
) WITHOUT ROWID;

CREATE TABLE sources (
    name            TEXT    PRIMARY KEY,
    last_run_at     INTEGER NOT NULL DEFAULT 0,
    last_success_at INTEGER NOT NULL DEFAULT 0,
    last_new_at     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    errors          INTEGER NOT NULL DEFAULT 0,
    articles_new    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE article_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
