-- Sign-in limits and the briefing storm rule count audit entries by actor and action since a
-- time: an index instead of a scan of the whole log.
CREATE INDEX audit_by_actor ON audit_log (actor, action, at_us);
