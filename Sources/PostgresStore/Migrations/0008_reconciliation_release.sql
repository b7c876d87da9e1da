-- Reconciliation: a person may release a line they (or a colleague) decided, so that automatic
-- matching takes it again. The release is audited like the decisions it undoes, so the audit's
-- action list widens; 0007 is never edited (applied migrations are checksummed).
ALTER TABLE reconciliation_audit DROP CONSTRAINT reconciliation_audit_action_check;
ALTER TABLE reconciliation_audit ADD CONSTRAINT reconciliation_audit_action_check
    CHECK (action IN ('match', 'unmatch', 'release'));
