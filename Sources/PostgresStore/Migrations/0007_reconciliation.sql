-- Reconciliation (对账, issue #9): imported bank statements, their lines (deduplicated on the bank
-- serial across statements), which statement listed which line, and the audit of manual decisions.
-- The database refuses what would lose a fen: a batch can never be matched above its total.

-- One imported file. `sha256` of the raw bytes makes a re-import of the same file a no-op.
CREATE TABLE bank_statements (
    id            text PRIMARY KEY,
    format        text NOT NULL CHECK (format IN ('csv', 'camt.053')),
    encoding      text NOT NULL CHECK (length(encoding) BETWEEN 1 AND 40),
    sha256        text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    filename      text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    own_account   text,
    period_from   date,
    period_to     date,
    entry_count   integer NOT NULL CHECK (entry_count > 0),
    new_count     integer NOT NULL CHECK (new_count >= 0),
    known_count   integer NOT NULL CHECK (known_count >= 0),
    imported_by   text REFERENCES users (id),
    source        text NOT NULL CHECK (source IN ('api', 'cli')),
    created_at    timestamptz NOT NULL,
    CHECK (new_count + known_count = entry_count),
    CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to),
    -- The API always knows the person; the CLI runs as the operating-system user.
    CHECK ((source = 'api') = (imported_by IS NOT NULL))
);
CREATE INDEX bank_statements_created_idx ON bank_statements (created_at DESC, id);

-- One receipt (电子回单), stored once whichever statements list it. `outcome` is what
-- reconciliation concluded; a line a person decided (`decided_by`) is never re-matched automatically.
CREATE TABLE statement_lines (
    id                    text PRIMARY KEY,
    serial                text NOT NULL UNIQUE CHECK (length(serial) BETWEEN 1 AND 512),
    first_statement_id    text NOT NULL REFERENCES bank_statements (id),
    line_number           integer NOT NULL CHECK (line_number > 0),
    booked_on             date NOT NULL,
    booked_time           text,
    direction             text NOT NULL CHECK (direction IN ('debit', 'credit')),
    amount_fen            bigint NOT NULL CHECK (amount_fen > 0),
    currency              text NOT NULL,
    counterparty_name     text NOT NULL,
    counterparty_account  text NOT NULL,
    memo                  text NOT NULL,
    own_account           text,
    outcome               text NOT NULL CHECK (outcome IN ('matched', 'amount_mismatch', 'name_or_account_mismatch',
                              'duplicate_payment', 'no_batch', 'ambiguous', 'not_payout')),
    batch_id              text REFERENCES redemption_batches (id),
    candidate_batch_ids   text[] NOT NULL DEFAULT '{}',
    rule                  text CHECK (rule IN ('reference', 'bank_serial', 'account_and_amount', 'manual')),
    note                  text NOT NULL DEFAULT '',
    decided_by            text REFERENCES users (id),
    decided_at            timestamptz,
    matched_at            timestamptz,
    created_at            timestamptz NOT NULL,
    CHECK ((direction = 'credit') = (outcome = 'not_payout')),
    CHECK (outcome <> 'matched' OR batch_id IS NOT NULL),
    CHECK (outcome <> 'no_batch' OR batch_id IS NULL),
    CHECK ((outcome = 'matched') = (matched_at IS NOT NULL)),
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    CHECK (decided_by IS NULL OR rule = 'manual')
);
CREATE INDEX statement_lines_batch_idx ON statement_lines (batch_id) WHERE batch_id IS NOT NULL;
-- The lines matching looks at: debits neither matched nor decided by a person.
CREATE INDEX statement_lines_open_idx ON statement_lines (id)
    WHERE direction = 'debit' AND outcome <> 'matched' AND decided_by IS NULL;

-- Which statement listed which line: an overlapping statement lists the lines it shares with an
-- earlier one. `conflict` says how this file's copy of a known serial differed from the stored line.
CREATE TABLE statement_entries (
    statement_id  text NOT NULL REFERENCES bank_statements (id),
    line_id       text NOT NULL REFERENCES statement_lines (id),
    line_number   integer NOT NULL CHECK (line_number > 0),
    conflict      text,
    PRIMARY KEY (statement_id, line_id)
);
CREATE INDEX statement_entries_order_idx ON statement_entries (statement_id, line_number);

-- Every manual match and unmatch, with who, why and when. Append-only.
CREATE TABLE reconciliation_audit (
    id          text PRIMARY KEY,
    line_id     text NOT NULL REFERENCES statement_lines (id),
    action      text NOT NULL CHECK (action IN ('match', 'unmatch')),
    batch_id    text REFERENCES redemption_batches (id),
    actor       text NOT NULL REFERENCES users (id),
    note        text NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
    created_at  timestamptz NOT NULL,
    CHECK (action <> 'match' OR batch_id IS NOT NULL)
);
CREATE INDEX reconciliation_audit_line_idx ON reconciliation_audit (line_id, created_at);

CREATE FUNCTION reconciliation_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'reconciliation_audit is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER reconciliation_audit_no_update BEFORE UPDATE OR DELETE ON reconciliation_audit
    FOR EACH ROW EXECUTE FUNCTION reconciliation_audit_append_only();

-- The matched receipts of a batch never sum above its total. Checked once per statement over the
-- batches the statement touched (transition table), so a rematch that writes 100,000 lines costs
-- one grouped query, not 100,000; the error names the constraint the repository maps.
CREATE FUNCTION statement_lines_check_batch_total() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    over record;
BEGIN
    SELECT b.id, b.total_fen, sum(l.amount_fen) AS matched_fen INTO over
    FROM redemption_batches b JOIN statement_lines l ON l.batch_id = b.id AND l.outcome = 'matched'
    WHERE b.id IN (SELECT DISTINCT batch_id FROM touched WHERE outcome = 'matched')
    GROUP BY b.id, b.total_fen
    HAVING sum(l.amount_fen) > b.total_fen
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'batch % would be matched % fen against a total of % fen', over.id, over.matched_fen, over.total_fen
            USING ERRCODE = 'check_violation', CONSTRAINT = 'statement_lines_batch_not_overpaid';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER statement_lines_batch_total_insert AFTER INSERT ON statement_lines
    REFERENCING NEW TABLE AS touched FOR EACH STATEMENT EXECUTE FUNCTION statement_lines_check_batch_total();
CREATE TRIGGER statement_lines_batch_total_update AFTER UPDATE ON statement_lines
    REFERENCING NEW TABLE AS touched FOR EACH STATEMENT EXECUTE FUNCTION statement_lines_check_batch_total();
