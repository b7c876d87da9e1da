-- The "changed since" feed of the per-request session check (issue 19): one row per change that
-- can end an access token's login or narrow what it may do before the token expires — a refresh-
-- token family revoked (logout, a replayed refresh token, a password change, a deleted user), and
-- a user whose permissions, password, disabled/deleted state, main flag or organisation changed.
-- Every server polls it (`SessionChangeFeed`) and trusts a token's claims unless the feed names its
-- user or login; then it asks PostgreSQL as before. Triggers write the rows in the transaction of
-- the change itself, so no writer (routes, voucherctl, later code) can forget to.
--
-- `txid` is the writing transaction's id: a poll reads the rows of every transaction that was not
-- yet finished at the previous poll's snapshot (`txid >= ` that snapshot's xmin), so a change whose
-- transaction commits after a poll began is read by the next poll, whatever order ids and times were
-- handed out in. `changed_at` (PostgreSQL's clock) bounds a new server's first read and the purge.
CREATE TABLE session_changes (
    id          bigserial PRIMARY KEY,
    user_id     text NOT NULL,
    -- The revoked login (refresh-token family); NULL: every login of the user.
    family_id   text,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    changed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX session_changes_txid_idx ON session_changes (txid);
CREATE INDEX session_changes_changed_at_idx ON session_changes (changed_at);

CREATE FUNCTION session_changes_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO session_changes (user_id) VALUES (OLD.id);
    RETURN NULL;
END $$;
CREATE TRIGGER users_session_change AFTER UPDATE ON users FOR EACH ROW
    WHEN (OLD.permissions IS DISTINCT FROM NEW.permissions OR OLD.password_hash IS DISTINCT FROM NEW.password_hash
          OR OLD.disabled IS DISTINCT FROM NEW.disabled OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
          OR OLD.is_main IS DISTINCT FROM NEW.is_main OR OLD.org_id IS DISTINCT FROM NEW.org_id)
    EXECUTE FUNCTION session_changes_user();
CREATE TRIGGER users_session_delete AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION session_changes_user();

-- One row per revoked family and statement (a family revoked at once has many tokens).
CREATE FUNCTION session_changes_families() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO session_changes (user_id, family_id) SELECT DISTINCT o.user_id, o.family_id FROM old_rows o;
    ELSE
        INSERT INTO session_changes (user_id, family_id)
        SELECT DISTINCT n.user_id, n.family_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (o.revoked_at IS NULL AND n.revoked_at IS NOT NULL) OR o.user_id IS DISTINCT FROM n.user_id
              OR o.family_id IS DISTINCT FROM n.family_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER refresh_tokens_session_change AFTER UPDATE ON refresh_tokens
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION session_changes_families();
CREATE TRIGGER refresh_tokens_session_delete AFTER DELETE ON refresh_tokens
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION session_changes_families();
