/// Every bound of the load generator, named once (house habit 5). A run that would exceed one is
/// refused at validation, so a typo cannot start an unbounded load on a shared machine.
enum Limits {
    /// The only host the generator talks to: it is a tool for this machine, never for someone else's.
    static let host = "127.0.0.1"
    static let durationSecondsMax = 600
    static let requestsMax = 50_000_000
    static let connectionsMax = 4_096
    static let threadsMax = 16
    static let pipelineDepthMax = 64
    static let rateMax = 1_000_000
    static let tokensMax = 200_000
    /// Arrivals waiting for a free connection in the open model; beyond this they are dropped.
    static let backlogMax = 100_000
    /// A response larger than this is a protocol error (ours are a few hundred bytes).
    static let responseBytesMax = 64 * 1024
    /// Distinct `status code` pairs kept for the report; the rest are counted as "other".
    static let problemCodesMax = 64
    /// Latency range of the histograms: 1 µs to 60 s.
    static let latencyMicrosMax: UInt64 = 60_000_000
    /// Reconnections per connection before the connection gives up for the rest of the run.
    static let reconnectsMax = 100
    /// After the load window, how long in-flight requests may still finish (then: timeouts).
    static let drainGraceSeconds = 5
    /// How often the open model checks for due arrivals and every model checks deadlines.
    static let openTickMicros: Int64 = 500
    static let closedTickMillis: Int64 = 20
    /// Delay before the first arrival, so all connections are up when the clock starts.
    static let startDelayMillis: Int64 = 300
    /// Voucher ids and org ids we keep per run, for the verifier.
    static let winsRecordedMax = 20_000_000
    /// Verification: how long to wait for the claim sink to drain, and how often to look.
    static let drainWaitSecondsMax = 600
    static let drainPollMillis = 100
    /// `voucherctl campaign verify` is retried a few times in case the last XACK trails the commit.
    static let voucherctlAttemptsMax = 5
    static let voucherctlRetryMillis = 500
    /// Setup: how long one administrative HTTP request may take.
    static let adminRequestSeconds = 10
}
