-- Send: a text (or, later, a file) shared by link. Content, notes and key are EncStrings the
-- server cannot read; password_hash is an Argon2id hash of the client's own hash of the
-- password. Times are milliseconds, as everywhere.
CREATE TABLE sends (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    send_type        INTEGER NOT NULL,
    name             TEXT NOT NULL,
    notes            TEXT,
    text_value       TEXT,
    text_hidden      BOOLEAN NOT NULL DEFAULT FALSE,
    file_data        TEXT,
    send_key         TEXT NOT NULL,
    password_hash    TEXT,
    max_access_count BIGINT,
    access_count     BIGINT NOT NULL DEFAULT 0,
    creation_date    BIGINT NOT NULL,
    revision_date    BIGINT NOT NULL,
    expiration_date  BIGINT,
    deletion_date    BIGINT NOT NULL,
    disabled         BOOLEAN NOT NULL DEFAULT FALSE,
    hide_email       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sends_user ON sends(user_id);
CREATE INDEX sends_deletion ON sends(deletion_date);
