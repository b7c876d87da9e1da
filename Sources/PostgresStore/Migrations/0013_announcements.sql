-- Announcements (issue 15, item 3; guide §1.4.1, §2.4.1, §2.3.1 fig 2-2): operators draft,
-- schedule, publish, pin and withdraw; the portal reads the published ones for everyone, the
-- workbench the ones for the reader's audience, with read/unread per user.
--
-- State is derived, not stored: a draft has no publish_at; it is scheduled while
-- publish_at > now and published from then on (no background job: readers compare with the
-- clock); withdrawn_at ends it. Categories are stable codes (notice 通知, bulletin 公告,
-- policy 政策, news 资讯).
CREATE TABLE announcements (
    id              text PRIMARY KEY,
    title           text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 100),
    body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    category        text NOT NULL CHECK (category IN ('notice', 'bulletin', 'policy', 'news')),
    audience        text NOT NULL CHECK (audience IN ('all', 'enterprises', 'providers')),
    pinned          boolean NOT NULL DEFAULT false,
    publish_at      timestamptz,
    withdrawn_at    timestamptz,
    created_by      text NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK (withdrawn_at IS NULL OR publish_at IS NOT NULL)
);
CREATE INDEX announcements_listing ON announcements (audience, pinned DESC, publish_at DESC) WHERE withdrawn_at IS NULL;

-- Who read which announcement (on opening its detail, or marked explicitly), once per user.
CREATE TABLE announcement_reads (
    announcement_id text NOT NULL REFERENCES announcements (id),
    user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at         timestamptz NOT NULL,
    PRIMARY KEY (announcement_id, user_id)
);
