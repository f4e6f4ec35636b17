-- Risk reviews (issue #15): a payment a review rule flagged is `open` until a reviewer approves or
-- rejects it; the queue lists the open ones, newest first, through a partial index that holds
-- only them (every other payment writes no entry).
ALTER TABLE payments ADD COLUMN review_status TEXT;
CREATE INDEX idx_payments_open_reviews ON payments (merchant_id, livemode, created_at, payment_no) WHERE review_status = 'open';
