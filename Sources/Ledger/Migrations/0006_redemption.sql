-- Redemption (兑付, issue #8): payee accounts, redemption batches and the usages they take.
-- A usage belongs to at most one live batch: `batch_usages_one_live` enforces it in the database,
-- so two batches racing for one usage cannot both commit.

-- 收款账号: corporate accounts at the Agricultural Bank of China (ABC) only. ABC corporate account
-- numbers are 15 to 19 digits; the name must equal the organisation's registered name (checked
-- by the repository against `organisations.name` when the account is added).
CREATE TABLE payee_accounts (
    id              text PRIMARY KEY,
    org_id          text NOT NULL REFERENCES organisations (id),
    bank            text NOT NULL CHECK (bank = 'ABC'),
    account_name    text NOT NULL CHECK (length(account_name) BETWEEN 1 AND 100),
    account_number  text NOT NULL CHECK (account_number ~ '^[0-9]{15,19}$'),
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL,
    disabled_at     timestamptz,
    CHECK (active = (disabled_at IS NULL))
);
CREATE UNIQUE INDEX payee_accounts_live_key ON payee_accounts (org_id, account_number) WHERE active;

-- A redemption batch (发起兑换): in review on the approvals chain, then the transfer, the
-- provider's confirmation (or dispute) and redeemed; or rejected at any step.
CREATE TABLE redemption_batches (
    id                   text PRIMARY KEY,
    kind                 text NOT NULL CHECK (kind IN ('diagnostic', 'general')),
    org_id               text NOT NULL REFERENCES organisations (id),
    created_by           text NOT NULL REFERENCES users (id),
    reference            text NOT NULL UNIQUE CHECK (reference ~ '^RB[A-Z2-7]{10}$'),
    payee_account_id     text NOT NULL REFERENCES payee_accounts (id),
    payee_name           text NOT NULL,
    payee_number         text NOT NULL,
    total_fen            bigint NOT NULL CHECK (total_fen > 0),
    state                text NOT NULL CHECK (state IN ('in_review', 'awaiting_transfer', 'awaiting_confirmation', 'disputed',
                             'redeemed', 'rejected')),
    approval_id          text NOT NULL REFERENCES approval_applications (id),
    material_sha256      text NOT NULL,
    material_media_type  text NOT NULL,
    material_size_bytes  integer NOT NULL CHECK (material_size_bytes > 0 AND material_size_bytes <= 10485760),
    rejection_reason     text,
    transfer_amount_fen  bigint CHECK (transfer_amount_fen > 0),
    payer_name           text,
    payer_account        text,
    transfer_date        date,
    bank_serial          text,
    transferred_at       timestamptz,
    dispute_reason       text,
    redeemed_at          timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CHECK (state <> 'rejected' OR rejection_reason IS NOT NULL),
    CHECK (state NOT IN ('awaiting_confirmation', 'redeemed') OR transfer_amount_fen IS NOT NULL),
    CHECK (state <> 'redeemed' OR (redeemed_at IS NOT NULL AND transfer_amount_fen = total_fen))
);
CREATE INDEX redemption_batches_org_idx ON redemption_batches (org_id, created_at DESC);

-- The usages a batch takes, with the deduction fixed at submission. `live` is true while the
-- batch is not rejected; a rejection sets it false so a new batch may take the usage.
CREATE TABLE batch_usages (
    batch_id    text NOT NULL REFERENCES redemption_batches (id),
    usage_id    text NOT NULL REFERENCES usages (id),
    amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
    live        boolean NOT NULL DEFAULT true,
    PRIMARY KEY (batch_id, usage_id)
);
CREATE UNIQUE INDEX batch_usages_one_live ON batch_usages (usage_id) WHERE live;
