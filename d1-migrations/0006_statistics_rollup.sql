-- Where the cron's rollup of orders into order_statistics stands. One row per rollup (today only
-- 'order_statistics'): every UTC day up to rolled_through is in order_statistics, and the next
-- run refreshes the finished days whose orders changed since watermark (epoch ms).
CREATE TABLE statistics_rollups (
  name            TEXT PRIMARY KEY,
  rolled_through  TEXT,
  watermark       INTEGER NOT NULL
);

-- The rollup finds the orders changed since its last run (a refund long after the order's day)
-- without scanning the table.
CREATE INDEX idx_orders_updated_at ON orders (updated_at);
