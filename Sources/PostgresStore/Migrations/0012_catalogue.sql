-- The public catalogue (解决方案与产品, issue #14 item 3): one row per listed product, written by the
-- listing chain's final approval (CatalogueRepository.upsert in the same transaction) and removed
-- when the product is delisted. Everything the public list and detail show is here, so a read
-- never joins the listing tables and never sees a revision still in review.
--
-- Chinese substring search, measured before choosing (PostgreSQL 15, LC_CTYPE C.UTF-8, 100,000
-- generated names, psql on the 2-core machine; the bench's own figures: docs/BENCHMARKS.md):
--   * pg_trgm does extract trigrams from CJK text in this locale, and serves a LIKE '%…%' of three
--     or more characters from a GIN index (1.4 ms for 平台协同).
--   * a query of one or two characters (云, 数字, 追溯) has no trigram at all, so LIKE '%数字%'
--     cannot use the trigram index: a sequential scan of the whole table (95 to 135 ms), and those
--     are most Chinese queries.
-- So the index is ours: `search_grams` holds every unigram and bigram (Unicode scalars, lowercased,
-- none spanning whitespace or two fields) of the name, the product names and the tags, computed in
-- Swift (VoucherCore CatalogueSearch). A term of one character looks up its unigram, a longer term
-- all its bigrams (GIN `@>`), and `strpos(search_text, term)` rechecks the candidates, so the
-- answer is exactly a substring match. 云 over the 100,000 rows: 34 ms to count 21,113 matches
-- instead of 98 ms, 数字: 17 ms instead of 107 ms. No extension is needed.

CREATE TABLE catalogue_entries (
    product_id             text PRIMARY KEY REFERENCES products (id),
    provider_org_id        text NOT NULL REFERENCES organisations (id),
    provider_name          text NOT NULL CHECK (length(provider_name) BETWEEN 1 AND 200),
    -- 方案名称
    name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- 相关产品名称
    product_names          text[] NOT NULL CHECK (cardinality(product_names) <= 20),
    -- The category decides which vouchers pay (ProductCategory.swift), as in `products`.
    category               text NOT NULL CHECK (category IN ('diagnostic_consulting', 'cloud', 'dt_standard', 'integration_standard',
                               'dcmm', 'software_application', 'digital_application', 'network_platform', 'training_branding')),
    tags                   text[] NOT NULL CHECK (cardinality(tags) <= 20),
    solution_classes       text[] NOT NULL CHECK (cardinality(solution_classes) <= 5),
    industries             text[] NOT NULL CHECK (cardinality(industries) <= 3),
    -- 历史最低价 / 历史最高价 as the provider declared them.
    price_low_fen          bigint NOT NULL CHECK (price_low_fen >= 0),
    price_high_fen         bigint NOT NULL CHECK (price_high_fen >= price_low_fen),
    -- The cheapest spec now on sale (0 when a spec is free): the price filter and sort use it.
    lowest_spec_price_fen  bigint NOT NULL CHECK (lowest_spec_price_fen >= 0),
    -- 平均交付周期 (days) and 人天.
    delivery_days          integer NOT NULL CHECK (delivery_days >= 0),
    person_days            integer NOT NULL CHECK (person_days >= 0),
    image_file_id          text,
    listed_at              timestamptz NOT NULL,
    -- Reviews do not exist yet. Ratings are 1 to 5 stars, so the sum lies between count and 5 × count.
    rating_count           integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    rating_sum             bigint NOT NULL DEFAULT 0 CHECK (rating_sum BETWEEN rating_count AND 5 * rating_count::bigint),
    -- The average in thousandths of a star (integer division), NULL while unrated: the rating sort.
    rating_average_milli   bigint GENERATED ALWAYS AS (CASE WHEN rating_count = 0 THEN NULL ELSE rating_sum * 1000 / rating_count END) STORED,
    -- The whole public detail (CatalogueDetail.swift): intro page, specs, case studies without
    -- private contact fields, the contact block.
    detail                 jsonb NOT NULL,
    -- Search: the lowercased name, product names and tags, one per line, and their grams (above).
    search_text            text NOT NULL,
    search_grams           text[] NOT NULL
);
CREATE INDEX catalogue_entries_grams_idx ON catalogue_entries USING gin (search_grams);
CREATE INDEX catalogue_entries_tags_idx ON catalogue_entries USING gin (tags);
CREATE INDEX catalogue_entries_industries_idx ON catalogue_entries USING gin (industries);
-- The sorts, each with the product id as the tie-break that makes paging stable.
CREATE INDEX catalogue_entries_newest_idx ON catalogue_entries (listed_at DESC, product_id);
CREATE INDEX catalogue_entries_price_idx ON catalogue_entries (lowest_spec_price_fen, product_id);
CREATE INDEX catalogue_entries_rating_idx ON catalogue_entries (rating_average_milli DESC NULLS LAST, rating_count DESC, product_id);
CREATE INDEX catalogue_entries_category_idx ON catalogue_entries (category, listed_at DESC);
CREATE INDEX catalogue_entries_provider_idx ON catalogue_entries (provider_org_id);
