-- Replies and other texts a person is waiting for are claimed before follow-ups and digests.
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 10;
CREATE INDEX jobs_by_priority ON jobs (status, priority, run_at_us);
