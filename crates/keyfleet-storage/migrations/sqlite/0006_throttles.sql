-- Login and two-step throttles: one row per (scope, key) counting the attempts of a fixed window
-- that started with its first attempt. Kept in the database so a restart does not clear a
-- lock-out and every instance on one database shares the same budget; an attempt is counted
-- before its password is verified (one atomic upsert), so concurrent attempts cannot all slip
-- under the limit.
CREATE TABLE throttles (
    scope        TEXT NOT NULL,
    throttle_key TEXT NOT NULL,
    hits         BIGINT NOT NULL,
    reset_at     BIGINT NOT NULL,
    PRIMARY KEY (scope, throttle_key)
);
CREATE INDEX throttles_reset ON throttles(reset_at);
