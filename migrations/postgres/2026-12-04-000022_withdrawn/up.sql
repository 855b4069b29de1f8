-- A supporter may withdraw their own signature (`/me`): a fifth status, never counted.
ALTER TABLE signatures DROP CONSTRAINT signatures_status_check;
ALTER TABLE signatures ADD CONSTRAINT signatures_status_check
    CHECK (status IN ('pending', 'confirmed', 'held', 'invalidated', 'withdrawn'));
