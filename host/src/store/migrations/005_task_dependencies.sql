-- Which task depends on which, one row per pair: deleting a task finds the tasks that named
-- it with an index lookup instead of searching every task's JSON.
CREATE TABLE task_dependencies (
    task_id     TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    depends_on  TEXT NOT NULL,
    PRIMARY KEY (task_id, depends_on)
);
CREATE INDEX task_dependencies_by_target ON task_dependencies (depends_on);

INSERT OR IGNORE INTO task_dependencies (task_id, depends_on)
SELECT t.id, d.value FROM tasks t, json_each(t.json, '$.dependencies') d;
