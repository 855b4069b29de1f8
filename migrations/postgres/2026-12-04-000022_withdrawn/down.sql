UPDATE signatures SET status = 'invalidated' WHERE status = 'withdrawn';
ALTER TABLE signatures DROP CONSTRAINT signatures_status_check;
ALTER TABLE signatures ADD CONSTRAINT signatures_status_check
    CHECK (status IN ('pending', 'confirmed', 'held', 'invalidated'));
