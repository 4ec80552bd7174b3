-- Counts maintained on write, so a list's X-Total-Count and /api/status read a handful of
-- rows instead of counting a project's tasks. One row per (kind, scope, status):
--   all     ''            every task
--   project <project id>  the project's tasks
--   top     ''            top-level tasks (no parent), of every project
--   top     <project id>  the project's top-level tasks
--   parent  <task id>     the task's direct children
-- Triggers keep them: a task row counts in its scopes under its status. A row that drops to
-- zero is deleted, so the rows of deleted parents do not pile up.
CREATE TABLE task_counts (
    kind    TEXT NOT NULL,
    scope   TEXT NOT NULL,
    status  TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (kind, scope, status)
);

INSERT INTO task_counts (kind, scope, status, n)
SELECT 'all', '', status, COUNT(*) FROM tasks GROUP BY status;
INSERT INTO task_counts (kind, scope, status, n)
SELECT 'project', project_id, status, COUNT(*) FROM tasks GROUP BY project_id, status;
INSERT INTO task_counts (kind, scope, status, n)
SELECT 'top', '', status, COUNT(*) FROM tasks WHERE parent_id IS NULL GROUP BY status;
INSERT INTO task_counts (kind, scope, status, n)
SELECT 'top', project_id, status, COUNT(*) FROM tasks WHERE parent_id IS NULL
GROUP BY project_id, status;
INSERT INTO task_counts (kind, scope, status, n)
SELECT 'parent', parent_id, status, COUNT(*) FROM tasks WHERE parent_id IS NOT NULL
GROUP BY parent_id, status;

-- Every change of a count goes through this view: a row inserted into it (a task's project,
-- parent and status, and +1 or -1) updates that task's scopes and drops the rows that reach
-- zero. The triggers on tasks only say what changed.
CREATE VIEW task_count_changes AS
SELECT '' AS project_id, '' AS parent_id, '' AS status, 0 AS delta WHERE 0;

CREATE TRIGGER task_count_changed INSTEAD OF INSERT ON task_count_changes BEGIN
    INSERT INTO task_counts (kind, scope, status, n) VALUES
        ('all', '', new.status, new.delta),
        ('project', new.project_id, new.status, new.delta),
        (CASE WHEN new.parent_id IS NULL THEN 'top' ELSE 'parent' END,
         COALESCE(new.parent_id, new.project_id), new.status, new.delta)
    ON CONFLICT (kind, scope, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO task_counts (kind, scope, status, n)
    SELECT 'top', '', new.status, new.delta WHERE new.parent_id IS NULL
    ON CONFLICT (kind, scope, status) DO UPDATE SET n = n + excluded.n;
    DELETE FROM task_counts
    WHERE n = 0 AND status = new.status
      AND kind IN ('all', 'project', 'top', 'parent')
      AND scope IN ('', new.project_id, COALESCE(new.parent_id, ''));
END;

CREATE TRIGGER task_counted AFTER INSERT ON tasks BEGIN
    INSERT INTO task_count_changes VALUES (new.project_id, new.parent_id, new.status, 1);
END;

CREATE TRIGGER task_uncounted AFTER DELETE ON tasks BEGIN
    INSERT INTO task_count_changes VALUES (old.project_id, old.parent_id, old.status, -1);
END;

CREATE TRIGGER task_recounted AFTER UPDATE OF status ON tasks
WHEN old.status <> new.status BEGIN
    INSERT INTO task_count_changes VALUES (old.project_id, old.parent_id, old.status, -1);
    INSERT INTO task_count_changes VALUES (new.project_id, new.parent_id, new.status, 1);
END;

-- Every list a client pages through is an index range in list order, so a page of 100 reads
-- 100 index entries whatever the project's size (with offset=: offset + 100 of them).
-- A project's tasks, all or by status (the latter also serves /api/status's blocked list):
DROP INDEX tasks_by_status;
CREATE INDEX tasks_by_status ON tasks (project_id, status, created_at);
-- A project's top-level tasks, all or by status; and the next sibling position among them.
CREATE INDEX tasks_top_by_project ON tasks (project_id, created_at) WHERE parent_id IS NULL;
CREATE INDEX tasks_top_by_status ON tasks (project_id, status, created_at)
WHERE parent_id IS NULL;
DROP INDEX tasks_by_position;
CREATE INDEX tasks_top_by_position ON tasks (project_id, sort_order) WHERE parent_id IS NULL;
-- A task's children in sibling order, all or by status.
DROP INDEX tasks_by_parent;
CREATE INDEX tasks_by_parent ON tasks (parent_id, sort_order, created_at)
WHERE parent_id IS NOT NULL;
CREATE INDEX tasks_children_by_status ON tasks (parent_id, status, sort_order, created_at)
WHERE parent_id IS NOT NULL;
