-- The node each session runs on (docs/scale-out.md): a node recovers its own sessions at
-- start, and a survivor marks those of a node that stopped heartbeating `lost`. Sessions
-- from before have none. (Only nodes sharing PostgreSQL lose sessions, so the status check
-- of migration 002 stays as it is here: no client may set `lost`.)
ALTER TABLE sessions ADD COLUMN node_id TEXT;
CREATE INDEX sessions_by_node ON sessions (node_id, status);

-- Settings every node of the cluster shares: the secret that authenticates one node to another.
CREATE TABLE cluster_settings (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
