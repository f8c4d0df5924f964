-- WebAuthn two-step login: ceremony state between the challenge and the browser's answer. Kept in
-- the database (not in memory) so any server instance can finish a ceremony another one started;
-- a row is deleted when it is used, so each challenge is good for one answer only.
CREATE TABLE webauthn_challenges (
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose   TEXT NOT NULL,
    challenge TEXT NOT NULL,
    state     TEXT NOT NULL,
    expires   BIGINT NOT NULL,
    PRIMARY KEY (user_id, purpose, challenge)
);
