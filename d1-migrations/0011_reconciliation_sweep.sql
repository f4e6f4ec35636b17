-- When the notifications consumer will next try an undelivered event; the cron hands an event
-- whose attempt is long overdue (its queue message lost) to the queue again.
ALTER TABLE events ADD COLUMN next_attempt_at INTEGER;

-- The cron's sweep also finds payments whose refunds wait on the channel.
CREATE INDEX idx_refunds_status_updated ON refunds (status, updated_at);
