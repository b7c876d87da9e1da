-- Enterprise details (issue 15, item 4): the eleven groups of the enterprise form after 企业背景
-- (guide §2.3.2 fig 2-7) leave the free `extra` object for `groups`, keyed by stable codes and
-- validated by the API (OrganisationDetails / EnterpriseGroup). A registration saved before this
-- migration kept them in `details.extra` under their Chinese names: each such group that is an
-- object moves to `details.groups.<code>` (a group already in `groups` is kept); every other
-- `extra` field stays in `extra`, and an `extra` left empty is removed. Values are moved as they
-- were; the next save of the draft validates them.
CREATE TEMPORARY TABLE enterprise_group_names (label text PRIMARY KEY, code text NOT NULL) ON COMMIT DROP;
INSERT INTO enterprise_group_names (label, code) VALUES
    ('运营', 'operations'), ('人员', 'personnel'), ('信息数字化', 'digitalisation'), ('固定资产', 'fixedAssets'),
    ('生产', 'production'), ('供应链', 'supplyChain'), ('客户服务', 'customerService'), ('安全环保', 'safetyEnvironment'),
    ('融资条件', 'financingConditions'), ('融资状况', 'financingStatus'), ('创新研发', 'innovation');

WITH moved AS (
    SELECT p.org_id,
        coalesce((
            SELECT jsonb_object_agg(n.code, p.details -> 'extra' -> n.label)
            FROM enterprise_group_names n WHERE jsonb_typeof(p.details -> 'extra' -> n.label) = 'object'
        ), '{}'::jsonb) AS groups,
        (p.details -> 'extra') - coalesce((
            SELECT array_agg(n.label)
            FROM enterprise_group_names n WHERE jsonb_typeof(p.details -> 'extra' -> n.label) = 'object'
        ), '{}'::text[]) AS remaining
    FROM organisation_profiles p
    WHERE jsonb_typeof(p.details -> 'extra') = 'object'
)
UPDATE organisation_profiles p SET details =
    (p.details - 'extra')
    || CASE WHEN m.groups = '{}'::jsonb AND NOT p.details ? 'groups' THEN '{}'::jsonb
            ELSE jsonb_build_object('groups', m.groups || coalesce(p.details -> 'groups', '{}'::jsonb)) END
    || CASE WHEN m.remaining = '{}'::jsonb THEN '{}'::jsonb ELSE jsonb_build_object('extra', m.remaining) END
FROM moved m
WHERE p.org_id = m.org_id;
