-- Reviews (评价, issue 15 item 1; guide §2.4.4 我的评价 and §1.4.5 客户评价). An enterprise rates a
-- product it bought once per order, after accepting the delivery (the order is completed); it may
-- edit the review for ReviewRules.editWindowSeconds (7 days) after writing it. An operator may hide
-- an abusive review with a reason: it leaves the average and the public list, and the audit keeps
-- who, when and why.
--
-- The catalogue's rating (catalogue_entries.rating_count and rating_sum, migration 0012) counts
-- the visible reviews of a product and is changed in the same transaction as each review write,
-- edit or hide, under the product's row lock; a product put back in the catalogue after a delist
-- starts from its visible reviews (CatalogueRepository.upsert), under the same lock.

CREATE TABLE reviews (
    id               text PRIMARY KEY,
    -- One review an order: the code checks it under the order's row lock, and this says it again.
    order_id         text NOT NULL UNIQUE REFERENCES orders (id),
    -- The reviewing enterprise, the product's provider and the product, copied from the order.
    org_id           text NOT NULL REFERENCES organisations (id),
    provider_org_id  text NOT NULL REFERENCES organisations (id),
    product_id       text NOT NULL REFERENCES products (id),
    created_by       text NOT NULL REFERENCES users (id),
    stars            integer NOT NULL CHECK (stars BETWEEN 1 AND 5),
    -- Trimmed; characters are Unicode scalars, as ReviewRules counts them.
    body             text NOT NULL CHECK (char_length(body) BETWEEN 5 AND 500),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    -- Set once by an operator (with review_audit's 'hide' entry); a hidden review changes no more.
    hidden_at        timestamptz,
    hidden_by        text REFERENCES users (id),
    hidden_reason    text CHECK (char_length(hidden_reason) BETWEEN 1 AND 500),
    CHECK ((hidden_at IS NULL) = (hidden_by IS NULL) AND (hidden_at IS NULL) = (hidden_reason IS NULL)),
    CHECK (updated_at >= created_at)
);
-- 客户评价 (the provider's, newest first) and the public list of a product's visible reviews.
CREATE INDEX reviews_provider_idx ON reviews (provider_org_id, created_at DESC, id DESC);
CREATE INDEX reviews_product_visible_idx ON reviews (product_id, created_at DESC, id DESC) WHERE hidden_at IS NULL;
CREATE INDEX reviews_org_idx ON reviews (org_id);
-- 我的评价 lists an enterprise's completed orders.
CREATE INDEX orders_org_state_idx ON orders (org_id, state, created_at DESC);

-- Every change of a review, append-only: written ('create'), edited ('edit': the new stars and
-- text) and hidden ('hide': the operator's reason). Who, when, why.
CREATE TABLE review_audit (
    id          text PRIMARY KEY,
    -- The order of the entries (several may share a clock reading).
    seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    review_id   text NOT NULL REFERENCES reviews (id),
    action      text NOT NULL CHECK (action IN ('create', 'edit', 'hide')),
    actor       text NOT NULL REFERENCES users (id),
    stars       integer CHECK (stars BETWEEN 1 AND 5),
    body        text,
    reason      text CHECK (char_length(reason) BETWEEN 1 AND 500),
    created_at  timestamptz NOT NULL,
    CHECK ((action = 'hide') = (reason IS NOT NULL)),
    CHECK ((action = 'hide') = (stars IS NULL AND body IS NULL))
);
CREATE INDEX review_audit_review_idx ON review_audit (review_id, seq);

CREATE FUNCTION review_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'review_audit is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER review_audit_no_update BEFORE UPDATE OR DELETE ON review_audit
    FOR EACH ROW EXECUTE FUNCTION review_audit_append_only();
