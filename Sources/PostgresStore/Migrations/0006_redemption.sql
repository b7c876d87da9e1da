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
    -- Diagnostic batches: the one materials archive. General ones keep their files in `batch_files`.
    material_sha256      text,
    material_media_type  text,
    material_size_bytes  integer CHECK (material_size_bytes > 0 AND material_size_bytes <= 10485760),
    -- General-voucher redemption (通用服务券-兑付申请): what the provider filed.
    enterprise_name      text CHECK (length(enterprise_name) BETWEEN 1 AND 100),
    order_id             text REFERENCES orders (id),
    direction            text CHECK (direction IN ('cloud', 'dt_standard', 'integration_standard', 'dcmm')),
    rejection_reason     text,
    transfer_amount_fen  bigint CHECK (transfer_amount_fen > 0),
    payer_name           text,
    payer_account        text,
    transfer_date        date,
    bank_serial          text,
    transferred_at       timestamptz,
    dispute_reason       text,
    redeemed_at          timestamptz,
    -- An Idempotency-Key the provider sent, and the canonical request it came with.
    idempotency_key      text CHECK (length(idempotency_key) BETWEEN 1 AND 64),
    request_fingerprint  text,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CHECK (state <> 'rejected' OR rejection_reason IS NOT NULL),
    CHECK ((kind = 'diagnostic') = (material_sha256 IS NOT NULL)),
    CHECK ((kind = 'general') = (order_id IS NOT NULL AND enterprise_name IS NOT NULL AND direction IS NOT NULL)),
    CHECK (state NOT IN ('awaiting_confirmation', 'redeemed') OR transfer_amount_fen IS NOT NULL),
    CHECK (state <> 'redeemed' OR (redeemed_at IS NOT NULL AND transfer_amount_fen = total_fen))
);
CREATE INDEX redemption_batches_org_idx ON redemption_batches (org_id, created_at DESC);
CREATE UNIQUE INDEX redemption_batches_idempotency_key ON redemption_batches (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

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

-- Files a provider uploaded for general-voucher redemption, before filing; only its own may be cited.
CREATE TABLE redemption_files (
    org_id      text NOT NULL REFERENCES organisations (id),
    sha256      text NOT NULL,
    media_type  text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf',
                    'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
    size_bytes  integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, sha256)
);

-- The materials of a general batch, in the order filed.
CREATE TABLE batch_files (
    batch_id    text NOT NULL REFERENCES redemption_batches (id),
    position    integer NOT NULL CHECK (position >= 0),
    sha256      text NOT NULL,
    media_type  text NOT NULL,
    size_bytes  integer NOT NULL,
    PRIMARY KEY (batch_id, position)
);
