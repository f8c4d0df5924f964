-- Attachments: files the clients encrypted, kept by the FileStore under
-- attachments/<cipher_id>/<id>. file_name and attachment_key are EncStrings; size is the
-- announced byte count (what the upload must match and what storage totals count); uploaded
-- turns true once the whole file is stored (until then nothing shows the attachment).
CREATE TABLE attachments (
    id             TEXT PRIMARY KEY,
    cipher_id      TEXT NOT NULL REFERENCES ciphers(id) ON DELETE CASCADE,
    file_name      TEXT NOT NULL,
    attachment_key TEXT NOT NULL,
    size           BIGINT NOT NULL,
    uploaded       BOOLEAN NOT NULL DEFAULT FALSE,
    creation_date  BIGINT NOT NULL
);
CREATE INDEX attachments_cipher ON attachments(cipher_id);

-- The files whose rows are gone (the row's own delete, or its item's: a purge, an emptied
-- trash, a deleted account or organization, all by cascade). The trigger queues them in the
-- deleting transaction; the server deletes the files afterwards and then the queue rows, so a
-- crash in between only delays the deletion to the next sweep.
CREATE TABLE attachment_file_deletions (
    cipher_id     TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    PRIMARY KEY (cipher_id, attachment_id)
);
CREATE TRIGGER attachments_queue_file_deletion AFTER DELETE ON attachments
BEGIN
    INSERT OR IGNORE INTO attachment_file_deletions (cipher_id, attachment_id)
    VALUES (OLD.cipher_id, OLD.id);
END;
