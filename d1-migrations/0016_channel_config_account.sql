-- Merchant channel credentials are sealed whole, as their channel's schema reads them (a
-- publishable key included), so the Stripe-only publishable_key column goes; the account the
-- credentials opened when they were checked is kept for GET /api/v1/merchant/channels/:channel.
ALTER TABLE channel_configs ADD COLUMN account_id TEXT;
ALTER TABLE channel_configs DROP COLUMN publishable_key;
