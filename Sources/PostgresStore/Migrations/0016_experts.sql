-- Experts (专家管理, issue 15 item 2, guide §1.4.8 表1-3): a provider's experts, their photos,
-- and the listings that show them. The bounds repeat VoucherCore's ExpertLimits. Lengths are
-- PostgreSQL's (code points), as the rules count them.

-- Photos a provider uploaded for its experts (JPEG or PNG by content, smaller than 2048 KB),
-- by content hash, as product_files are for listings.
CREATE TABLE expert_photos (
    org_id      text NOT NULL REFERENCES organisations (id),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    media_type  text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
    size_bytes  bigint NOT NULL CHECK (size_bytes > 0 AND size_bytes < 2097152),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, sha256)
);

-- One expert. Removal deletes the row (and, by cascade, its places on listings): nothing else
-- refers to an expert, and the public pages must stop showing it at once. The three 领域 lists
-- are bounded free tags (the guide names no choices for them). The phone is shown publicly only
-- with phone_public.
CREATE TABLE experts (
    id                                  text PRIMARY KEY,
    -- The order of creation: lists are newest first even when two experts share a created_at.
    seq                                 bigint GENERATED ALWAYS AS IDENTITY,
    org_id                              text NOT NULL REFERENCES organisations (id),
    name                                text NOT NULL CHECK (length(name) BETWEEN 1 AND 30),
    age                                 integer NOT NULL CHECK (age BETWEEN 18 AND 100),
    gender                              text NOT NULL CHECK (gender IN ('male', 'female')),
    industrial_internet_fields          text[] NOT NULL CHECK (cardinality(industrial_internet_fields) BETWEEN 1 AND 10),
    industry_fields                     text[] NOT NULL CHECK (cardinality(industry_fields) BETWEEN 1 AND 10),
    industrial_operation_fields         text[] NOT NULL CHECK (cardinality(industrial_operation_fields) BETWEEN 1 AND 10),
    industrial_internet_service_years   integer NOT NULL CHECK (industrial_internet_service_years BETWEEN 0 AND 80),
    industry_service_years              integer NOT NULL CHECK (industry_service_years BETWEEN 0 AND 80),
    experience                          text NOT NULL CHECK (length(experience) BETWEEN 1 AND 200),
    title                               text CHECK (length(title) BETWEEN 1 AND 50),
    education                           text CHECK (length(education) BETWEEN 1 AND 50),
    photo_sha256                        text NOT NULL,
    introduction                        text NOT NULL CHECK (length(introduction) BETWEEN 1 AND 2000),
    phone                               text CHECK (phone ~ '^1[0-9]{10}$'),
    phone_public                        boolean NOT NULL DEFAULT false,
    created_at                          timestamptz NOT NULL,
    updated_at                          timestamptz NOT NULL,
    UNIQUE (id, org_id),
    CHECK (NOT phone_public OR phone IS NOT NULL),
    -- The photo is one the expert's own organisation uploaded.
    FOREIGN KEY (org_id, photo_sha256) REFERENCES expert_photos (org_id, sha256)
);
CREATE INDEX experts_org_idx ON experts (org_id, seq DESC);
CREATE INDEX experts_listing_idx ON experts (seq DESC);

-- The experts a listing shows, in display order. org_id ties both ends to one provider, so a
-- listing can only ever show its own provider's experts.
ALTER TABLE products ADD CONSTRAINT products_id_org_key UNIQUE (id, org_id);
CREATE TABLE product_experts (
    product_id  text NOT NULL,
    expert_id   text NOT NULL,
    org_id      text NOT NULL,
    position    integer NOT NULL CHECK (position BETWEEN 1 AND 10),
    PRIMARY KEY (product_id, expert_id),
    UNIQUE (product_id, position),
    FOREIGN KEY (product_id, org_id) REFERENCES products (id, org_id),
    FOREIGN KEY (expert_id, org_id) REFERENCES experts (id, org_id) ON DELETE CASCADE
);
CREATE INDEX product_experts_expert_idx ON product_experts (expert_id);
