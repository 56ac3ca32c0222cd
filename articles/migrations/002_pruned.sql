-- Posts deleted by retention. The site still lists them, and a source asks
-- Has before fetching a post: without this, every poll would fetch every
-- pruned post again, and store it again as new.
CREATE TABLE pruned (
    id        TEXT    PRIMARY KEY,
    pruned_at INTEGER NOT NULL
) WITHOUT ROWID;
