-- Account recovery (Bitwarden's "admin password reset", policy type 8).
-- reset_password_key: the member's user key wrapped to the organization's public key (a type-4
-- EncString the member's own client made when enrolling); NULL while not enrolled. The server
-- cannot open it: only a client holding the org key (and so the org private key) can.
ALTER TABLE org_users ADD COLUMN reset_password_key TEXT;
-- Set when an administrator recovered the account: clients then ask the member for a new master
-- password (`ForcePasswordReset`); PUT /accounts/update-temp-password clears it.
ALTER TABLE users ADD COLUMN force_password_reset BOOLEAN NOT NULL DEFAULT FALSE;
