-- Core schema: users, devices, refresh tokens, folders, ciphers, settings.
-- Ids are TEXT UUIDs and times are BIGINT milliseconds on both backends.
CREATE TABLE server_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL UNIQUE,
    name             TEXT,
    password_hash    TEXT NOT NULL,
    password_hint    TEXT,
    kdf_type         INTEGER NOT NULL,
    kdf_iterations   INTEGER NOT NULL,
    kdf_memory       INTEGER,
    kdf_parallelism  INTEGER,
    user_key         TEXT NOT NULL,
    public_key       TEXT,
    private_key      TEXT,
    security_stamp   TEXT NOT NULL,
    user_key_id      TEXT,
    api_key          TEXT NOT NULL,
    culture          TEXT NOT NULL,
    creation_date    BIGINT NOT NULL,
    revision_date    BIGINT NOT NULL
);

CREATE TABLE devices (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    identifier    TEXT NOT NULL,
    device_type   INTEGER NOT NULL,
    name          TEXT NOT NULL,
    creation_date BIGINT NOT NULL,
    last_seen     BIGINT NOT NULL,
    UNIQUE (user_id, identifier)
);

CREATE TABLE refresh_tokens (
    token_hash     TEXT PRIMARY KEY,
    family         TEXT NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_id      TEXT REFERENCES devices(id) ON DELETE CASCADE,
    client_id      TEXT NOT NULL,
    security_stamp TEXT NOT NULL,
    created        BIGINT NOT NULL,
    expires        BIGINT NOT NULL,
    used           BIGINT,
    revoked        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family);
CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);

CREATE TABLE folders (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    revision_date BIGINT NOT NULL
);
CREATE INDEX folders_user ON folders(user_id);

CREATE TABLE ciphers (
    id            TEXT PRIMARY KEY,
    user_id       TEXT REFERENCES users(id) ON DELETE CASCADE,
    cipher_type   INTEGER NOT NULL,
    data          TEXT NOT NULL,
    creation_date BIGINT NOT NULL,
    revision_date BIGINT NOT NULL,
    deleted_date  BIGINT,
    archived_date BIGINT
);
CREATE INDEX ciphers_user ON ciphers(user_id, id);

-- Per-user settings of an item: folder and favorite (org items are shared, these are not).
CREATE TABLE cipher_user_state (
    cipher_id TEXT NOT NULL REFERENCES ciphers(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    folder_id TEXT REFERENCES folders(id) ON DELETE SET NULL,
    favorite  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (cipher_id, user_id)
);
CREATE INDEX cipher_user_state_folder ON cipher_user_state(folder_id);
