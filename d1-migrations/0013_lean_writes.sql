-- An accepted webhook is audited by its payment_callbacks row, which now keeps the request id;
-- webhook_logs keeps the other requests (refused, repeated). One write per webhook instead of two.
ALTER TABLE payment_callbacks ADD COLUMN request_id TEXT;
