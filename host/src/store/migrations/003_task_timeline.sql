-- A task's timeline gets rows of its own. The task's `json` keeps only the newest entries
-- (domain/Limits.h: at most 50, and 64 KiB of messages) plus `timelineCount`, so changing a
-- task rewrites and announces a bounded document however long its history is; the whole
-- history is paged from here (GET /api/tasks/:id/timeline).
CREATE TABLE task_timeline (
    seq         INTEGER PRIMARY KEY,
    task_id     TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    type        TEXT NOT NULL,
    timestamp   INTEGER NOT NULL,
    message     TEXT NOT NULL,
    session_id  TEXT,
    -- The entry's own taskId and metadata (a session's report), when it has them.
    about_task_id TEXT,
    metadata    TEXT
);
CREATE INDEX task_timeline_by_task ON task_timeline (task_id, seq);
-- `before=<entry id>` finds its place without reading the task's history.
CREATE INDEX task_timeline_by_id ON task_timeline (task_id, id);

-- Existing tasks: every entry moves to the table, in order...
INSERT INTO task_timeline (task_id, id, type, timestamp, message, session_id, about_task_id,
                           metadata)
SELECT t.id, json_extract(e.value, '$.id'), json_extract(e.value, '$.type'),
       json_extract(e.value, '$.timestamp'), COALESCE(json_extract(e.value, '$.message'), ''),
       json_extract(e.value, '$.sessionId'), json_extract(e.value, '$.taskId'),
       json(json_extract(e.value, '$.metadata'))
FROM tasks t, json_each(t.json, '$.timeline') e
ORDER BY t.rowid, e.key;

-- ...and the document keeps the newest 50 (the byte bound applies from the task's next change).
UPDATE tasks SET json = json_set(json,
    '$.timelineCount', json_array_length(json, '$.timeline'),
    '$.timeline', (SELECT json_group_array(json(e.value)) FROM
                      (SELECT value FROM json_each(tasks.json, '$.timeline')
                       WHERE key >= json_array_length(tasks.json, '$.timeline') - 50
                       ORDER BY key) AS e));
