-- The servers (nodes) sharing this database, as migrations/003_nodes.sql (SQLite): each
-- registers at start and heartbeats while it runs; GET /api/nodes lists them.
CREATE TABLE nodes (
    id            TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    started_at    BIGINT NOT NULL,
    heartbeat_at  BIGINT NOT NULL,
    stopped_at    BIGINT,
    sessions      BIGINT NOT NULL
);
