-- A task made by a conversation turn carries the turn's effect key: running the turn again (after
-- a crash or a conflict) finds the task instead of making a second one.
ALTER TABLE tasks ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX tasks_by_key ON tasks (idempotency_key);
