-- The code of the link a chat first came by (Telegram's
-- t.me/<bot>?start=<code>), when it named no tag: who sent the reader, for
-- /stats. '' when the chat came by no link.
ALTER TABLE subscribers ADD COLUMN referral TEXT NOT NULL DEFAULT '' CHECK (length(referral) <= 64);
