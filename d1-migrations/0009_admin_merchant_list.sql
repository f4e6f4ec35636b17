-- The operators' merchant list pages by (created_at, id) newest first, optionally filtered by
-- status or email. With the id in each index SQLite seeks to the cursor and walks the index in
-- order, stopping at the page size, instead of sorting rows that share a timestamp (as 0002).
DROP INDEX idx_merchants_created_at;
CREATE INDEX idx_merchants_created_at ON merchants (created_at, id);
CREATE INDEX idx_merchants_status ON merchants (status, created_at, id);
CREATE INDEX idx_merchants_email ON merchants (email, created_at, id);
