-- The live sessions of a project (GET /api/status, ?active=true) without reading the
-- sessions that ended: a project collects one per spawn, and most have ended.
CREATE INDEX sessions_live ON sessions (project_id, started_at)
WHERE status IN ('spawning','running','idle','working');
