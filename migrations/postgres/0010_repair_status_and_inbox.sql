-- Repair status, estimates approved by text, and the shared inbox (issue 17). Keep in step with
-- the other dialect.

-- Where the car stands after check-in (checked_in ... picked_up), with staff's note and time.
ALTER TABLE appointments ADD COLUMN work_status TEXT;
ALTER TABLE appointments ADD COLUMN work_note TEXT;
ALTER TABLE appointments ADD COLUMN work_expected_us BIGINT;
ALTER TABLE appointments ADD COLUMN work_updated_us BIGINT;
CREATE INDEX appointments_by_work ON appointments (business_id, work_status);

-- An estimate staff typed, sent to the customer; the first answer (approved, declined or a
-- question) is kept with its time and the exact text.
CREATE TABLE estimates (
    id              TEXT PRIMARY KEY,
    business_id     TEXT NOT NULL REFERENCES businesses(id),
    appointment_id  TEXT NOT NULL REFERENCES appointments(id),
    amount_cents    BIGINT NOT NULL,
    description     TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at_us   BIGINT NOT NULL,
    answer          TEXT,
    answer_text     TEXT,
    answered_at_us  BIGINT
);
CREATE INDEX estimates_by_appointment ON estimates (appointment_id);

-- A staff member took the thread over: the assistant stays quiet there until then.
ALTER TABLE contacts ADD COLUMN paused_until_us BIGINT;
ALTER TABLE contacts ADD COLUMN paused_by TEXT;

-- The shared inbox's read mark, per conversation.
ALTER TABLE conversations ADD COLUMN read_at_us BIGINT;
