-- Projects, tasks (subtasks are tasks with a parent), the event log and idempotency keys: the
-- schema of migrations/001_initial.sql (SQLite) in PostgreSQL's terms, so that one set of
-- repository SQL serves both. Each entity row keeps the columns that queries filter and sort
-- on, plus `json`: the entity as the API renders it. `rowid` stands in for SQLite's implicit
-- row id, the tie-breaker of insertion order in list queries.

CREATE TABLE projects (
    rowid       BIGINT GENERATED ALWAYS AS IDENTITY,
    id          TEXT PRIMARY KEY,
    created_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    json        TEXT NOT NULL
);
CREATE INDEX projects_by_created ON projects (created_at);

CREATE TABLE tasks (
    rowid       BIGINT GENERATED ALWAYS AS IDENTITY,
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id),
    parent_id   TEXT REFERENCES tasks (id),
    status      TEXT NOT NULL CHECK (status IN ('todo','in_progress','blocked','completed','cancelled')),
    sort_order  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    json        TEXT NOT NULL
);
CREATE INDEX tasks_by_project ON tasks (project_id, created_at);
CREATE INDEX tasks_by_parent ON tasks (parent_id, sort_order);
-- Finds the next sibling position of a top-level task without scanning the project.
CREATE INDEX tasks_by_position ON tasks (project_id, parent_id, sort_order);
CREATE INDEX tasks_by_status ON tasks (project_id, status);

-- The event log. seq is global and gap-free, and events become visible in seq order: every
-- transaction that appends an event takes the next number from the one row of event_head,
-- and the row's lock, held until COMMIT, makes the next such transaction wait for this one
-- to end. A rolled-back transaction gives its numbers back with the row's old value. (A
-- sequence would leave gaps on rollback, and numbers taken early could commit late.) See
-- docs/architecture.md, "Events".
CREATE TABLE event_head (
    last_seq    BIGINT NOT NULL
);
INSERT INTO event_head (last_seq) VALUES (0);

CREATE TABLE events (
    seq         BIGINT PRIMARY KEY,
    type        TEXT NOT NULL,
    project_id  TEXT,
    data        TEXT NOT NULL,
    timestamp   BIGINT NOT NULL
);
CREATE INDEX events_by_project ON events (project_id, seq);

-- Also tells the other servers (LISTEN maestro_events) that events are coming: PostgreSQL
-- delivers a notification when the transaction commits, once however many events it holds.
CREATE FUNCTION events_take_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE event_head SET last_seq = last_seq + 1 RETURNING last_seq INTO NEW.seq;
    PERFORM pg_notify('maestro_events', '');
    RETURN NEW;
END
$$;
CREATE TRIGGER events_seq BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION events_take_seq();

CREATE TABLE idempotency_keys (
    key           TEXT PRIMARY KEY,
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        BIGINT NOT NULL,
    body          TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);
