-- A campaign's claim stream in Redis is freed once it is over and PostgreSQL holds every claim
-- (`voucherctl campaign archive`). The archive is recorded here: when, and how many entries the
-- stream held, so `campaign verify` can say the stream was archived instead of reading an empty
-- one as "nothing pending". Both are set together, once, on an ended campaign.
ALTER TABLE campaigns ADD COLUMN claims_archived_at timestamptz;
ALTER TABLE campaigns ADD COLUMN claims_archived_count bigint;
ALTER TABLE campaigns ADD CONSTRAINT campaigns_claims_archived_check CHECK (
    (claims_archived_at IS NULL AND claims_archived_count IS NULL)
    OR (claims_archived_at IS NOT NULL AND claims_archived_count >= 0 AND status = 'ended'));
