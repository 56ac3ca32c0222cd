-- What a platform recognises a chat by when the chat's key alone will not
-- do: WeChat's web protocol gives every friend a new id at each login, so
-- its transport keeps here what it saw of the friend (avatar, nickname...)
-- to find them again. The platform's own text; '' for none.
ALTER TABLE subscribers ADD COLUMN identity TEXT NOT NULL DEFAULT '' CHECK (length(identity) <= 2000);
