-- Where in the chat digests go, for platforms whose chats have parts (a
-- Telegram forum's topics): the topic an admin started the subscription
-- from. '' is the chat's main part (General).
ALTER TABLE subscribers ADD COLUMN thread TEXT NOT NULL DEFAULT '' CHECK (length(thread) <= 64);
