import Histogram

/// Counts of every outcome, indexed by `Outcome.rawValue`.
struct OutcomeCounts: Sendable, Codable {
    private(set) var values = [Int](repeating: 0, count: Outcome.allCases.count)

    subscript(_ outcome: Outcome) -> Int { values[outcome.rawValue] }

    mutating func add(_ outcome: Outcome, _ count: Int = 1) { values[outcome.rawValue] += count }

    mutating func add(_ other: OutcomeCounts) {
        for index in values.indices { values[index] += other.values[index] }
    }

    /// Requests the server answered (any status).
    var answered: Int { Outcome.allCases.filter(\.isAnswer).reduce(0) { $0 + self[$1] } }
    var total: Int { values.reduce(0, +) }

    /// `{"won": n, …}` with every outcome present, zeros included: absent keys hide bugs.
    var dictionary: [String: Int] {
        Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.key, self[$0]) })
    }
}

/// One second of the run: what completed in it and how long it took.
struct SecondBucket: Sendable {
    var counts = OutcomeCounts()
    var latency = Recorder.makeHistogram(digits: .two)

    mutating func add(_ other: SecondBucket) {
        counts.add(other.counts)
        latency.add(other.latency)
    }
}

/// What one event loop measured. Owned by its driver while running, then merged in `main`.
struct Recorder: Sendable {
    var counts = OutcomeCounts()
    /// Latency in microseconds of every answered request. Open model: from the intended send time
    /// (coordinated omission cannot hide queueing). Closed model: from the actual send time.
    var latency = Recorder.makeHistogram(digits: .three)
    /// Latency from the actual send time in both models (what a closed-loop tool would show).
    var service = Recorder.makeHistogram(digits: .three)
    var timeline: [SecondBucket]
    /// `status code` → count for every answer that was not a win or a retry.
    var problems: [String: Int] = [:]
    /// Voucher ids acknowledged with 201, with the index of the token that got each.
    var wins: [Win] = []
    /// Voucher ids answered with 200 (retries), for the duplicate check.
    var retries: [Win] = []
    var sent = 0
    var firstSendNs: UInt64 = .max
    var lastAnswerNs: UInt64 = 0

    /// One acknowledged voucher.
    struct Win: Sendable {
        var voucherID: String
        var tokenIndex: Int32
    }

    init(seconds: Int) {
        timeline = [SecondBucket](repeating: SecondBucket(), count: max(seconds, 1))
    }

    static func makeHistogram(digits: SignificantDigits) -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: Limits.latencyMicrosMax, numberOfSignificantValueDigits: digits)
    }

    /// Records one completion at `second` of the run with `micros` of latency.
    mutating func record(_ outcome: Outcome, micros: UInt64, second: Int) {
        counts.add(outcome)
        let clamped = min(max(micros, 1), Limits.latencyMicrosMax)
        if outcome.isAnswer { latency.record(clamped) }
        let index = min(max(second, 0), timeline.count - 1)
        timeline[index].counts.add(outcome)
        if outcome.isAnswer { timeline[index].latency.record(clamped) }
    }

    mutating func recordService(micros: UInt64) {
        service.record(min(max(micros, 1), Limits.latencyMicrosMax))
    }

    mutating func recordProblem(status: Int, code: String?) {
        let key = "\(status) \(code ?? "-")"
        if problems[key] != nil || problems.count < Limits.problemCodesMax {
            problems[key, default: 0] += 1
        } else {
            problems["other", default: 0] += 1
        }
    }

    mutating func merge(_ other: Recorder) {
        counts.add(other.counts)
        latency.add(other.latency)
        service.add(other.service)
        for index in timeline.indices where index < other.timeline.count { timeline[index].add(other.timeline[index]) }
        for (key, value) in other.problems { problems[key, default: 0] += value }
        wins.append(contentsOf: other.wins)
        retries.append(contentsOf: other.retries)
        sent += other.sent
        firstSendNs = min(firstSendNs, other.firstSendNs)
        lastAnswerNs = max(lastAnswerNs, other.lastAnswerNs)
    }
}

extension Histogram where Count == UInt64 {
    /// A copy with coordinated omission corrected after the fact, as HdrHistogram's
    /// `copyCorrectedForCoordinatedOmission`: each value longer than `expectedInterval` also
    /// stands for the requests a non-stalled client would have sent meanwhile.
    func correctedForCoordinatedOmission(expectedInterval: UInt64) -> Histogram<UInt64> {
        var copy = Recorder.makeHistogram(digits: numberOfSignificantValueDigits)
        for item in recordedValues() {
            copy.recordCorrectedValue(item.value, count: item.count, expectedInterval: expectedInterval)
        }
        return copy
    }
}
