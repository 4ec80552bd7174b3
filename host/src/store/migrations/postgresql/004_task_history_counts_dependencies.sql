-- SQLite's migrations 003-006 in PostgreSQL's terms (see those files for the why): a task's
-- timeline in rows of its own, task counts kept on write, task dependencies as rows, and the
-- partial indexes every paged list is a range of. PostgreSQL databases were first created
-- with the store's version that has this migration, so there is no existing data to move.

CREATE TABLE task_timeline (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id     TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    type        TEXT NOT NULL,
    timestamp   BIGINT NOT NULL,
    message     TEXT NOT NULL,
    session_id  TEXT,
    about_task_id TEXT,
    metadata    TEXT
);
CREATE INDEX task_timeline_by_task ON task_timeline (task_id, seq);
CREATE INDEX task_timeline_by_id ON task_timeline (task_id, id);

-- One row per (kind, scope, status), as migrations/004_task_counts.sql: all '', project <id>,
-- top '' and top <project id>, parent <task id>. A row that drops to zero is deleted.
CREATE TABLE task_counts (
    kind    TEXT NOT NULL,
    scope   TEXT NOT NULL,
    status  TEXT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (kind, scope, status)
);

CREATE FUNCTION task_count_change(project TEXT, parent TEXT, task_status TEXT, delta BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_counts AS c (kind, scope, status, n) VALUES
        ('all', '', task_status, delta),
        ('project', project, task_status, delta),
        (CASE WHEN parent IS NULL THEN 'top' ELSE 'parent' END, COALESCE(parent, project),
         task_status, delta)
    ON CONFLICT (kind, scope, status) DO UPDATE SET n = c.n + excluded.n;
    IF parent IS NULL THEN
        INSERT INTO task_counts AS c (kind, scope, status, n) VALUES ('top', '', task_status, delta)
        ON CONFLICT (kind, scope, status) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    DELETE FROM task_counts
    WHERE n = 0 AND status = task_status
      AND scope IN ('', project, COALESCE(parent, ''));
END
$$;

CREATE FUNCTION tasks_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM task_count_change(NEW.project_id, NEW.parent_id, NEW.status, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM task_count_change(OLD.project_id, OLD.parent_id, OLD.status, -1);
    ELSIF OLD.status <> NEW.status THEN
        PERFORM task_count_change(OLD.project_id, OLD.parent_id, OLD.status, -1);
        PERFORM task_count_change(NEW.project_id, NEW.parent_id, NEW.status, 1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER tasks_counted AFTER INSERT OR DELETE OR UPDATE OF status ON tasks
    FOR EACH ROW EXECUTE FUNCTION tasks_count();

DROP INDEX tasks_by_status;
CREATE INDEX tasks_by_status ON tasks (project_id, status, created_at);
CREATE INDEX tasks_top_by_project ON tasks (project_id, created_at) WHERE parent_id IS NULL;
CREATE INDEX tasks_top_by_status ON tasks (project_id, status, created_at)
WHERE parent_id IS NULL;
DROP INDEX tasks_by_position;
CREATE INDEX tasks_top_by_position ON tasks (project_id, sort_order) WHERE parent_id IS NULL;
DROP INDEX tasks_by_parent;
CREATE INDEX tasks_by_parent ON tasks (parent_id, sort_order, created_at)
WHERE parent_id IS NOT NULL;
CREATE INDEX tasks_children_by_status ON tasks (parent_id, status, sort_order, created_at)
WHERE parent_id IS NOT NULL;

CREATE TABLE task_dependencies (
    task_id     TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    depends_on  TEXT NOT NULL,
    PRIMARY KEY (task_id, depends_on)
);
CREATE INDEX task_dependencies_by_target ON task_dependencies (depends_on);

CREATE INDEX sessions_live ON sessions (project_id, started_at)
WHERE status IN ('spawning','running','idle','working');
