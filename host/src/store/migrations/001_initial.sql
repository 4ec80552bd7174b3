-- Projects, tasks (subtasks are tasks with a parent), the event log and idempotency keys.
-- Each entity row keeps the columns that queries filter and sort on, plus `json`: the
-- entity as the API renders it, written in the same statement as the columns. Reads serve
-- `json` directly, so listing 100 tasks is one indexed scan and no re-rendering.

CREATE TABLE projects (
    id          TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    json        TEXT NOT NULL
);
CREATE INDEX projects_by_created ON projects (created_at);

CREATE TABLE tasks (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id),
    parent_id   TEXT REFERENCES tasks (id),
    status      TEXT NOT NULL CHECK (status IN ('todo','in_progress','blocked','completed','cancelled')),
    sort_order  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    json        TEXT NOT NULL
);
CREATE INDEX tasks_by_project ON tasks (project_id, created_at);
CREATE INDEX tasks_by_parent ON tasks (parent_id, sort_order);
-- Finds the next sibling position of a top-level task without scanning the project.
CREATE INDEX tasks_by_position ON tasks (project_id, parent_id, sort_order);
CREATE INDEX tasks_by_status ON tasks (project_id, status);

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    type        TEXT NOT NULL,
    project_id  TEXT,
    data        TEXT NOT NULL,
    timestamp   INTEGER NOT NULL
);
CREATE INDEX events_by_project ON events (project_id, seq);

CREATE TABLE idempotency_keys (
    key           TEXT PRIMARY KEY,
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL,
    body          TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);
