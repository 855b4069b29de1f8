-- When a pending signature or letter got its one reminder (`reminders.rs`): set once,
-- by a conditional update, so that several nodes never send two.
ALTER TABLE signatures ADD COLUMN reminded_at TIMESTAMP;
ALTER TABLE messages ADD COLUMN reminded_at TIMESTAMP;
