-- Each org item carries the list of its collections (comma-separated, in id order), kept by
-- triggers on `cipher_collections`, so every write that puts an item in a collection or takes it
-- out (an item's save, a collection's deletion through its cascade, an import) keeps it without
-- a line of its own. A member's sync then walks their organization's items by `ciphers_org`, as a
-- personal sync walks `ciphers_user`, and works out each item's rights from the list and the
-- member's grants: no aggregate per item, no probe of the item by id. A write that already
-- stored the right list (a new item's insert) costs the triggers no second write of the row.
ALTER TABLE ciphers ADD COLUMN collection_list TEXT;

UPDATE ciphers SET collection_list = (
    SELECT group_concat(collection_id, ',' ORDER BY collection_id) FROM cipher_collections
    WHERE cipher_id = ciphers.id
) WHERE org_id IS NOT NULL;

CREATE TRIGGER cipher_collections_listed AFTER INSERT ON cipher_collections
BEGIN
    UPDATE ciphers SET collection_list = (
        SELECT group_concat(collection_id, ',' ORDER BY collection_id) FROM cipher_collections
        WHERE cipher_id = NEW.cipher_id
    ) WHERE id = NEW.cipher_id AND collection_list IS NOT (
        SELECT group_concat(collection_id, ',' ORDER BY collection_id) FROM cipher_collections
        WHERE cipher_id = NEW.cipher_id
    );
END;

CREATE TRIGGER cipher_collections_unlisted AFTER DELETE ON cipher_collections
BEGIN
    UPDATE ciphers SET collection_list = (
        SELECT group_concat(collection_id, ',' ORDER BY collection_id) FROM cipher_collections
        WHERE cipher_id = OLD.cipher_id
    ) WHERE id = OLD.cipher_id;
END;

CREATE TRIGGER cipher_collections_relisted AFTER UPDATE ON cipher_collections
BEGIN
    UPDATE ciphers SET collection_list = (
        SELECT group_concat(collection_id, ',' ORDER BY collection_id) FROM cipher_collections
        WHERE cipher_id = OLD.cipher_id
    ) WHERE id = OLD.cipher_id;
    UPDATE ciphers SET collection_list = (
        SELECT group_concat(collection_id, ',' ORDER BY collection_id) FROM cipher_collections
        WHERE cipher_id = NEW.cipher_id
    ) WHERE id = NEW.cipher_id;
END;
