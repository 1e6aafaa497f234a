-- When a contact was last asked for a review, so they are asked at most once per period.
ALTER TABLE contacts ADD COLUMN last_review_at_us BIGINT;
