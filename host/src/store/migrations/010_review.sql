-- Sessions that ended with changes in their worktree neither merged nor discarded: the attention
-- inbox's review items, found without reading every ended session's JSON. Kept by
-- SessionRepository from domain::awaitsReview on every write of a session.
ALTER TABLE sessions ADD COLUMN awaiting_review INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_awaiting_review ON sessions (awaiting_review) WHERE awaiting_review = 1;
