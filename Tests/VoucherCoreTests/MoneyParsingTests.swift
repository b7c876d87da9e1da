import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Money parsing")
struct MoneyParsingTests {
    @Test(arguments: [
        ("50000", Int64(5_000_000)),
        ("50000.5", 5_000_050),
        ("50000.50", 5_000_050),
        ("50,000.00", 5_000_000),
        ("1,234,567.89", 123_456_789),
        ("0.01", 1),
        ("0", 0),
        ("0.00", 0),
        ("999", 99_900),
        ("¥50,000.00", 5_000_000),
        ("￥12.30", 1_230),
        ("92233720368547758.07", Int64.max),
    ])
    func acceptsYuanWithAtMostTwoDecimals(text: String, fen: Int64) throws {
        // Proves each accepted spelling of an amount becomes the exact number of fen.
        #expect(try Money.parse(text) == Money(fen: fen))
    }

    @Test(arguments: [
        ("", MoneyParseError.empty),
        ("1.234", .tooManyDecimals),
        ("1.000", .tooManyDecimals),
        ("-1", .negative),
        ("-0.01", .negative),
        ("abc", .notANumber),
        ("1e3", .notANumber),
        ("+1", .notANumber),
        ("1.2.3", .notANumber),
        ("1.2a", .notANumber),
        ("0x10", .notANumber),
        ("--1", .notANumber),
        ("¥", .notANumber),
        ("-", .notANumber),
        ("１２", .notANumber),
        (" 1", .whitespace),
        ("1 ", .whitespace),
        ("1 000", .whitespace),
        ("1\n", .whitespace),
        ("1.", .incompleteDecimal),
        (".5", .incompleteDecimal),
        ("¥.5", .incompleteDecimal),
        ("050", .leadingZero),
        ("00.50", .leadingZero),
        ("0,500.00", .leadingZero),
        ("5,0000.00", .misplacedSeparator),
        ("50,00.00", .misplacedSeparator),
        ("1,,000", .misplacedSeparator),
        (",100", .misplacedSeparator),
        ("100,", .misplacedSeparator),
        ("1234,567", .misplacedSeparator),
        ("92233720368547758.08", .overflow),
        ("99999999999999999999", .overflow),
        ("184467440737095516.16", .overflow),
        (String(repeating: "9", count: 41), .tooLong),
    ])
    func rejectsWithTheMatchingError(text: String, error: MoneyParseError) {
        // Proves each kind of bad amount is rejected with the error whose sentence tells how to fix it.
        #expect(throws: error) { try Money.parse(text) }
    }

    @Test func negativesAreAcceptedOnlyWhenAllowed() throws {
        // Proves the allowNegative switch: the same text is rejected by default and parsed when opted in, down to Money.min.
        #expect(throws: MoneyParseError.negative) { try Money.parse("-¥1.00") }
        #expect(try Money.parse("-¥1.00", allowNegative: true) == Money(fen: -100))
        #expect(try Money.parse("-0.50", allowNegative: true) == Money(fen: -50))
        #expect(try Money.parse("-92233720368547758.08", allowNegative: true) == Money.min)
        #expect(throws: MoneyParseError.overflow) { try Money.parse("-92233720368547758.09", allowNegative: true) }
        #expect(throws: MoneyParseError.notANumber) { try Money.parse("¥-1", allowNegative: true) }
    }

    @Test func plainTextRoundTrips() async throws {
        // Proves a plain "123.45" string parses to an amount whose plain text is the same string.
        let whole = zip(Gens.leadingDigit, Gens.digit.string(of: 0...14)).map { String($0) + $1 }
        let cents = Gens.digit.string(of: 2)
        await propertyCheck(count: 1_000, input: whole, cents) { wholeText, centsText in
            let text = wholeText + "." + centsText
            let parsed = try Money.parse(text)
            #expect(parsed.yuanText == text)
        }
    }

    @Test func threeOrMoreDecimalsAreAlwaysRejected() async {
        // Proves no amount with 3+ decimals is accepted, whatever the digits (trailing zeros included) and grouping.
        let whole = zip(Gens.leadingDigit, Gens.digit.string(of: 0...14)).map { String($0) + $1 }
        let decimals = Gens.digit.string(of: 3...12)
        await propertyCheck(count: 1_000, input: whole, decimals, Gen.bool) { wholeText, decimalText, grouped in
            let wholePart = grouped ? Money.grouped(UInt64(wholeText)!) : wholeText
            #expect(throws: MoneyParseError.tooManyDecimals) { try Money.parse(wholePart + "." + decimalText) }
        }
    }

    @Test func misgroupedSeparatorsAreRejected() async {
        // Proves a comma anywhere but every third digit from the point is rejected.
        let digits = zip(Gens.leadingDigit, Gens.digit.string(of: 3...14)).map { String($0) + $1 }
        await propertyCheck(count: 500, input: digits, Gen.int(in: 1...14)) { text, position in
            let cut = min(position, text.count - 1)
            guard (text.count - cut) % Money.groupDigits != 0 else { return }
            let index = text.index(text.startIndex, offsetBy: cut)
            let misgrouped = text[..<index] + "," + text[index...]
            #expect(throws: MoneyParseError.misplacedSeparator) { try Money.parse(String(misgrouped)) }
        }
    }

    @Test func everyErrorHasItsOwnCodeAndASentence() {
        // Proves the parse errors are distinguishable by code and each tells the user what to do.
        let codes = MoneyParseError.allCases.map(\.code)
        #expect(Set(codes).count == codes.count)
        for error in MoneyParseError.allCases {
            #expect(error.kind == .invalidInput)
            #expect(error.detail.hasSuffix("."))
            #expect(ErrorCode.all.contains(error.code))
        }
    }
}
