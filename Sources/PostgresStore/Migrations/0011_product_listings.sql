-- Listings and their review chain (issue 14, items 1 and 2). A product's content lives in
-- revisions: the live revision is what enterprises buy (and what an order's spec points at, so
-- an order keeps the product as it was), the working revision is what the provider edits and
-- submits. A listed product's edit is a new working revision that goes through the chain
-- (operator → expert → authority, approvals type `listing`) while the live one stays on sale.

-- 我的商品's six states: draft 草稿, in_review 待审核, rejected 已驳回, withdrawn 已撤销,
-- listed 已上架, delisted 已下架. A listed or delisted product keeps its state while an edit is
-- reviewed; the edit's own state is its working revision's.
ALTER TABLE products DROP CONSTRAINT products_status_check;
ALTER TABLE products ADD CONSTRAINT products_status_check
    CHECK (status IN ('draft', 'in_review', 'rejected', 'withdrawn', 'listed', 'delisted'));
ALTER TABLE products ADD COLUMN updated_at timestamptz;
ALTER TABLE products ADD COLUMN delisted_at timestamptz;
UPDATE products SET updated_at = created_at;
ALTER TABLE products ALTER COLUMN updated_at SET NOT NULL;

CREATE TABLE product_revisions (
    id                   text PRIMARY KEY,
    product_id           text NOT NULL REFERENCES products (id),
    number               integer NOT NULL CHECK (number >= 1),
    -- approved: went live (the live revision, or one an approved edit replaced).
    state                text NOT NULL CHECK (state IN ('draft', 'in_review', 'rejected', 'withdrawn', 'approved')),
    name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    category             text NOT NULL CHECK (category IN ('diagnostic_consulting', 'cloud', 'dt_standard', 'integration_standard',
                             'dcmm', 'software_application', 'digital_application', 'network_platform', 'training_branding')),
    solution_classes     text[] NOT NULL DEFAULT '{}' CHECK (cardinality(solution_classes) <= 5),
    industries           text[] NOT NULL DEFAULT '{}' CHECK (cardinality(industries) <= 3),
    tags                 text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 10),
    product_names        text[] NOT NULL DEFAULT '{}' CHECK (cardinality(product_names) <= 10),
    price_low_fen        bigint CHECK (price_low_fen >= 0),
    price_high_fen       bigint CHECK (price_high_fen >= 0),
    -- Everything else of the listing (ListingContent as JSON): image, case studies, contact, intro page.
    content              jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- The reason of the last rejection, for the provider to act on.
    reject_reason        text,
    approval_id          text REFERENCES approval_applications (id),
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    submitted_at         timestamptz,
    UNIQUE (product_id, number),
    CHECK (price_low_fen IS NULL OR price_high_fen IS NULL OR price_low_fen <= price_high_fen),
    -- A revision under review has exactly three case studies (the guide: 每个解决方案产品必须配置 3 个商品案例).
    CHECK (state <> 'in_review' OR jsonb_typeof(content -> 'caseStudies') = 'array' AND jsonb_array_length(content -> 'caseStudies') = 3)
);
CREATE INDEX product_revisions_product_idx ON product_revisions (product_id, number DESC);

-- Products made before listings: one revision each with what they had, live if they were listed.
INSERT INTO product_revisions (id, product_id, number, state, name, category, created_at, updated_at)
SELECT 'rev_' || substr(md5(id), 1, 24), id, 1, CASE WHEN status = 'draft' THEN 'draft' ELSE 'approved' END, name, category,
    created_at, created_at
FROM products;

-- Checked at commit: a new product and its first revision refer to each other.
ALTER TABLE products ADD COLUMN live_revision_id text REFERENCES product_revisions (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE products ADD COLUMN working_revision_id text REFERENCES product_revisions (id) DEFERRABLE INITIALLY DEFERRED;
UPDATE products p SET working_revision_id = r.id, live_revision_id = CASE WHEN p.status = 'draft' THEN NULL ELSE r.id END
FROM product_revisions r WHERE r.product_id = p.id;
ALTER TABLE products ALTER COLUMN working_revision_id SET NOT NULL;
ALTER TABLE products ADD CONSTRAINT products_live_state_check
    CHECK ((status IN ('listed', 'delisted')) = (live_revision_id IS NOT NULL));
CREATE INDEX products_org_status_idx ON products (org_id, status, created_at DESC);

-- Specs belong to a revision; a live revision's specs never change, so an order's spec_id keeps
-- the name and price it was bought at.
ALTER TABLE product_specs ADD COLUMN revision_id text REFERENCES product_revisions (id);
UPDATE product_specs s SET revision_id = p.working_revision_id FROM products p WHERE p.id = s.product_id;
ALTER TABLE product_specs ALTER COLUMN revision_id SET NOT NULL;
ALTER TABLE product_specs DROP CONSTRAINT product_specs_product_id_position_key;
ALTER TABLE product_specs ADD CONSTRAINT product_specs_revision_position_key UNIQUE (revision_id, position);

-- Files a provider uploaded for its listings (display images, case documents, intro media),
-- by content hash; `kind` is the bound and formats the upload was checked against.
CREATE TABLE product_files (
    org_id      text NOT NULL REFERENCES organisations (id),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    kind        text NOT NULL CHECK (kind IN ('image', 'document')),
    media_type  text NOT NULL,
    size_bytes  bigint NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 104857600),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, sha256, kind),
    CHECK (kind <> 'image' OR size_bytes <= 2097152)
);
