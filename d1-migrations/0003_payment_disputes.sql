-- When the channel reported a dispute (chargeback) on a payment.
ALTER TABLE payments ADD COLUMN disputed_at INTEGER;
-- Webhooks that do not name our payment are matched by the channel's payment id.
CREATE INDEX idx_payments_channel_payment ON payments (channel, channel_payment_id);
