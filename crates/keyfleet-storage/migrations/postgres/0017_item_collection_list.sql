-- Each org item carries the list of its collections (comma-separated, as the readable-ciphers
-- query aggregates them), kept by a trigger on `cipher_collections`, so every write that puts an
-- item in a collection or takes it out (an item's save, a collection's deletion through its
-- cascade, an import) keeps it without a line of its own. A member's sync then walks their
-- organization's items by `ciphers_org`, as a personal sync walks `ciphers_user`, and works out
-- each item's rights from the list and the member's grants: no aggregate per item, no probe of
-- the item by id. The trigger runs once per statement, over the items the statement touched.
ALTER TABLE ciphers ADD COLUMN collection_list TEXT;

UPDATE ciphers SET collection_list = (
    SELECT string_agg(collection_id, ',') FROM cipher_collections WHERE cipher_id = ciphers.id
) WHERE org_id IS NOT NULL;

CREATE FUNCTION list_cipher_collections() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE ciphers c SET collection_list = (
            SELECT string_agg(cc.collection_id, ',') FROM cipher_collections cc
            WHERE cc.cipher_id = c.id
        ) WHERE c.id IN (SELECT DISTINCT cipher_id FROM changed_new);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE ciphers c SET collection_list = (
            SELECT string_agg(cc.collection_id, ',') FROM cipher_collections cc
            WHERE cc.cipher_id = c.id
        ) WHERE c.id IN (SELECT DISTINCT cipher_id FROM changed_old);
    ELSE
        UPDATE ciphers c SET collection_list = (
            SELECT string_agg(cc.collection_id, ',') FROM cipher_collections cc
            WHERE cc.cipher_id = c.id
        ) WHERE c.id IN (SELECT cipher_id FROM changed_old UNION SELECT cipher_id FROM changed_new);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER cipher_collections_listed AFTER INSERT ON cipher_collections
    REFERENCING NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION list_cipher_collections();
CREATE TRIGGER cipher_collections_unlisted AFTER DELETE ON cipher_collections
    REFERENCING OLD TABLE AS changed_old
    FOR EACH STATEMENT EXECUTE FUNCTION list_cipher_collections();
CREATE TRIGGER cipher_collections_relisted AFTER UPDATE ON cipher_collections
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION list_cipher_collections();
