-- frontdesk schema, PostgreSQL dialect. Instants are BIGINT microseconds since the Unix epoch (UTC),
-- ids are UUIDv7 text made in Rust, JSON documents are TEXT. Keep in step with ../sqlite.

CREATE TABLE businesses (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    profile_toml  TEXT NOT NULL,
    updated_at_us BIGINT NOT NULL
);

CREATE TABLE contacts (
    id            TEXT PRIMARY KEY,
    business_id   TEXT NOT NULL REFERENCES businesses(id),
    phone         TEXT NOT NULL,
    name          TEXT,
    vehicles      TEXT NOT NULL DEFAULT '[]',
    opted_out     BOOLEAN NOT NULL DEFAULT FALSE,
    opted_out_at_us BIGINT,
    notes         TEXT NOT NULL DEFAULT '',
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    UNIQUE (business_id, phone)
);

CREATE TABLE conversations (
    id            TEXT PRIMARY KEY,
    business_id   TEXT NOT NULL REFERENCES businesses(id),
    contact_id    TEXT REFERENCES contacts(id),
    channel       TEXT NOT NULL,
    external_id   TEXT,
    started_at_us BIGINT NOT NULL,
    ended_at_us   BIGINT,
    outcome       TEXT,
    summary       TEXT,
    state         TEXT NOT NULL DEFAULT '{}',
    version       BIGINT NOT NULL DEFAULT 0,
    UNIQUE (business_id, channel, external_id)
);
CREATE INDEX conversations_by_business_started ON conversations (business_id, started_at_us);
CREATE INDEX conversations_by_contact ON conversations (contact_id);

CREATE TABLE turns (
    id             TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq            BIGINT NOT NULL,
    speaker        TEXT NOT NULL,
    text           TEXT NOT NULL,
    understanding  TEXT,
    flow           TEXT,
    effects        TEXT NOT NULL DEFAULT '[]',
    processing_us  BIGINT,
    dedupe_key     TEXT,
    created_at_us  BIGINT NOT NULL,
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, dedupe_key)
);

CREATE TABLE appointments (
    id              TEXT PRIMARY KEY,
    business_id     TEXT NOT NULL REFERENCES businesses(id),
    contact_id      TEXT REFERENCES contacts(id),
    service_id      TEXT NOT NULL,
    start_us        BIGINT NOT NULL,
    end_us          BIGINT NOT NULL,
    status          TEXT NOT NULL,
    source          TEXT NOT NULL,
    vehicle         TEXT,
    notes           TEXT,
    external_id     TEXT,
    idempotency_key TEXT,
    created_at_us   BIGINT NOT NULL,
    updated_at_us   BIGINT NOT NULL,
    UNIQUE (business_id, idempotency_key)
);
CREATE INDEX appointments_by_business_start ON appointments (business_id, start_us);
CREATE INDEX appointments_by_contact ON appointments (contact_id);

CREATE TABLE tasks (
    id              TEXT PRIMARY KEY,
    business_id     TEXT NOT NULL REFERENCES businesses(id),
    contact_id      TEXT REFERENCES contacts(id),
    conversation_id TEXT REFERENCES conversations(id),
    kind            TEXT NOT NULL,
    urgency         TEXT NOT NULL,
    title           TEXT NOT NULL,
    context         TEXT NOT NULL DEFAULT '{}',
    done            BOOLEAN NOT NULL DEFAULT FALSE,
    done_note       TEXT,
    created_at_us   BIGINT NOT NULL,
    done_at_us      BIGINT
);
CREATE INDEX tasks_by_business ON tasks (business_id, done, created_at_us);

CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    business_id     TEXT,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    run_at_us       BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    max_attempts    BIGINT NOT NULL,
    status          TEXT NOT NULL,
    lease_until_us  BIGINT,
    leased_by       TEXT,
    idempotency_key TEXT UNIQUE,
    last_error      TEXT,
    created_at_us   BIGINT NOT NULL,
    updated_at_us   BIGINT NOT NULL
);
CREATE INDEX jobs_ready ON jobs (status, run_at_us);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    business_id TEXT,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '{}',
    at_us       BIGINT NOT NULL
);
CREATE INDEX audit_by_business ON audit_log (business_id, at_us);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    business_id   TEXT,
    created_at_us BIGINT NOT NULL
);
