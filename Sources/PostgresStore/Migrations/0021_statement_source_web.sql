-- A statement uploaded on the finance page (银行流水上传, issue 17) is recorded as `web`, apart from
-- the JSON route's `api` and `voucherctl statement import`'s `cli`; like `api`, a web upload
-- always knows the person. 0007 left both checks unnamed: PostgreSQL named the column's
-- `bank_statements_source_check` and the table's third unnamed check `bank_statements_check2`;
-- both are replaced by named ones.
ALTER TABLE bank_statements DROP CONSTRAINT bank_statements_source_check;
ALTER TABLE bank_statements DROP CONSTRAINT bank_statements_check2;
ALTER TABLE bank_statements ADD CONSTRAINT bank_statements_source_known CHECK (source IN ('api', 'cli', 'web'));
ALTER TABLE bank_statements ADD CONSTRAINT bank_statements_person_known CHECK ((source IN ('api', 'web')) = (imported_by IS NOT NULL));
