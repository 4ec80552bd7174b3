-- The node each session runs on, and the settings the nodes share, as
-- migrations/008_session_nodes.sql (SQLite); and `lost`, the status of a session whose node
-- stopped heartbeating.
ALTER TABLE sessions ADD COLUMN node_id TEXT;
CREATE INDEX sessions_by_node ON sessions (node_id, status);
ALTER TABLE sessions DROP CONSTRAINT sessions_status_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_status_check
    CHECK (status IN ('spawning','running','idle','working','completed','failed','stopped','lost'));

CREATE TABLE cluster_settings (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
