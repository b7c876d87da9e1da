-- Accounts and access (issue #6): registration drafts, the demand survey, uploaded files,
-- password history, refresh tokens, SMS codes, login throttling, soft-deleted sub-accounts.
-- Times are timestamptz (UTC); every limit the application enforces is also a CHECK here.

-- Sub-accounts are deleted softly (other tables may point at a user); a deleted user frees its
-- phone inside the organisation but keeps its username, which is fixed forever once created.
ALTER TABLE users ADD COLUMN deleted_at timestamptz;
ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email IS NULL OR (length(email) <= 80 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'));
ALTER TABLE users ADD CONSTRAINT users_permissions_check CHECK (cardinality(permissions) <= 32);
DROP INDEX users_org_phone_key;
CREATE UNIQUE INDEX users_org_phone_key ON users (org_id, phone) WHERE phone IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX users_phone_idx ON users (phone) WHERE deleted_at IS NULL;

-- Files stored by content (licence images now, proofs and archives later); bytes live on disk
-- under the configured data folder, named by their SHA-256.
CREATE TABLE stored_files (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    media_type text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/bmp', 'application/pdf', 'application/zip', 'application/x-rar-compressed', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
    size_bytes bigint NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Step two of registration: the organisation's details as a draft that the main account may save
-- many times (resumable) and then submit for certification. Structured columns for what rules
-- check; `details` holds the guide's many other fields.
CREATE TABLE organisation_profiles (
    org_id          text PRIMARY KEY REFERENCES organisations (id),
    name            text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 100),
    uscc            text CHECK (uscc IS NULL OR uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    contact_name    text CHECK (contact_name IS NULL OR length(contact_name) BETWEEN 1 AND 30),
    contact_phone   text CHECK (contact_phone IS NULL OR length(contact_phone) BETWEEN 1 AND 13),
    licence_sha256  text REFERENCES stored_files (sha256),
    details         jsonb NOT NULL DEFAULT '{}'::jsonb,
    submitted_at    timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- 企业需求收集: an enterprise must answer it before certification can pass.
CREATE TABLE enterprise_surveys (
    org_id        text PRIMARY KEY REFERENCES organisations (id),
    company_name  text NOT NULL CHECK (length(company_name) BETWEEN 1 AND 100),
    city          text NOT NULL CHECK (length(city) BETWEEN 1 AND 50),
    company_type  text NOT NULL CHECK (company_type IN ('private', 'foreign', 'collective', 'state_owned', 'joint_stock', 'hk_macao_taiwan', 'joint_venture')),
    answers       jsonb NOT NULL DEFAULT '{}'::jsonb,
    answered_at   timestamptz NOT NULL
);

-- Bcrypt hashes of every password a user has had (the current one included), newest last, so a
-- new password can be compared with the current and the five before it.
CREATE TABLE password_history (
    id            bigserial PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users (id),
    password_hash text NOT NULL,
    set_at        timestamptz NOT NULL
);
CREATE INDEX password_history_user_idx ON password_history (user_id, id DESC);

-- Refresh tokens: only their SHA-256 is kept. Each use rotates to a new token of the same family;
-- presenting a used one again revokes the whole family (the token was stolen or replayed).
CREATE TABLE refresh_tokens (
    id          text PRIMARY KEY,
    family_id   text NOT NULL,
    user_id     text NOT NULL REFERENCES users (id),
    token_hash  text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL CHECK (expires_at > issued_at),
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- SMS login codes: hashed, short-lived, with a bounded number of guesses.
CREATE TABLE sms_codes (
    id           text PRIMARY KEY,
    phone        text NOT NULL CHECK (phone ~ '^1[0-9]{10}$'),
    code_hash    text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    sent_at      timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL CHECK (expires_at > sent_at),
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 100),
    consumed_at  timestamptz
);
CREATE INDEX sms_codes_phone_idx ON sms_codes (phone, sent_at DESC);

-- Failed logins, per account (`account:<username>`) and per client address (`address:<ip>`),
-- counted over a sliding window to throttle guessing.
CREATE TABLE login_failures (
    id         bigserial PRIMARY KEY,
    scope_key  text NOT NULL CHECK (length(scope_key) BETWEEN 1 AND 200),
    failed_at  timestamptz NOT NULL
);
CREATE INDEX login_failures_key_idx ON login_failures (scope_key, failed_at DESC);

-- A main account's phone is unique across main accounts, so a phone + SMS code names one
-- organisation's owner; sub-accounts need only be unique inside their organisation.
CREATE UNIQUE INDEX users_main_phone_key ON users (phone) WHERE is_main AND deleted_at IS NULL AND phone IS NOT NULL;
