-- The generic approvals module (issue #6): every workflow (certification first; listings,
-- payments, redemptions later) files an application that walks a chain of stages, each owned by
-- a role, and keeps every decision with its reason.

CREATE TABLE approval_applications (
    id                text PRIMARY KEY,
    type              text NOT NULL CHECK (type ~ '^[a-z][a-z_]{0,39}$'),
    -- 申请名称, what the inbox shows and filters on.
    title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    applicant_user_id text NOT NULL REFERENCES users (id),
    -- Kept as filed, so the inbox filters without a join and history survives renames.
    applicant_name    text NOT NULL,
    org_id            text NOT NULL REFERENCES organisations (id),
    -- What the application is about (an organisation for certification, a listing id later).
    subject_id        text NOT NULL,
    -- The roles that decide, in order; `current_stage` indexes it (0-based) while pending.
    stage_roles       text[] NOT NULL CHECK (cardinality(stage_roles) BETWEEN 1 AND 8),
    current_stage     integer NOT NULL DEFAULT 0 CHECK (current_stage >= 0 AND current_stage < cardinality(stage_roles)),
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    payload           jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    closed_at         timestamptz,
    CHECK ((status = 'pending') = (closed_at IS NULL))
);
CREATE INDEX approval_applications_pending_idx ON approval_applications (status, created_at DESC);
CREATE INDEX approval_applications_applicant_idx ON approval_applications (applicant_user_id, created_at DESC);
CREATE INDEX approval_applications_org_idx ON approval_applications (org_id, created_at DESC);
-- At most one live application per subject and type (no double certification requests).
CREATE UNIQUE INDEX approval_applications_live_key ON approval_applications (type, subject_id) WHERE status = 'pending';

CREATE TABLE approval_decisions (
    id              bigserial PRIMARY KEY,
    application_id  text NOT NULL REFERENCES approval_applications (id),
    stage           integer NOT NULL CHECK (stage >= 0),
    role            text NOT NULL,
    decider_user_id text NOT NULL REFERENCES users (id),
    decider_name    text NOT NULL,
    decision        text NOT NULL CHECK (decision IN ('approved', 'rejected', 'withdrawn')),
    reason          text CHECK (reason IS NULL OR length(reason) <= 500),
    decided_at      timestamptz NOT NULL,
    CHECK (decision <> 'rejected' OR (reason IS NOT NULL AND length(reason) > 0))
);
CREATE INDEX approval_decisions_application_idx ON approval_decisions (application_id, id);
CREATE INDEX approval_decisions_decider_idx ON approval_decisions (decider_user_id, decided_at DESC);
