-- Enterprise details (issue 15, item 4, finished): every starred 企业背景 field of fig 2-7 is a typed
-- field of `details` (OrganisationDetails), and the choices are closed sets of codes
-- (DetailChoice). Drafts saved before this migration may hold those fields in the free `extra`
-- object under their Chinese labels, and `registrationType` / `taxCreditRating` as free text. Here:
-- - each labelled field in `extra` whose value converts (text of the field's length, 是/否 or a
--   boolean, a whole number or its digits, a date YYYY-MM-DD, a choice's code or label) becomes the
--   typed field, unless the typed field is already set, and leaves `extra`; a value that does not
--   convert stays in `extra` as it was (the draft then lists the field in `missing`);
-- - a `registrationType`, `taxCreditRating`, `listingBoard`, `plannedListingBoard` or
--   `subsidyLevel` written as a label becomes its code; one that is neither code nor label moves to
--   `extra` under its Chinese label, so the draft can be saved again and nothing is lost;
-- - an `extra` left empty is removed. BackgroundLabel in OrganisationDetails.swift is the same table.
CREATE TEMPORARY TABLE detail_choices (choice_set text NOT NULL, code text NOT NULL, label text NOT NULL) ON COMMIT DROP;
INSERT INTO detail_choices (choice_set, code, label) VALUES
    ('registrationTypes', 'state_owned', '国有企业'), ('registrationTypes', 'collective', '集体企业'),
    ('registrationTypes', 'limited_liability', '有限责任公司'), ('registrationTypes', 'joint_stock', '股份有限公司'),
    ('registrationTypes', 'private', '私营企业'), ('registrationTypes', 'hk_macao_taiwan', '港澳台商投资企业'),
    ('registrationTypes', 'foreign', '外商投资企业'), ('registrationTypes', 'other', '其他企业'),
    ('taxCreditRatings', 'A', 'A级'), ('taxCreditRatings', 'B', 'B级'), ('taxCreditRatings', 'M', 'M级'),
    ('taxCreditRatings', 'C', 'C级'), ('taxCreditRatings', 'D', 'D级'),
    ('listingBoards', 'main_board', '主板'), ('listingBoards', 'star_market', '科创板'), ('listingBoards', 'chinext', '创业板'),
    ('listingBoards', 'bse', '北交所'), ('listingBoards', 'neeq', '新三板'), ('listingBoards', 'regional_equity', '区域性股权市场'),
    ('listingBoards', 'overseas', '境外上市'),
    ('subsidyLevels', 'none', '无'), ('subsidyLevels', 'district', '区县级'), ('subsidyLevels', 'municipal', '市级'),
    ('subsidyLevels', 'provincial', '省级'), ('subsidyLevels', 'national', '国家级');

-- kind: text:<max>, flag, count, date, choice:<set>
CREATE TEMPORARY TABLE background_labels (label text PRIMARY KEY, key text NOT NULL, kind text NOT NULL) ON COMMIT DROP;
INSERT INTO background_labels (label, key, kind) VALUES
    ('企业登记注册类型', 'registrationType', 'choice:registrationTypes'), ('纳税信用等级', 'taxCreditRating', 'choice:taxCreditRatings'),
    ('是否已上市', 'listed', 'flag'), ('上市板块', 'listingBoard', 'choice:listingBoards'), ('是否有上市计划', 'listingPlanned', 'flag'),
    ('计划上市时间', 'plannedListingOn', 'date'), ('计划上市版块', 'plannedListingBoard', 'choice:listingBoards'),
    ('所属重点产业链', 'keyIndustryChain', 'text:100'), ('核心产品名称', 'coreProduct', 'text:64'), ('核心产品名称2', 'coreProduct2', 'text:64'),
    ('3年内有交易的企业客户数量', 'enterpriseCustomersIn3Years', 'count'),
    ('1年内有交易的C端(个人)客户数量', 'consumerCustomersIn1Year', 'count'), ('员工总数(人)', 'employeeCount', 'count'),
    ('所属区域', 'region', 'text:100'), ('注册地址', 'registeredAddress', 'text:100'), ('企业地址', 'businessAddress', 'text:100'),
    ('是否为高新技术企业', 'highTech', 'flag'), ('通过高新技术企业认定时间', 'highTechCertifiedOn', 'date'),
    ('是否拥有省级以上知名品牌/商标', 'famousBrand', 'flag'), ('是否省级以上认定“单项冠军”企业', 'singleChampion', 'flag'),
    ('近三年获取政策各种补助的总次数', 'subsidyCountIn3Years', 'count'),
    ('近三年获取政策补助的级别范围', 'subsidyLevel', 'choice:subsidyLevels'),
    ('是否是专精特新小巨人企业', 'specialisedGiant', 'flag'), ('获得省级以上奖项、荣誉', 'provincialAwards', 'flag'),
    ('企业简介', 'introduction', 'text:2000');

DO $$
DECLARE
    profile record;
    field record;
    merged jsonb;
    leftover jsonb;
    raw jsonb;
    raw_text text;
    converted jsonb;
BEGIN
    FOR profile IN SELECT org_id, details FROM organisation_profiles LOOP
        merged := profile.details;
        leftover := CASE WHEN jsonb_typeof(merged -> 'extra') = 'object' THEN merged -> 'extra' ELSE '{}'::jsonb END;
        -- Typed choice fields written as labels: to their codes, or out to `extra` when neither.
        FOR field IN SELECT * FROM background_labels WHERE kind LIKE 'choice:%' LOOP
            raw := merged -> field.key;
            CONTINUE WHEN raw IS NULL OR jsonb_typeof(raw) = 'null';
            converted := NULL;
            IF jsonb_typeof(raw) = 'string' THEN
                SELECT to_jsonb(c.code) INTO converted FROM detail_choices c
                WHERE c.choice_set = substr(field.kind, 8) AND (c.code = raw #>> '{}' OR c.label = raw #>> '{}') LIMIT 1;
            END IF;
            IF converted IS NOT NULL THEN
                merged := jsonb_set(merged, ARRAY[field.key], converted);
            ELSE
                merged := merged - field.key;
                IF NOT leftover ? field.label THEN leftover := leftover || jsonb_build_object(field.label, raw); END IF;
            END IF;
        END LOOP;
        -- Labelled fields in `extra` into their typed fields.
        FOR field IN SELECT * FROM background_labels LOOP
            raw := leftover -> field.label;
            CONTINUE WHEN raw IS NULL;
            raw_text := raw #>> '{}';
            converted := NULL;
            IF field.kind LIKE 'text:%' THEN
                IF jsonb_typeof(raw) = 'string' AND btrim(raw_text) <> '' AND char_length(raw_text) <= substr(field.kind, 6)::int THEN
                    converted := raw;
                END IF;
            ELSIF field.kind = 'flag' THEN
                IF jsonb_typeof(raw) = 'boolean' THEN converted := raw;
                ELSIF raw_text = '是' THEN converted := 'true'::jsonb;
                ELSIF raw_text = '否' THEN converted := 'false'::jsonb;
                END IF;
            ELSIF field.kind = 'count' THEN
                IF jsonb_typeof(raw) = 'number' AND raw_text ~ '^[0-9]{1,9}$' AND raw_text::bigint <= 100000000 THEN converted := raw;
                ELSIF jsonb_typeof(raw) = 'string' AND raw_text ~ '^[0-9]{1,9}$' AND raw_text::bigint <= 100000000 THEN
                    converted := to_jsonb(raw_text::bigint);
                END IF;
            ELSIF field.kind = 'date' THEN
                IF jsonb_typeof(raw) = 'string' AND raw_text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
                    BEGIN
                        IF to_char(raw_text::date, 'YYYY-MM-DD') = raw_text THEN converted := raw; END IF;
                    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
                        converted := NULL;
                    END;
                END IF;
            ELSIF field.kind LIKE 'choice:%' AND jsonb_typeof(raw) = 'string' THEN
                SELECT to_jsonb(c.code) INTO converted FROM detail_choices c
                WHERE c.choice_set = substr(field.kind, 8) AND (c.code = raw_text OR c.label = raw_text) LIMIT 1;
            END IF;
            CONTINUE WHEN converted IS NULL;
            IF merged -> field.key IS NULL OR jsonb_typeof(merged -> field.key) = 'null' THEN
                merged := jsonb_set(merged, ARRAY[field.key], converted);
            END IF;
            leftover := leftover - field.label;
        END LOOP;
        merged := merged - 'extra';
        IF leftover <> '{}'::jsonb THEN merged := merged || jsonb_build_object('extra', leftover); END IF;
        IF merged IS DISTINCT FROM profile.details THEN
            UPDATE organisation_profiles SET details = merged WHERE org_id = profile.org_id;
        END IF;
    END LOOP;
END
$$;
