import Reconciliation
import Testing

/// Encodings: the same statement in UTF-8, UTF-8 with BOM and GBK/GB18030 reads the same, and
/// bytes that are none of them are refused rather than half read.
@Suite struct StatementTextTests {
    @Test func sameStatementInEveryEncodingGivesTheSameEntries() throws {
        // Proves UTF-8, UTF-8 with BOM and GB18030 bytes of one export give identical entries and name their encoding.
        let text = StatementFixture.abcExport
        let plain = try StatementParser.parse(Array(text.utf8))
        let withBOM = try StatementParser.parse([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let gbk = try StatementParser.parse(try #require(StatementText.gb18030(text)))
        #expect(plain.entries == StatementFixture.abcEntries)
        #expect(withBOM.entries == plain.entries)
        #expect(gbk.entries == plain.entries)
        #expect([plain.encoding, withBOM.encoding, gbk.encoding] == ["UTF-8", "UTF-8 with BOM", "GB18030"])
        #expect(gbk.skippedLineCount == plain.skippedLineCount && gbk.ownAccount == plain.ownAccount)
    }

    @Test func encoderWritesGBKBytesForGBKCharacters() throws {
        // Proves the encoder produces the GBK bytes banks send (中 is D6 D0, ￥ is A3 A4) and decodes back.
        #expect(StatementText.gb18030("中") == [0xD6, 0xD0])
        #expect(StatementText.gb18030("￥1") == [0xA3, 0xA4, 0x31])
        #expect(StatementText.gb18030("abc,\n") == Array("abc,\n".utf8))
        let mixed = "流水号 𠀀 € 対"
        let decoded = try StatementText.decode(try #require(StatementText.gb18030(mixed)))
        #expect(decoded.text == mixed && decoded.encoding == .gb18030)
    }

    @Test func bytesInNoKnownEncodingAreRefused() {
        // Proves invalid GB18030 (a lone 0xFF, a truncated pair) and non-UTF-8 after a UTF-8 BOM are statement_encoding_unknown,
        // each naming the line and the byte offset where decoding stopped (issue 20: the header is 30 bytes, line 1).
        let header = Array("流水号,交易日期,金额\n".utf8)
        #expect(StatementFixture.error(header + [0x53, 0x31, 0x2C, 0xFF, 0x0A]) == .undecodable(line: 2, byteOffset: 33))
        #expect(StatementFixture.error(header + [0x53, 0x31, 0x2C, 0x81]) == .undecodable(line: 2, byteOffset: 33))
        let gbk = StatementText.gb18030("流水号,交易日期,金额\n") ?? []
        #expect(StatementFixture.error([0xEF, 0xBB, 0xBF] + gbk) == .undecodable(line: 1, byteOffset: 3))
        #expect(StatementFixture.error([0xFF, 0xFE, 0x41, 0x00]) == .undecodable(line: 1, byteOffset: 0))
        let refusal = StatementError.undecodable(line: 2, byteOffset: 33)
        #expect(refusal.code == "statement_encoding_unknown")
        #expect(refusal.detail.contains("line 2") && refusal.detail.contains("byte offset 33"))
    }

    @Test func aByteOrderMarkInsideGB18030IsDropped() throws {
        // Proves a GB18030 file starting with U+FEFF (84 31 95 33) reads like one without it.
        let bytes = try #require(StatementText.gb18030("\u{FEFF}" + StatementFixture.abcExport))
        #expect(Array(bytes.prefix(4)) == [0x84, 0x31, 0x95, 0x33])
        #expect(try StatementParser.parse(bytes).entries == StatementFixture.abcEntries)
    }
}
