-- GET /api/v1/payments?customer_email= searches this, and with created_at and the id after the
-- email walks the matches in page order (as idx_payments_merchant_order_no, 0012). Emails are
-- stored as the merchant sent them and matched ignoring case, so the column is collated NOCASE
-- here and in the query: without it SQLite walked every payment of the merchant to find the few
-- of one customer.
CREATE INDEX idx_payments_merchant_email ON payments (merchant_id, livemode, customer_email COLLATE NOCASE, created_at, payment_no);

-- statistics/overview sums the payments disputed in a range. Only disputed payments are in this
-- index, so it costs no write for any other payment, and it holds every figure the sum reads.
CREATE INDEX idx_payments_merchant_disputed ON payments (merchant_id, livemode, disputed_at, currency, amount)
  WHERE disputed_at IS NOT NULL;
