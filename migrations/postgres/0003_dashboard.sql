-- Dashboard sessions (the token is stored hashed) and the history of profile edits.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    csrf          TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT NOT NULL,
    revoked_at_us BIGINT
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE profile_versions (
    id            TEXT PRIMARY KEY,
    business_id   TEXT NOT NULL,
    profile_toml  TEXT NOT NULL,
    actor         TEXT NOT NULL,
    note          TEXT NOT NULL,
    at_us         BIGINT NOT NULL
);
CREATE INDEX profile_versions_by_business ON profile_versions (business_id, at_us);
