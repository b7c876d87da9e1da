import Testing

@testable import PostgresStore

@Suite struct SQLScriptTests {
    @Test func splitsAtTopLevelSemicolonsOnly() {
        // Proves semicolons inside quotes, dollar-quoted bodies and comments do not split.
        let sql = """
            -- a comment; with a semicolon
            CREATE TABLE a (x text DEFAULT 'a;b');
            /* block; comment */
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            SELECT "we;ird" FROM a;
            SELECT $$x;y$$
            """
        let statements = SQLScript.statements(sql)
        #expect(
            statements == [
                "CREATE TABLE a (x text DEFAULT 'a;b')",
                "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
                "SELECT \"we;ird\" FROM a",
                "SELECT $$x;y$$",
            ])
    }

    @Test func commentOnlyAndEmptyPiecesVanish() {
        // Proves a file of comments yields no statement to send.
        #expect(SQLScript.statements("-- nothing\n;;\n/* still nothing */").isEmpty)
        #expect(SQLScript.statements("SELECT 'it''s';").first == "SELECT 'it''s'")
    }

    @Test func bundledMigrationsAreNumberedAndSplit() throws {
        // Proves every shipped migration loads, in order, and splits into statements.
        let migrations = try Migrator.bundled()
        #expect(!migrations.isEmpty)
        #expect(migrations.map(\.version) == migrations.map(\.version).sorted())
        for migration in migrations { #expect(!SQLScript.statements(migration.sql).isEmpty) }
    }
}
