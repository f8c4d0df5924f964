-- A provider setting: launching into a client needs the member's own master password (the
-- server checks its hash), not only a valid session. Off for existing providers.
ALTER TABLE providers ADD COLUMN launch_requires_password BOOLEAN NOT NULL DEFAULT FALSE;
