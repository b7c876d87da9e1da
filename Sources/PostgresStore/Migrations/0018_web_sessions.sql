-- The web pages' server-side sessions (issue 16): the browser holds only a random token in an
-- HttpOnly, SameSite=Strict cookie; the table keeps its SHA-256, never the token. Each session
-- belongs to a login (a refresh-token family, `family_id`) made for it, so the JSON API's
-- revocation rules end it too: logout everywhere, a password change, a disabled or deleted user
-- revoke the family, and a page request checks the family as a bearer token's request does.
-- Idle and absolute expiry are compared with the server's clock on every request (no job);
-- `ended_at` records a logout of this session.
CREATE TABLE web_sessions (
    id            text PRIMARY KEY,
    token_hash    text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id       text NOT NULL REFERENCES users (id),
    org_id        text NOT NULL REFERENCES organisations (id),
    family_id     text NOT NULL,
    csrf_token    text NOT NULL CHECK (length(csrf_token) BETWEEN 32 AND 128),
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL CHECK (last_seen_at >= created_at),
    ended_at      timestamptz
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id) WHERE ended_at IS NULL;
