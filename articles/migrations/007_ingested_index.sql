-- A new subscriber's first digest reaches back a day from its start, by
-- the time articles came in: without this index, finding where that day
-- begins read every article stored since, inside the write transaction
-- that subscribes, which a fresh bot (every article ingested today) felt
-- on every 开始.
CREATE INDEX articles_ingested ON articles (ingested_at, seq);
