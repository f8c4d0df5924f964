-- The revision of everything an organization's members sync from it (items, collections, groups,
-- policies, the organization itself), bumped once per organization write. An account's revision
-- date, as read, is the greater of its own `users.revision_date` and this date for every
-- organization it is bound to (org_users.user_id): a write in an organization of 500 members
-- rewrites one narrow row instead of 500 `users` rows. No row yet means no write since this
-- migration: every member's own revision already covers what happened before.
CREATE TABLE org_revisions (
    org_id        TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    revision_date BIGINT NOT NULL
);
