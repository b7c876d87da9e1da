import Reconciliation
import Testing

/// camt.053: entries, parties, references and remittance lines are read from every version we
/// support; broken entries are reported by their index and the others still read.
@Suite struct CamtStatementTests {
    /// A camt.053 document in `version` with `entries` (Ntry elements) in one Stmt.
    static func document(version: String = "02", account: String = "<Othr><Id>6228480012345678901</Id></Othr>", entries: String) -> [UInt8] {
        Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.\(version)" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <BkToCstmrStmt>
                <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-11-30T18:00:00+08:00</CreDtTm></GrpHdr>
                <Stmt>
                  <Id>STMT-2026-11</Id>
                  <FrToDt><FrDtTm>2026-11-01T00:00:00+08:00</FrDtTm><ToDtTm>2026-11-30T23:59:59+08:00</ToDtTm></FrToDt>
                  <Acct><Id>\(account)</Id><Ccy>CNY</Ccy></Acct>
                  <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt
                      Ccy="CNY">100000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-01</Dt></Dt></Bal>
            \(entries)
                </Stmt>
              </BkToCstmrStmt>
            </Document>
            """.utf8)
    }

    static let fiveEntries = """
        <Ntry>
          <Amt Ccy="CNY">1234.56</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
          <BookgDt><Dt>2026-11-03</Dt></BookgDt><ValDt><Dt>2026-11-03</Dt></ValDt>
          <AcctSvcrRef>ABC20261103001</AcctSvcrRef>
          <NtryDtls><TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="CNY">1234.56</Amt></TxAmt></AmtDtls>
            <RltdPties>
              <Dbtr><Nm>某某科技有限公司</Nm></Dbtr>
              <Cdtr><Nm>上海某某诊所有限公司</Nm></Cdtr>
              <CdtrAcct><Id><Othr><Id>6228480098765432101</Id></Othr></Id></CdtrAcct>
            </RltdPties>
            <RmtInf><Ustrd>RB0000000001</Ustrd></RmtInf>
          </TxDtls></NtryDtls>
          <AddtlNtryInf>跨行转账</AddtlNtryInf>
        </Ntry>
        <Ntry>
          <Amt Ccy="cny">500</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
          <BookgDt><DtTm>2026-11-04T09:00:00+08:00</DtTm></BookgDt>
          <NtryDtls><TxDtls>
            <Refs><AcctSvcrRef>ABC20261104007</AcctSvcrRef><EndToEndId>E2E-7</EndToEndId></Refs>
            <RltdPties>
              <Dbtr><Nm>张三 &amp; 李四</Nm></Dbtr>
              <DbtrAcct><Id><IBAN>CN12345678901234567890</IBAN></Id></DbtrAcct>
            </RltdPties>
          </TxDtls></NtryDtls>
          <AddtlNtryInf>退款</AddtlNtryInf>
        </Ntry>
        <Ntry>
          <Amt Ccy="CNY">1.234</Amt><Sts>BOOK</Sts>
          <BookgDt><Dt>2026-11-31</Dt></BookgDt>
        </Ntry>
        <Ntry>
          <Amt Ccy="CNY">20000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>
          <BookgDt><Dt>2026-11-05</Dt></BookgDt>
          <NtryDtls><TxDtls>
            <Refs><EndToEndId>E2E-0009</EndToEndId></Refs>
            <RltdPties><Cdtr><Nm><![CDATA[杭州某某医院 <总院>]]></Nm></Cdtr></RltdPties>
            <RmtInf><Ustrd>RB0000000002 第一部分</Ustrd><Ustrd>第二部分</Ustrd></RmtInf>
          </TxDtls></NtryDtls>
        </Ntry>
        <Ntry>
          <Amt Ccy="CNY">9.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>PDNG</Sts>
          <BookgDt><Dt>2026-11-30</Dt></BookgDt><AcctSvcrRef>PENDING-1</AcctSvcrRef>
        </Ntry>
        """

    @Test func entriesOfAVersion02StatementAreReadAndTheBrokenOneReportedByIndex() throws {
        // Proves a DBIT with remittance, a CRDT (DtTm, serial from TxDtls Refs, IBAN), a split Ustrd and a broken
        // entry: three entries, the broken one reported as entry 3 with every fault, the pending one skipped.
        let statement = try StatementParser.parse(Self.document(entries: Self.fiveEntries))
        #expect(statement.format == .camt053 && statement.encoding == "UTF-8")
        #expect(
            statement.entries == [
                StatementEntry(
                    lineNumber: 1, serial: "ABC20261103001", date: StatementFixture.day("2026-11-03"), direction: .debit, amountFen: 123_456,
                    counterpartyName: "上海某某诊所有限公司", counterpartyAccount: "6228480098765432101", memo: "RB0000000001",
                    ownAccount: "6228480012345678901"),
                StatementEntry(
                    lineNumber: 2, serial: "ABC20261104007", date: StatementFixture.day("2026-11-04"), time: "09:00:00", direction: .credit,
                    amountFen: 50_000, counterpartyName: "张三 & 李四", counterpartyAccount: "CN12345678901234567890", memo: "退款",
                    ownAccount: "6228480012345678901"),
                StatementEntry(
                    lineNumber: 4, serial: "E2E-0009", date: StatementFixture.day("2026-11-05"), direction: .debit, amountFen: 2_000_000,
                    counterpartyName: "杭州某某医院 <总院>", counterpartyAccount: "", memo: "RB0000000002 第一部分 | 第二部分",
                    ownAccount: "6228480012345678901"),
            ])
        #expect(statement.problems.map(\.lineNumber) == [3])
        let reason = try #require(statement.problems.first?.reason)
        for fault in ["Amt \"1.234\"", "CdtDbtInd is missing", "BookgDt/Dt \"2026-11-31\"", "no AcctSvcrRef"] {
            #expect(reason.contains(fault), "\(fault)")
        }
        #expect(statement.skippedLineCount == 1)
        #expect(statement.ownAccount == "6228480012345678901")
        #expect(statement.periodFrom == StatementFixture.day("2026-11-01"))
        #expect(statement.periodTo == StatementFixture.day("2026-11-30"))
    }

    @Test(arguments: ["08", "10", "13"])
    func laterVersionsWithPartyLevelAreRead(version: String) throws {
        // Proves camt.053.001.08+ parties under Pty, an IBAN own account and a BOM are read like version 02.
        let entry = """
            <Ntry><Amt Ccy="CNY">88.80</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
              <BookgDt><Dt>2026-11-06</Dt></BookgDt><AcctSvcrRef>R-1</AcctSvcrRef>
              <NtryDtls><TxDtls><RltdPties>
                <Cdtr><Pty><Nm>某某诊所</Nm></Pty></Cdtr>
                <CdtrAcct><Id><Othr><Id>6228 4800 9876</Id></Othr></Id></CdtrAcct>
              </RltdPties></TxDtls></NtryDtls>
            </Ntry>
            """
        let bytes = [0xEF, 0xBB, 0xBF] + Self.document(version: version, account: "<IBAN>CN0011</IBAN>", entries: entry)
        let statement = try StatementParser.parse(bytes)
        #expect(statement.encoding == "UTF-8 with BOM")
        #expect(statement.entries.map(\.counterpartyName) == ["某某诊所"])
        #expect(statement.entries.map(\.counterpartyAccount) == ["6228 4800 9876"])
        #expect(statement.entries.map(\.amountFen) == [8_880])
        #expect(statement.ownAccount == "CN0011")
    }

    @Test func duplicateReferencesAndBatchBookingsAreProblems() throws {
        // Proves a second entry with the same AcctSvcrRef, a batch of transfers to different creditors and a
        // missing Ccy are reported by index; remittance falls back to AddtlNtryInf only when there is no Ustrd.
        let entries = """
            <Ntry><Amt Ccy="CNY">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt>
              <AcctSvcrRef>R-1</AcctSvcrRef><AddtlNtryInf>批量代发</AddtlNtryInf></Ntry>
            <Ntry><Amt Ccy="CNY">2.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt>
              <AcctSvcrRef>R-1</AcctSvcrRef></Ntry>
            <Ntry><Amt Ccy="CNY">3.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt>
              <AcctSvcrRef>R-3</AcctSvcrRef><NtryDtls>
                <TxDtls><RltdPties><Cdtr><Nm>甲</Nm></Cdtr></RltdPties></TxDtls>
                <TxDtls><RltdPties><Cdtr><Nm>乙</Nm></Cdtr></RltdPties></TxDtls>
              </NtryDtls></Ntry>
            <Ntry><Amt>4.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>R-4</AcctSvcrRef></Ntry>
            """
        let statement = try StatementParser.parse(Self.document(entries: entries))
        #expect(statement.entries.map(\.memo) == ["批量代发"])
        #expect(statement.problems.map(\.lineNumber) == [2, 3, 4])
        #expect(statement.problems[0].reason.contains("already entry 1"))
        #expect(statement.problems[1].reason.contains("2 transactions to different parties"))
        #expect(statement.problems[2].reason.contains("no Ccy"))
    }

    @Test func documentsAboveTenMegabytesAreRead() throws {
        // Proves an 11 MB statement reads completely: Linux's XMLParser(data:) reports a spurious error past
        // about 10 MB (swift-corelibs-foundation #4851), so the reader must not use it.
        let filler = String(repeating: "备", count: StatementLimits.fieldLengthMax - 12)
        let count = 7_000
        let entries = (1...count).map { index in
            "<Ntry><Amt Ccy=\"CNY\">\(index).00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt>"
                + "<AcctSvcrRef>R\(index)</AcctSvcrRef><AddtlNtryInf>\(filler)</AddtlNtryInf></Ntry>"
        }.joined(separator: "\n")
        let bytes = Self.document(entries: entries)
        #expect(bytes.count > 11_000_000)
        let statement = try StatementParser.parse(bytes)
        #expect(statement.problems == [])
        #expect(statement.entries.count == count)
        #expect(statement.entries.last?.amountFen == Int64(count) * 100)
    }

    @Test func documentsThatAreNotReadableStatementsAreRefused() {
        // Proves broken XML is statement_malformed, a DTD or another ISO message is not a statement, no entries is empty,
        // a statement without the namespace but with BkToCstmrStmt is still read.
        let broken = Array("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt></BkToCstmrStmt>".utf8)
        #expect(StatementFixture.error(broken)?.code == "statement_malformed")
        let withDTD = Array("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">]><Document><BkToCstmrStmt/></Document>".utf8)
        #expect(StatementFixture.error(withDTD)?.code == "statement_not_recognised")
        #expect(StatementFixture.error(Self.document(entries: "")) == .empty)
        let noNamespace = Array(
            """
            <Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="CNY">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
            <BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>R</AcctSvcrRef></Ntry></Stmt></BkToCstmrStmt></Document>
            """.utf8)
        #expect((try? StatementParser.parse(noNamespace))?.entries.count == 1)
        let gbk =
            StatementText.gb18030("<Document><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>中文</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>")
            ?? []
        #expect(StatementFixture.error(gbk) == .undecodable(line: 1, byteOffset: 51))  // 中 in GBK, after 51 ASCII bytes
    }
}
