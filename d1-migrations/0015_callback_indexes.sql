-- Most callbacks are now stored already applied: the re-drive's index holds only those still
-- received, so storing an applied one writes no index entry; nothing looks callbacks up by
-- payment_no. (Each index entry is a D1 row written.)
DROP INDEX idx_payment_callbacks_payment_no;
DROP INDEX idx_payment_callbacks_status;
CREATE INDEX idx_payment_callbacks_received ON payment_callbacks (received_at) WHERE status = 'received';
