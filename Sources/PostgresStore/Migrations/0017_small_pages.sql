-- The small pages of issue 15, item 5 (guide §1.5, §1.4.7.2).
--
-- Payee accounts (收款账号) can be edited (§1.5). The row keeps the current version; each edit first
-- copies the version it replaces into payee_account_history, so no version is ever lost. A batch
-- already snapshots the payee's name and number when it is filed (redemption_batches.payee_name,
-- payee_number, since 0006), so an edit after filing changes no batch; payee_version records which
-- version that snapshot was (NULL for batches filed before this migration).
ALTER TABLE payee_accounts
    ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN updated_at timestamptz;

CREATE TABLE payee_account_history (
    account_id      text NOT NULL REFERENCES payee_accounts (id),
    version         integer NOT NULL CHECK (version >= 1),
    bank            text NOT NULL,
    account_name    text NOT NULL,
    account_number  text NOT NULL,
    valid_from      timestamptz NOT NULL,
    replaced_at     timestamptz NOT NULL,
    replaced_by     text NOT NULL REFERENCES users (id),
    PRIMARY KEY (account_id, version),
    CHECK (replaced_at >= valid_from)
);

ALTER TABLE redemption_batches ADD COLUMN payee_version integer CHECK (payee_version >= 1);

-- General vouchers are redeemed from a placed order (§1.4.7.2: "当使用服务券的订单发起之后"), so a
-- usage can exist before its order completes. When such an order is cancelled or refunded, the
-- usages not yet paid out are voided: they stay for the record (a batch line may name them) but
-- can never be redeemed. Money only leaves for captured deductions (RedemptionRepository checks
-- it when the transfer is recorded), and a refund is refused once a transfer for the order's
-- usages is recorded.
ALTER TABLE usages DROP CONSTRAINT usages_state_check;
ALTER TABLE usages ADD CONSTRAINT usages_state_check
    CHECK (state IN ('pending_redemption', 'in_redemption', 'redeemed', 'voided'));

