-- The secret in a business's subscribe-able calendar feed URL (/calendar/{secret}.ics); rotatable.
ALTER TABLE businesses ADD COLUMN feed_secret TEXT;
CREATE UNIQUE INDEX businesses_by_feed_secret ON businesses (feed_secret);
