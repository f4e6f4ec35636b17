-- The operators' payment list (GET /api/v1/admin/payments) reads every merchant's payments of a
-- mode, newest first. Without these SQLite walked idx_payments_created_at over both modes, and
-- read every payment to find one buyer's (test/workers/query-plans.test.ts). With the id after
-- created_at it seeks to a cursor and stops at the page size, as the merchant's list does in its
-- own indexes. The email is collated NOCASE as in idx_payments_merchant_email (0025), for the same
-- match. Neither column changes after the create: one row written per index and payment.
CREATE INDEX idx_payments_livemode_created ON payments (livemode, created_at, payment_no);
CREATE INDEX idx_payments_email ON payments (customer_email COLLATE NOCASE, livemode, created_at, payment_no);

-- The operators' merchant search (q): LIKE with a fixed start searches an index only if the index
-- folds case as LIKE does (NOCASE), instead of reading every merchant.
CREATE INDEX idx_merchants_name_nocase ON merchants (name COLLATE NOCASE);
CREATE INDEX idx_merchants_email_nocase ON merchants (email COLLATE NOCASE);
