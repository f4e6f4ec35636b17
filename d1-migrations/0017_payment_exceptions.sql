-- Money that did not go as asked (a crypto invoice underpaid, overpaid or paid late), projected
-- with the payment so lists show it too: a JSON array, empty for nearly every payment.
ALTER TABLE payments ADD COLUMN exceptions TEXT NOT NULL DEFAULT '[]';

-- Refund events of some channels name only the channel's refund object (BTCPay's payout events
-- name the pull payment): ingress finds the refund by it. Written once per refund, when the
-- channel answers.
CREATE INDEX idx_refunds_channel_refund ON refunds (channel, channel_refund_id) WHERE channel_refund_id IS NOT NULL;
