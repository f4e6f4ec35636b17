-- The cron's sweep for stranded work looks up undelivered events and unfinished payments and
-- orders by age; these indexes keep it from scanning the tables.
CREATE INDEX idx_events_delivery ON events (delivery_status, created_at);
CREATE INDEX idx_payments_status_updated ON payments (status, updated_at);
CREATE INDEX idx_orders_status_updated ON orders (status, updated_at);
