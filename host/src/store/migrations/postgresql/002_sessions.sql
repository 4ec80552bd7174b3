-- Agent sessions, as migrations/002_sessions.sql (SQLite): query columns plus the rendered
-- session as `json`.
CREATE TABLE sessions (
    rowid       BIGINT GENERATED ALWAYS AS IDENTITY,
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id),
    status      TEXT NOT NULL CHECK (status IN ('spawning','running','idle','working','completed','failed','stopped')),
    started_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    json        TEXT NOT NULL
);
CREATE INDEX sessions_by_project ON sessions (project_id, started_at);
CREATE INDEX sessions_by_status ON sessions (status);

-- Which sessions work on which task: a row per pair.
CREATE TABLE session_tasks (
    session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    task_id     TEXT NOT NULL,
    PRIMARY KEY (session_id, task_id)
);
CREATE INDEX session_tasks_by_task ON session_tasks (task_id);
