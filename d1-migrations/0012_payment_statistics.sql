-- Finished UTC days of payments rolled up by the cron (as order_statistics, 0006; where it stands
-- is the 'payment_statistics' row of statistics_rollups), so a dashboard's thirty days read a few
-- hundred rows instead of every payment. failure_codes: a JSON object, each failure code of the
-- day's failed payments → how many.
CREATE TABLE payment_statistics (
  merchant_id       TEXT NOT NULL REFERENCES merchants (id),
  livemode          INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  day               TEXT NOT NULL,
  channel           TEXT NOT NULL,
  currency          TEXT NOT NULL,
  payment_count     INTEGER NOT NULL,
  succeeded_count   INTEGER NOT NULL,
  succeeded_amount  INTEGER NOT NULL,
  failed_count      INTEGER NOT NULL,
  failure_codes     TEXT NOT NULL,
  updated_at        INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, livemode, day, channel, currency)
);

-- The rollup finds the payments changed since its last run without scanning the table.
CREATE INDEX idx_payments_updated_at ON payments (updated_at);

-- The list filtered by channel walks the merchant's payments of that channel in page order and
-- stops at the page size; without it SQLite took idx_payments_channel_payment (every merchant's
-- payments of the channel) and sorted them.
CREATE INDEX idx_payments_merchant_channel ON payments (merchant_id, livemode, channel, created_at, payment_no);

-- A list filtered by order_no (payments) or customer_email (orders) searches these, and with
-- created_at and the id after the filter walks them in page order. Without those SQLite preferred
-- walking all the merchant's records in page order to find the few that match.
DROP INDEX idx_payments_merchant_order_no;
CREATE INDEX idx_payments_merchant_order_no ON payments (merchant_id, livemode, order_no, created_at, payment_no);
DROP INDEX idx_orders_merchant_email;
CREATE INDEX idx_orders_merchant_email ON orders (merchant_id, livemode, customer_email, created_at, order_no);

-- statistics/orders sums a merchant's orders by currency and status: this index holds every figure
-- it reads, in that order, so SQLite reads no order and sorts nothing (a year of 210,000 orders of
-- one merchant: 0.6 s before, 0.04 s with it).
CREATE INDEX idx_orders_merchant_totals
  ON orders (merchant_id, livemode, currency, status, created_at, total_amount, paid_amount, refunded_amount);
