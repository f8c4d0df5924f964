-- A collection's items in item-id order: a sync page reads each granted collection from the last
-- item id it sent, up to a bound, instead of walking every organization's item-collection pairs
-- by item id. Replaces the index on collection_id alone (which still serves deletes by
-- collection, as its prefix).
DROP INDEX cipher_collections_collection;
CREATE INDEX cipher_collections_collection ON cipher_collections(collection_id, cipher_id);
