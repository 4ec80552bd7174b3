-- Sessions that ended with changes in their worktree neither merged nor discarded, as
-- migrations/010_review.sql (SQLite).
ALTER TABLE sessions ADD COLUMN awaiting_review BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sessions_awaiting_review ON sessions (awaiting_review) WHERE awaiting_review = 1;
