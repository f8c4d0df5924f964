-- Emergency access: a grantor's trusted contact (the grantee), invited by address, who may view
-- the grantor's personal items or take the account over after a wait time. key_encrypted is the
-- grantor's user key wrapped to the grantee's public key (a type-4 EncString the grantor's
-- client made): the server cannot open it. access_type and status are the protocol's numbers
-- (View 0, Takeover 1; Invited 0 … RecoveryApproved 4). Times are milliseconds. Deleting either
-- account deletes its rows.
CREATE TABLE emergency_access (
    id                    TEXT PRIMARY KEY,
    grantor_id            TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    grantee_id            TEXT REFERENCES users(id) ON DELETE CASCADE,
    email                 TEXT,
    key_encrypted         TEXT,
    access_type           INTEGER NOT NULL,
    status                INTEGER NOT NULL,
    wait_time_days        INTEGER NOT NULL,
    recovery_initiated_at BIGINT,
    last_notification_at  BIGINT,
    invited_at            BIGINT,
    creation_date         BIGINT NOT NULL,
    revision_date         BIGINT NOT NULL
);
CREATE INDEX emergency_access_grantor ON emergency_access(grantor_id);
CREATE INDEX emergency_access_grantee ON emergency_access(grantee_id);
CREATE INDEX emergency_access_pending ON emergency_access(status, recovery_initiated_at);
