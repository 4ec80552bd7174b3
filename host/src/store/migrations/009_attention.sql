-- The attention inbox's dismissals. An inbox item is derived from the sessions and tasks; its
-- id names one occurrence ("needs_input:<session>:<since>", "failed:<session>", …), so a
-- dismissal hides that occurrence and a new one shows again.
CREATE TABLE attention_dismissals (
    id            TEXT PRIMARY KEY,
    dismissed_at  INTEGER NOT NULL
);
