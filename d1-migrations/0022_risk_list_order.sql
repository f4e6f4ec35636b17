-- A list's values page newest first: through this index, not a sort of the whole list.
CREATE INDEX idx_risk_list_items_created ON risk_list_items (merchant_id, livemode, list, created_at, value);
