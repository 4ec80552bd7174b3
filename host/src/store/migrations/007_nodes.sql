-- The servers (nodes) sharing this database, each registered at start and heartbeating while
-- it runs: GET /api/nodes. On SQLite there is only ever the one.
CREATE TABLE nodes (
    id            TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    started_at    INTEGER NOT NULL,
    heartbeat_at  INTEGER NOT NULL,
    stopped_at    INTEGER,
    sessions      INTEGER NOT NULL
);
