import Reconciliation
import Testing

/// Calendar days round-trip through their day number and reject days that do not exist.
@Suite struct CalendarDayTests {
    @Test func dayNumbersRoundTripAcrossFourHundredYears() {
        // Proves civil-from-days and days-from-civil are inverses on every day of a full cycle.
        let start = CalendarDay(year: 1970, month: 1, day: 1)!
        #expect(start.dayNumber == 0)
        var wrong: [Int] = []
        for number in -25_000...146_097 where CalendarDay(dayNumber: number)?.dayNumber != number {
            wrong.append(number)
        }
        #expect(wrong.isEmpty)
        #expect(CalendarDay(dayNumber: 20_514)?.description == "2026-03-02")
    }

    @Test func isoTextIsStrict() {
        #expect(CalendarDay(iso: "2026-02-28")?.description == "2026-02-28")
        #expect(CalendarDay(iso: "2024-02-29") != nil)
        #expect(CalendarDay(iso: "2026-02-29") == nil)
        #expect(CalendarDay(iso: "2026-2-28") == nil)
        #expect(CalendarDay(iso: "2026-13-01") == nil)
        #expect(CalendarDay(iso: "20260228") == nil)
        #expect(CalendarDay(iso: "2026-03-01")!.days(to: CalendarDay(iso: "2026-02-27")!) == -2)
    }
}
