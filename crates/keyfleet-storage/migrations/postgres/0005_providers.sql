-- Providers (MSPs): their members, custom roles, client organizations and who is assigned to
-- which client. Ids are TEXT UUIDs and times BIGINT milliseconds, as in 0001.
CREATE TABLE providers (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    business_name TEXT,
    billing_email TEXT,
    -- ProviderStatusType: 0 Pending (owner has not set it up), 1 Created.
    status        INTEGER NOT NULL,
    -- Off: no member reaches the provider or its clients through it.
    enabled       BOOLEAN NOT NULL,
    creation_date BIGINT NOT NULL,
    revision_date BIGINT NOT NULL
);

-- A named set of permissions from the catalog (JSON array of names), for all or assigned clients.
CREATE TABLE provider_roles (
    id            TEXT PRIMARY KEY,
    provider_id   TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    permissions   TEXT NOT NULL,
    assigned_only BOOLEAN NOT NULL,
    creation_date BIGINT NOT NULL,
    revision_date BIGINT NOT NULL,
    UNIQUE (provider_id, name)
);

-- One row per membership (or invitation). While invited, user_id is NULL and email set. key is
-- the provider key wrapped to the member's public key (type 4), set on confirm; deleting the row
-- destroys it. role: 0 owner, 1 admin, 2 technician, 3 custom (role_id).
CREATE TABLE provider_users (
    id            TEXT PRIMARY KEY,
    provider_id   TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    user_id       TEXT REFERENCES users(id) ON DELETE CASCADE,
    email         TEXT,
    role          INTEGER NOT NULL,
    role_id       TEXT REFERENCES provider_roles(id),
    status        INTEGER NOT NULL,
    suspended     BOOLEAN NOT NULL,
    provider_key  TEXT,
    invited_at    BIGINT,
    creation_date BIGINT NOT NULL,
    revision_date BIGINT NOT NULL,
    UNIQUE (provider_id, user_id),
    UNIQUE (provider_id, email)
);
CREATE INDEX provider_users_user ON provider_users(user_id);
CREATE INDEX provider_users_role ON provider_users(role_id);

-- The link between a provider and a client organization (at most one provider per org). org_key
-- is the client's org key wrapped with the provider key (type 2).
CREATE TABLE provider_orgs (
    id            TEXT PRIMARY KEY,
    provider_id   TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    org_id        TEXT NOT NULL UNIQUE REFERENCES organizations(id) ON DELETE CASCADE,
    org_key       TEXT NOT NULL,
    website       TEXT,
    region        TEXT,
    notes         TEXT,
    creation_date BIGINT NOT NULL,
    revision_date BIGINT NOT NULL
);
CREATE INDEX provider_orgs_provider ON provider_orgs(provider_id);

-- Which member is assigned to which client (technicians and assigned-scope roles see only these).
CREATE TABLE provider_assignments (
    provider_user_id TEXT NOT NULL REFERENCES provider_users(id) ON DELETE CASCADE,
    provider_org_id  TEXT NOT NULL REFERENCES provider_orgs(id) ON DELETE CASCADE,
    PRIMARY KEY (provider_user_id, provider_org_id)
);
CREATE INDEX provider_assignments_org ON provider_assignments(provider_org_id);

CREATE INDEX events_provider ON events(provider_id, date, id);
