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


-- Voucher applications and the provider's 支付确认 are inbox items (§1.4.7.1 说明): applying files an
-- approval application (type voucher_application, one operator stage) and recording a transfer
-- files one for the provider (type payment_confirmation). Applications still pending get their
-- item here (ids derived from theirs, of the OpaqueID shape); batches already awaiting
-- confirmation get none (who recorded the transfer was not kept) and are confirmed as before.
INSERT INTO approval_applications (id, type, title, applicant_user_id, applicant_name, org_id, subject_id, stage_roles,
    created_at, updated_at)
SELECT 'apl_' || substr(md5(va.id || ':voucher_application'), 1, 26), 'voucher_application', left('服务券申请 ' || c.name, 100),
    va.applicant, u.username, va.org_id, va.id, ARRAY['operator'], va.created_at, va.created_at
FROM voucher_applications va JOIN lots l ON l.id = va.lot_id JOIN campaigns c ON c.id = l.campaign_id JOIN users u ON u.id = va.applicant
WHERE va.status = 'pending'
  AND NOT EXISTS (SELECT 1 FROM approval_applications a WHERE a.type = 'voucher_application' AND a.subject_id = va.id);
