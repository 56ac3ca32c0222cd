-- The topic table in force, once one is set (Store.SetTopics, from
-- --topics FILE): every process tags with it, so serve and a cron ingest
-- agree, and a run without --topics keeps it. No row: the table built into
-- the program is in force.
CREATE TABLE topic_table (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    name   TEXT    NOT NULL,  -- the file it came from, as given
    body   TEXT    NOT NULL,  -- its text, parsed again when loaded
    set_at INTEGER NOT NULL
);
