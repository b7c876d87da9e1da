-- Products and specs (enough to buy), orders with their voucher holds, payment proofs, usages
-- (issue #7). Every fen an order takes from a voucher is a row of `order_vouchers` and an entry of
-- `voucher_ledger`; `voucherctl ledger verify` checks that the three agree with `vouchers`.

CREATE TABLE products (
    id          text PRIMARY KEY,
    org_id      text NOT NULL REFERENCES organisations (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The category decides which vouchers apply (SPEC §3); see ProductCategory.swift.
    category    text NOT NULL CHECK (category IN ('diagnostic_consulting', 'cloud', 'dt_standard', 'integration_standard',
                    'dcmm', 'software_application', 'digital_application', 'network_platform', 'training_branding')),
    -- The full review chain (operator → expert → authority) is a later issue; an operator lists.
    status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'listed', 'delisted')),
    created_at  timestamptz NOT NULL,
    listed_at   timestamptz
);
CREATE INDEX products_org_idx ON products (org_id, created_at DESC);

CREATE TABLE product_specs (
    id              text PRIMARY KEY,
    product_id      text NOT NULL REFERENCES products (id),
    position        integer NOT NULL CHECK (position >= 0),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    purchase_mode   text NOT NULL CHECK (purchase_mode IN ('year', 'month', 'quantity')),
    pricing         text NOT NULL CHECK (pricing IN ('free', 'simple')),
    unit_price_fen  bigint NOT NULL CHECK (unit_price_fen >= 0 AND unit_price_fen <= 100000000000),
    UNIQUE (product_id, position),
    CHECK ((pricing = 'free') = (unit_price_fen = 0))
);

CREATE TABLE orders (
    id                   text PRIMARY KEY,
    org_id               text NOT NULL REFERENCES organisations (id),
    provider_org_id      text NOT NULL REFERENCES organisations (id),
    product_id           text NOT NULL REFERENCES products (id),
    spec_id              text NOT NULL REFERENCES product_specs (id),
    created_by           text NOT NULL REFERENCES users (id),
    order_type           text NOT NULL DEFAULT 'new_subscription' CHECK (order_type IN ('new_subscription')),
    quantity             integer NOT NULL CHECK (quantity >= 1),
    unit_price_fen       bigint NOT NULL CHECK (unit_price_fen >= 0),
    total_fen            bigint NOT NULL CHECK (total_fen >= 0),
    cap_fen              bigint NOT NULL CHECK (cap_fen >= 0),
    deduction_fen        bigint NOT NULL CHECK (deduction_fen >= 0),
    payable_fen          bigint NOT NULL CHECK (payable_fen >= 0),
    state                text NOT NULL CHECK (state IN ('pending_payment', 'payment_review', 'paid', 'delivered', 'completed',
                             'cancelled', 'refund_review', 'refunded')),
    -- Where a refund request came from, so a rejected refund returns there.
    state_before_refund  text CHECK (state_before_refund IN ('paid', 'delivered')),
    -- Payment proofs are uploaded per attempt; a rejected payment starts the next attempt.
    payment_attempt      integer NOT NULL DEFAULT 1 CHECK (payment_attempt >= 1),
    idempotency_key      text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 64),
    -- The request the key was first used with, canonical, so a different body is recognised.
    request_fingerprint  text NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    UNIQUE (org_id, idempotency_key),
    CHECK (total_fen = unit_price_fen * quantity),
    CHECK (cap_fen = total_fen * 30 / 100),
    CHECK (deduction_fen <= cap_fen),
    CHECK (total_fen = deduction_fen + payable_fen)
);
CREATE INDEX orders_org_idx ON orders (org_id, created_at DESC);
CREATE INDEX orders_provider_idx ON orders (provider_org_id, created_at DESC);

-- What one order takes from one voucher: held, then captured (paid), released (cancelled) or
-- refunded. The amount never changes; only the state moves.
CREATE TABLE order_vouchers (
    order_id    text NOT NULL REFERENCES orders (id),
    voucher_id  text NOT NULL REFERENCES vouchers (id),
    position    integer NOT NULL CHECK (position >= 0),
    amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
    state       text NOT NULL CHECK (state IN ('held', 'captured', 'released', 'refunded')),
    PRIMARY KEY (order_id, voucher_id)
);
CREATE INDEX order_vouchers_voucher_idx ON order_vouchers (voucher_id);

CREATE TABLE payment_proofs (
    id          text PRIMARY KEY,
    order_id    text NOT NULL REFERENCES orders (id),
    attempt     integer NOT NULL CHECK (attempt >= 1),
    sha256      text NOT NULL,
    media_type  text NOT NULL,
    size_bytes  integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    created_at  timestamptz NOT NULL
);
CREATE INDEX payment_proofs_order_idx ON payment_proofs (order_id, attempt);

-- A deduction on a completed order, for the provider to redeem (待兑换 → 兑换中 → 已兑换).
CREATE TABLE usages (
    id               text PRIMARY KEY,
    order_id         text NOT NULL REFERENCES orders (id),
    voucher_id       text NOT NULL REFERENCES vouchers (id),
    provider_org_id  text NOT NULL REFERENCES organisations (id),
    org_id           text NOT NULL REFERENCES organisations (id),
    amount_fen       bigint NOT NULL CHECK (amount_fen > 0),
    state            text NOT NULL DEFAULT 'pending_redemption' CHECK (state IN ('pending_redemption', 'in_redemption', 'redeemed')),
    used_at          timestamptz NOT NULL,
    UNIQUE (order_id, voucher_id)
);
CREATE INDEX usages_provider_idx ON usages (provider_org_id, used_at DESC);
