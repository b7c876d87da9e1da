-- Campaigns (服务券活动), their voucher lots, the vouchers issued, and the append-only voucher ledger.

CREATE TABLE campaigns (
    id           text PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'ended')),
    created_by   text NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    ended_at     timestamptz,
    CHECK (ends_at > starts_at)
);
CREATE INDEX campaigns_status_idx ON campaigns (status, starts_at);

CREATE TABLE lots (
    id                   text PRIMARY KEY,
    campaign_id          text NOT NULL REFERENCES campaigns (id),
    position             integer NOT NULL CHECK (position >= 0),
    kind                 text NOT NULL CHECK (kind IN ('diagnostic', 'general')),
    -- The four directions of a general voucher; a diagnostic voucher has none.
    direction            text CHECK (direction IN ('cloud', 'dt_standard', 'integration_standard', 'dcmm')),
    face_value_fen       bigint NOT NULL CHECK (face_value_fen > 0 AND face_value_fen <= 100000000000),
    stock                integer NOT NULL CHECK (stock >= 0 AND stock <= 10000000),
    per_enterprise_limit integer NOT NULL DEFAULT 1 CHECK (per_enterprise_limit BETWEEN 1 AND 100),
    mode                 text NOT NULL CHECK (mode IN ('grab', 'apply')),
    validity_days        integer NOT NULL CHECK (validity_days BETWEEN 1 AND 3660),
    UNIQUE (campaign_id, position),
    CHECK ((kind = 'diagnostic') = (direction IS NULL))
);

CREATE TABLE vouchers (
    id              text PRIMARY KEY,
    lot_id          text NOT NULL REFERENCES lots (id),
    campaign_id     text NOT NULL REFERENCES campaigns (id),
    org_id          text NOT NULL REFERENCES organisations (id),
    -- The enterprise's n-th voucher of this lot (1-based), fixed by the grab script.
    seq             integer NOT NULL CHECK (seq >= 1),
    kind            text NOT NULL CHECK (kind IN ('diagnostic', 'general')),
    direction       text CHECK (direction IN ('cloud', 'dt_standard', 'integration_standard', 'dcmm')),
    face_value_fen  bigint NOT NULL CHECK (face_value_fen > 0),
    available_fen   bigint NOT NULL CHECK (available_fen >= 0),
    held_fen        bigint NOT NULL DEFAULT 0 CHECK (held_fen >= 0),
    captured_fen    bigint NOT NULL DEFAULT 0 CHECK (captured_fen >= 0),
    expired_fen     bigint NOT NULL DEFAULT 0 CHECK (expired_fen >= 0),
    valid_until     timestamptz NOT NULL,
    granted_at      timestamptz NOT NULL,
    source          text NOT NULL CHECK (source IN ('grab', 'apply')),
    -- The Redis stream entry that carried the claim (grab) — for audits and `campaign verify`.
    stream_entry_id text,
    UNIQUE (lot_id, org_id, seq),
    -- Every fen of the face value is somewhere, always (SPEC §2).
    CHECK (face_value_fen = available_fen + held_fen + captured_fen + expired_fen)
);
CREATE INDEX vouchers_org_idx ON vouchers (org_id, valid_until);
CREATE INDEX vouchers_campaign_idx ON vouchers (campaign_id);

-- No enterprise holds more vouchers of a lot than the lot's limit, whoever inserts them.
CREATE FUNCTION vouchers_check_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lot_limit integer;
BEGIN
    SELECT per_enterprise_limit INTO lot_limit FROM lots WHERE id = NEW.lot_id;
    IF NEW.seq > lot_limit THEN
        RAISE EXCEPTION 'voucher % exceeds the per-enterprise limit % of lot %', NEW.id, lot_limit, NEW.lot_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER vouchers_limit BEFORE INSERT ON vouchers FOR EACH ROW EXECUTE FUNCTION vouchers_check_limit();

-- Every change of a voucher's balance, append-only, in the same transaction as the change.
CREATE TABLE voucher_ledger (
    id          bigserial PRIMARY KEY,
    voucher_id  text NOT NULL REFERENCES vouchers (id),
    entry       text NOT NULL CHECK (entry IN ('grant', 'hold', 'release', 'capture', 'refund', 'expire', 'redeem')),
    amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
    order_id    text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX voucher_ledger_grant_once ON voucher_ledger (voucher_id) WHERE entry = 'grant';
CREATE INDEX voucher_ledger_voucher_idx ON voucher_ledger (voucher_id);

CREATE FUNCTION voucher_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'voucher_ledger is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER voucher_ledger_no_update BEFORE UPDATE OR DELETE ON voucher_ledger
    FOR EACH ROW EXECUTE FUNCTION voucher_ledger_append_only();

-- Apply-mode lots (申请): an enterprise applies, an operator approves (issuing) or rejects.
CREATE TABLE voucher_applications (
    id          text PRIMARY KEY,
    lot_id      text NOT NULL REFERENCES lots (id),
    org_id      text NOT NULL REFERENCES organisations (id),
    applicant   text NOT NULL REFERENCES users (id),
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reason      text,
    voucher_id  text REFERENCES vouchers (id),
    decided_by  text REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    decided_at  timestamptz,
    CHECK ((status = 'approved') = (voucher_id IS NOT NULL)),
    CHECK (status <> 'rejected' OR reason IS NOT NULL)
);
CREATE UNIQUE INDEX voucher_applications_one_pending ON voucher_applications (lot_id, org_id) WHERE status = 'pending';
