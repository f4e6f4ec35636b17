-- Every index is written with each row it covers (D1 bills each as a row written): these lead with
-- the same column as a wider index (every list is scoped by merchant and mode; the sweeps read
-- (status, updated_at); the re-drive reads payment_callbacks by (status, received_at)), so they
-- cost writes and serve no query. test/workers/query-plans.test.ts shows each query still
-- searches an index.
DROP INDEX idx_payments_merchant_id;
DROP INDEX idx_payments_status;
DROP INDEX idx_refunds_merchant_id;
DROP INDEX idx_refunds_status;
DROP INDEX idx_orders_merchant_id;
DROP INDEX idx_orders_status;
DROP INDEX idx_payment_callbacks_received_at;
