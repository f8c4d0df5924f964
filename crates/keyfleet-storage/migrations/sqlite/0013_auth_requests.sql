-- Log in with a device (Bitwarden's auth requests). A logged-out device the account used before
-- asks to log in; a logged-in device approves by wrapping the user key to public_key (the
-- server cannot open `key`). The access code is kept only as a keyed digest (HMAC under a
-- server secret); the requester presents the code to read the answer and, once, to log in
-- (authentication_date is the one-use mark). Ids TEXT, times BIGINT milliseconds.
CREATE TABLE auth_requests (
    id                        TEXT PRIMARY KEY,
    user_id                   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    request_type              INTEGER NOT NULL,
    request_device_identifier TEXT NOT NULL,
    request_device_type       INTEGER NOT NULL,
    request_ip                TEXT NOT NULL,
    public_key                TEXT NOT NULL,
    access_code_digest        TEXT NOT NULL,
    key                       TEXT,
    master_password_hash      TEXT,
    creation_date             BIGINT NOT NULL,
    response_date             BIGINT,
    approved                  BOOLEAN,
    response_device_id        TEXT REFERENCES devices(id) ON DELETE SET NULL,
    authentication_date       BIGINT
);
CREATE INDEX auth_requests_user ON auth_requests(user_id, creation_date);
