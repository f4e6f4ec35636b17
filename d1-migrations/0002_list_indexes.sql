-- Lists page by (created_at, id) newest first; with the id in the index SQLite walks it in
-- order and stops at the page size, instead of sorting rows that share a timestamp.
DROP INDEX idx_payments_merchant_created;
DROP INDEX idx_payments_merchant_status;
CREATE INDEX idx_payments_merchant_created ON payments (merchant_id, livemode, created_at, payment_no);
CREATE INDEX idx_payments_merchant_status ON payments (merchant_id, livemode, status, created_at, payment_no);

DROP INDEX idx_refunds_merchant_created;
DROP INDEX idx_refunds_merchant_status;
CREATE INDEX idx_refunds_merchant_created ON refunds (merchant_id, livemode, created_at, refund_no);
CREATE INDEX idx_refunds_merchant_status ON refunds (merchant_id, livemode, status, created_at, refund_no);

DROP INDEX idx_orders_merchant_created;
DROP INDEX idx_orders_merchant_status;
CREATE INDEX idx_orders_merchant_created ON orders (merchant_id, livemode, created_at, order_no);
CREATE INDEX idx_orders_merchant_status ON orders (merchant_id, livemode, status, created_at, order_no);
