-- Organizations: each client company's shared vault. Members, collections, groups, org items,
-- policies and the event log. Ids are TEXT UUIDs and times BIGINT milliseconds, as in 0001.
CREATE TABLE organizations (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    business_name   TEXT,
    billing_email   TEXT NOT NULL,
    plan_type       INTEGER NOT NULL,
    seats           INTEGER NOT NULL,
    max_collections INTEGER,
    public_key      TEXT,
    private_key     TEXT,
    api_key         TEXT NOT NULL,
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    creation_date   BIGINT NOT NULL,
    revision_date   BIGINT NOT NULL
);

-- One row per membership. While Invited, user_id is NULL and email is set; on accept the user is
-- bound and the email cleared. org_key is the org key wrapped to the member's public key (type 4).
CREATE TABLE org_users (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id       TEXT REFERENCES users(id) ON DELETE CASCADE,
    email         TEXT,
    member_type   INTEGER NOT NULL,
    status        INTEGER NOT NULL,
    org_key       TEXT,
    permissions   TEXT NOT NULL,
    external_id   TEXT,
    invited_at    BIGINT,
    -- Why a member was revoked: NULL by an admin, 1 by the two-step login policy (undone when
    -- the member turns two-step login on).
    revocation_reason INTEGER,
    creation_date BIGINT NOT NULL,
    revision_date BIGINT NOT NULL,
    UNIQUE (org_id, user_id),
    UNIQUE (org_id, email)
);
CREATE INDEX org_users_user ON org_users(user_id);

CREATE TABLE collections (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    external_id   TEXT,
    creation_date BIGINT NOT NULL,
    revision_date BIGINT NOT NULL
);
CREATE INDEX collections_org ON collections(org_id);

CREATE TABLE collection_users (
    collection_id  TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    org_user_id    TEXT NOT NULL REFERENCES org_users(id) ON DELETE CASCADE,
    read_only      BOOLEAN NOT NULL,
    hide_passwords BOOLEAN NOT NULL,
    manage         BOOLEAN NOT NULL,
    PRIMARY KEY (collection_id, org_user_id)
);
CREATE INDEX collection_users_member ON collection_users(org_user_id);

CREATE TABLE org_groups (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    external_id   TEXT,
    creation_date BIGINT NOT NULL,
    revision_date BIGINT NOT NULL
);
CREATE INDEX org_groups_org ON org_groups(org_id);

CREATE TABLE group_users (
    group_id    TEXT NOT NULL REFERENCES org_groups(id) ON DELETE CASCADE,
    org_user_id TEXT NOT NULL REFERENCES org_users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, org_user_id)
);
CREATE INDEX group_users_member ON group_users(org_user_id);

CREATE TABLE collection_groups (
    collection_id  TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    group_id       TEXT NOT NULL REFERENCES org_groups(id) ON DELETE CASCADE,
    read_only      BOOLEAN NOT NULL,
    hide_passwords BOOLEAN NOT NULL,
    manage         BOOLEAN NOT NULL,
    PRIMARY KEY (collection_id, group_id)
);
CREATE INDEX collection_groups_group ON collection_groups(group_id);

-- An org item has org_id set and user_id NULL; a personal item the reverse.
ALTER TABLE ciphers ADD COLUMN org_id TEXT REFERENCES organizations(id) ON DELETE CASCADE;
CREATE INDEX ciphers_org ON ciphers(org_id, id);

CREATE TABLE cipher_collections (
    cipher_id     TEXT NOT NULL REFERENCES ciphers(id) ON DELETE CASCADE,
    collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    PRIMARY KEY (cipher_id, collection_id)
);
CREATE INDEX cipher_collections_collection ON cipher_collections(collection_id);

CREATE TABLE policies (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    policy_type   INTEGER NOT NULL,
    enabled       BOOLEAN NOT NULL,
    data          TEXT,
    revision_date BIGINT NOT NULL,
    UNIQUE (org_id, policy_type)
);

-- The audit log. No foreign keys: events outlive what they describe.
CREATE TABLE events (
    id              TEXT PRIMARY KEY,
    event_type      INTEGER NOT NULL,
    date            BIGINT NOT NULL,
    org_id          TEXT,
    user_id         TEXT,
    acting_user_id  TEXT,
    org_user_id     TEXT,
    cipher_id       TEXT,
    collection_id   TEXT,
    group_id        TEXT,
    policy_id       TEXT,
    provider_id     TEXT,
    provider_user_id TEXT,
    provider_org_id TEXT,
    device_type     INTEGER,
    ip_address      TEXT
);
CREATE INDEX events_org ON events(org_id, date, id);
CREATE INDEX events_user ON events(user_id, date, id);
CREATE INDEX events_cipher ON events(cipher_id, date, id);
