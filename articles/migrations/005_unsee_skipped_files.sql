-- A folder ingest used to remember the files its filter skipped as seen,
-- so a later run keeping more categories never read them. Now a skipped
-- file is remembered with the filter that skipped it. Forget the file
-- versions of every post that is neither stored nor pruned: skipped files
-- are read again by the next run, rejected ones once more.
--
-- The post id is the file's base name without ".md" and without the date
-- of a dated name, as ParsePost reads it. rtrim(k, replace(k, '/', ''))
-- is k up to its last '/'.
DELETE FROM source_state
WHERE key LIKE 'file:%' AND NOT EXISTS (
    SELECT 1 FROM (
        SELECT CASE
            WHEN base GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]-?*' THEN substr(base, 12)
            ELSE ltrim(base, '-_ ')
        END AS id
        FROM (
            SELECT substr(name, 1, length(name) - 3) AS base
            FROM (SELECT replace(source_state.key, rtrim(source_state.key, replace(source_state.key, '/', '')), '') AS name)
        )
    ) AS post
    WHERE EXISTS (SELECT 1 FROM articles WHERE articles.id = post.id)
       OR EXISTS (SELECT 1 FROM pruned WHERE pruned.id = post.id)
);
