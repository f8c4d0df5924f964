-- Admin approval of device logins (auth request type 2): one row per organization of the
-- requesting member, answered by that organization's administrators with the member's user key
-- (unwrapped from the account recovery enrolment on the administrator's client) wrapped to the
-- request's public key. NULL for a member's own requests (types 0 and 1).
ALTER TABLE auth_requests ADD COLUMN organization_id TEXT REFERENCES organizations(id) ON DELETE CASCADE;
CREATE INDEX auth_requests_org ON auth_requests(organization_id, creation_date);
-- Trusted-device keys (Bitwarden's trusted-device encryption, served for protocol completeness):
-- the user key wrapped to the device's public key, that public key under the user key, and the
-- device's private key under the device's own key. Ciphertext only; NULL when not trusted.
ALTER TABLE devices ADD COLUMN encrypted_user_key TEXT;
ALTER TABLE devices ADD COLUMN encrypted_public_key TEXT;
ALTER TABLE devices ADD COLUMN encrypted_private_key TEXT;
