-- A user's folder and favorite rows in item-id order. A sync page of own or walked items merges
-- the user's rows from the page's first id with the page (`page_state_join`); with only the
-- primary key (item, user), PostgreSQL read every user's rows for each page, a cost that grew
-- with the server, not the vault. It also serves deleting a user's rows with the account.
CREATE INDEX cipher_user_state_user ON cipher_user_state(user_id, cipher_id);
