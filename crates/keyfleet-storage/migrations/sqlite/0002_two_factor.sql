-- Two-step login: enabled providers per user, a hashed recovery code, remembered devices.
CREATE TABLE two_factor (
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider       INTEGER NOT NULL,
    enabled        BOOLEAN NOT NULL,
    data           TEXT NOT NULL,
    last_used_step BIGINT,
    revision_date  BIGINT NOT NULL,
    PRIMARY KEY (user_id, provider)
);

ALTER TABLE users ADD COLUMN recovery_code_hash TEXT;

ALTER TABLE devices ADD COLUMN remember_token_hash TEXT;
ALTER TABLE devices ADD COLUMN remember_expires BIGINT;
