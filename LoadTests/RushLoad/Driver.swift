import NIOCore
import NIOPosix

/// When requests are sent.
enum LoadModel: Sendable {
    /// Each connection sends its next request as soon as the previous answer arrives.
    case closed
    /// Arrivals on a schedule, whatever the server does; latency counts from the intended time.
    case open(ArrivalSchedule)
}

/// Arrivals per second over the run: a constant rate, optionally with a spike (e.g. the opening
/// second of a campaign, when everyone presses the button at once).
struct ArrivalSchedule: Sendable {
    /// Arrivals per second outside the spike.
    var ratePerSecond: Double
    /// Arrivals per second during the spike; nil for a constant rate.
    var spikeRatePerSecond: Double?
    /// When the spike starts, after the run's start.
    var spikeStartNs: UInt64
    /// How long the spike lasts.
    var spikeDurationNs: UInt64

    /// The rate at `offsetNs` after the start of the run.
    func rate(atOffset offsetNs: UInt64) -> Double {
        if let spike = spikeRatePerSecond, offsetNs >= spikeStartNs, offsetNs < spikeStartNs + spikeDurationNs {
            return spike
        }
        return ratePerSecond
    }
}

/// What one driver (one event loop) does. Rates and counts are already this loop's share.
struct DriverPlan: Sendable {
    /// Closed or open, with the schedule.
    var model: LoadModel
    /// The server's port on 127.0.0.1.
    var port: Int
    /// Keep-alive connections of this loop.
    var connections: Int
    /// Requests in flight per connection (1 = no pipelining).
    var pipelineDepth: Int
    /// Monotonic instant of the first send, shared by every loop.
    var startUptimeNs: UInt64
    /// Sending stops this long after the start.
    var durationNs: UInt64
    /// Sending (or arriving) stops after this many, whatever the time.
    var requestsMax: Int
    /// A request older than this is a timeout.
    var timeoutNs: UInt64
    /// Grab answers carry voucher ids worth keeping; /health answers do not.
    var isGrab: Bool
    /// The complete request per token; the driver walks them from `tokenStart` by `tokenStride`.
    var requests: [ByteBuffer]
    /// This loop's first token, so loops never share a token at the same moment.
    var tokenStart: Int
    /// Step between this loop's tokens (the number of loops).
    var tokenStride: Int
    /// Seconds of per-second buckets (the run, its grace, and a margin).
    var timelineSeconds: Int
}

/// One keep-alive connection's state. Lives on the driver's event loop only.
final class ConnectionState {
    /// Position in the driver's connection array.
    let index: Int
    /// Nil while connecting or after a failure.
    var channel: (any Channel)?
    /// Sent, not yet answered, in send order (HTTP/1.1 answers in order).
    var inFlight = CircularBuffer<InFlight>(initialCapacity: 4)
    /// Reconnections so far, bounded by `Limits.reconnectsMax`.
    var reconnects = 0
    /// Open model: whether the connection is in the driver's idle stack.
    var inIdleList = false
    /// Written to since the last flush.
    var dirty = false

    /// A connection slot; the driver connects it.
    init(index: Int) { self.index = index }

    /// A request sent and not yet answered.
    struct InFlight {
        /// When the schedule wanted it sent (open model); the send time otherwise.
        var intendedNs: UInt64
        /// When it was written.
        var sentNs: UInt64
        /// Which token (enterprise) sent it.
        var token: Int32
    }
}

/// Drives one event loop's share of the load and records what came back.
///
/// `@unchecked Sendable`: every mutable field is confined to `loop` — NIO calls the handlers,
/// connect callbacks and the tick on that loop only, and `start` hops onto it. No lock is needed
/// because no other thread ever touches the state; `loop.assertInEventLoop()` guards it in debug.
final class Driver: @unchecked Sendable {
    /// The loop every connection and the tick of this driver run on.
    let loop: any EventLoop
    /// This loop's share of the run.
    let plan: DriverPlan
    private var recorder: Recorder
    private var connections: [ConnectionState]
    private var idle: [Int] = []
    private var dirty: [Int] = []
    private var backlog = CircularBuffer<UInt64>(initialCapacity: 1024)
    private var nextArrivalNs: UInt64
    private var arrivals = 0
    private var nextToken: Int
    private var stoppingAtNs: UInt64?
    private var started = false
    private var tickTask: RepeatedTask?
    private var finished = false
    private let done: EventLoopPromise<Recorder>
    /// Connection attempts that failed (not requests; reported separately).
    private(set) var connectFailures = 0

    /// A driver that has not started; `run()` starts it.
    init(loop: any EventLoop, plan: DriverPlan) {
        self.loop = loop
        self.plan = plan
        recorder = Recorder(seconds: plan.timelineSeconds)
        connections = (0..<plan.connections).map { ConnectionState(index: $0) }
        nextArrivalNs = plan.startUptimeNs
        nextToken = plan.tokenStart
        done = loop.makePromise(of: Recorder.self)
    }

    /// Latency then counts from the intended time.
    var isOpenModel: Bool {
        if case .open = plan.model { return true }
        return false
    }

    /// Connects everything, runs the plan, and answers what was recorded.
    func run() async throws -> Recorder {
        loop.execute { self.start() }
        return try await done.futureResult.get()
    }

    private func start() {
        for connection in connections { connect(connection.index) }
        let tick: TimeAmount = isOpenModel ? .microseconds(Limits.openTickMicros) : .milliseconds(Limits.closedTickMillis)
        tickTask = loop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { _ in self.tick() }
    }

    // MARK: Connections

    private func connect(_ index: Int) {
        ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(2))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ResponseHandler(driver: self, index: index))
                }
            }
            .connect(host: Limits.host, port: plan.port)
            .whenComplete { result in self.connected(index, result) }
    }

    private func connected(_ index: Int, _ result: Result<any Channel, any Error>) {
        loop.assertInEventLoop()
        let connection = connections[index]
        switch result {
        case .success(let channel):
            guard !finished else {
                channel.close(promise: nil)
                return
            }
            connection.channel = channel
            fill(connection, now: Clock.nowNs())
            flushDirty()
        case .failure:
            connectFailures += 1
            scheduleReconnect(connection)
        }
    }

    private func scheduleReconnect(_ connection: ConnectionState) {
        guard !finished, stoppingAtNs == nil, connection.reconnects < Limits.reconnectsMax else { return }
        connection.reconnects += 1
        let index = connection.index
        loop.scheduleTask(in: .milliseconds(10 * Int64(connection.reconnects))) { self.connect(index) }
    }

    /// The channel closed: whatever was in flight on it will never be answered.
    func disconnected(_ index: Int) {
        loop.assertInEventLoop()
        let connection = connections[index]
        connection.channel = nil
        let now = Clock.nowNs()
        while let item = connection.inFlight.popFirst() {
            recorder.record(.connectionError, micros: latencyMicros(item, now: now), second: second(of: now))
        }
        scheduleReconnect(connection)
    }

    /// The response stream could not be parsed; the connection is closed by the handler.
    func protocolError(_ index: Int) {
        recorder.recordProblem(status: 0, code: "protocol_error")
    }

    // MARK: Sending

    private func hasCapacity(_ connection: ConnectionState) -> Bool {
        connection.channel != nil && connection.inFlight.count < plan.pipelineDepth
    }

    private var mayStartNew: Bool { stoppingAtNs == nil && recorder.sent < plan.requestsMax }

    /// Closed model: keep the connection's pipeline full. Open model: take from the backlog, else
    /// offer the connection as idle.
    private func fill(_ connection: ConnectionState, now: UInt64) {
        guard now >= plan.startUptimeNs else { return }
        if isOpenModel {
            while hasCapacity(connection), let intended = backlog.popFirst() { send(on: connection, intendedNs: intended, now: now) }
            if hasCapacity(connection), !connection.inIdleList {
                connection.inIdleList = true
                idle.append(connection.index)
            }
        } else {
            while hasCapacity(connection), mayStartNew { send(on: connection, intendedNs: now, now: now) }
        }
    }

    private func send(on connection: ConnectionState, intendedNs: UInt64, now: UInt64) {
        guard let channel = connection.channel else { return }
        let token = nextToken % plan.requests.count
        nextToken &+= plan.tokenStride
        connection.inFlight.append(.init(intendedNs: intendedNs, sentNs: now, token: Int32(truncatingIfNeeded: token)))
        recorder.sent += 1
        if recorder.firstSendNs == .max { recorder.firstSendNs = now }
        channel.write(plan.requests[token], promise: nil)
        if !connection.dirty {
            connection.dirty = true
            dirty.append(connection.index)
        }
    }

    /// One write syscall per connection per event-loop turn, however many requests it got.
    func flushDirty() {
        for index in dirty {
            let connection = connections[index]
            connection.dirty = false
            connection.channel?.flush()
        }
        dirty.removeAll(keepingCapacity: true)
    }

    /// Open model: an arrival goes to an idle connection, else waits in the bounded backlog.
    private func arrive(intendedNs: UInt64, now: UInt64) {
        while let index = idle.popLast() {
            let connection = connections[index]
            connection.inIdleList = false
            guard hasCapacity(connection) else { continue }
            send(on: connection, intendedNs: intendedNs, now: now)
            if hasCapacity(connection) {
                connection.inIdleList = true
                idle.append(index)
            }
            return
        }
        if backlog.count < Limits.backlogMax {
            backlog.append(intendedNs)
        } else {
            recorder.record(.dropped, micros: 0, second: second(of: intendedNs))
        }
    }

    // MARK: Answers

    /// One complete response on connection `index`, parsed at `now`.
    func received(_ index: Int, _ response: ParsedResponse, now: UInt64) {
        loop.assertInEventLoop()
        let connection = connections[index]
        guard let item = connection.inFlight.popFirst() else {
            protocolError(index)
            connection.channel?.close(promise: nil)
            return
        }
        recorder.record(response.outcome, micros: latencyMicros(item, now: now), second: second(of: now))
        recorder.recordService(micros: now > item.sentNs ? (now - item.sentNs) / 1_000 : 0)
        recorder.lastAnswerNs = max(recorder.lastAnswerNs, now)
        switch response.outcome {
        case .won:
            if let id = response.voucherID, recorder.wins.count < Limits.winsRecordedMax {
                recorder.wins.append(.init(voucherID: id, tokenIndex: item.token))
            }
        case .again:
            if let id = response.voucherID, recorder.retries.count < Limits.winsRecordedMax {
                recorder.retries.append(.init(voucherID: id, tokenIndex: item.token))
            }
        default:
            recorder.recordProblem(status: response.status, code: response.problemCode)
        }
        if response.closeAfter {
            connection.channel?.close(promise: nil)
            return
        }
        fill(connection, now: now)
    }

    private func latencyMicros(_ item: ConnectionState.InFlight, now: UInt64) -> UInt64 {
        let from = isOpenModel ? item.intendedNs : item.sentNs
        return now > from ? (now - from) / 1_000 : 0
    }

    private func second(of ns: UInt64) -> Int {
        ns > plan.startUptimeNs ? Int((ns - plan.startUptimeNs) / 1_000_000_000) : 0
    }

    // MARK: The clock

    private func tick() {
        guard !finished else { return }
        let now = Clock.nowNs()
        guard now >= plan.startUptimeNs else { return }
        if stoppingAtNs == nil {
            if now >= plan.startUptimeNs + plan.durationNs || recorder.sent >= plan.requestsMax || arrivals >= plan.requestsMax {
                beginStopping(now: now)
            } else {
                startOrArrive(now: now)
            }
        }
        expireDeadlines(now: now)
        flushDirty()
        if let stopping = stoppingAtNs {
            let quiet = connections.allSatisfy { $0.inFlight.isEmpty }
            if quiet || now >= stopping + UInt64(Limits.drainGraceSeconds) * 1_000_000_000 { finish(now: now) }
        }
    }

    private func startOrArrive(now: UInt64) {
        if !started {
            // Connections that came up before the start begin (closed) or offer themselves (open) now.
            started = true
            for connection in connections { fill(connection, now: now) }
        }
        guard case .open(let schedule) = plan.model else { return }
        while nextArrivalNs <= now, arrivals < plan.requestsMax {
            arrivals += 1
            arrive(intendedNs: nextArrivalNs, now: now)
            let rate = schedule.rate(atOffset: nextArrivalNs - plan.startUptimeNs)
            nextArrivalNs += UInt64(max(1, (1_000_000_000 / rate).rounded(.toNearestOrEven)))
        }
    }

    private func beginStopping(now: UInt64) {
        stoppingAtNs = now
        // Arrivals still waiting for a connection were never sent: the server was too slow for them.
        while let intended = backlog.popFirst() {
            recorder.record(.dropped, micros: 0, second: second(of: intended))
        }
    }

    /// A request older than its deadline is a timeout; HTTP/1.1 cannot skip an answer, so the
    /// connection and everything behind it on the connection go too.
    private func expireDeadlines(now: UInt64) {
        for connection in connections {
            guard let first = connection.inFlight.first, now >= first.sentNs + plan.timeoutNs else { continue }
            while let item = connection.inFlight.popFirst() {
                recorder.record(.timeout, micros: latencyMicros(item, now: now), second: second(of: now))
            }
            // Forget the channel now so nothing more is sent on it; channelInactive reconnects.
            connection.channel?.close(promise: nil)
            connection.channel = nil
        }
    }

    private func finish(now: UInt64) {
        finished = true
        tickTask?.cancel()
        for connection in connections {
            while let item = connection.inFlight.popFirst() {
                recorder.record(.timeout, micros: latencyMicros(item, now: now), second: second(of: now))
            }
            connection.channel?.close(promise: nil)
        }
        done.succeed(recorder)
    }
}

/// The monotonic clock, in nanoseconds, shared by the drivers and `main` (same origin).
enum Clock {
    static func nowNs() -> UInt64 { NIODeadline.now().uptimeNanoseconds }
}

/// Reads responses off one connection and hands them to the driver. Lives on the driver's loop.
final class ResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let driver: Driver
    private let index: Int
    private var buffer = ByteBuffer()

    /// The handler of connection `index` of `driver`.
    init(driver: Driver, index: Int) {
        self.driver = driver
        self.index = index
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer.readableBytes == 0 {
            buffer = incoming
        } else {
            buffer.writeBuffer(&incoming)
        }
        let now = Clock.nowNs()
        do {
            while let response = try HTTPWire.parse(&buffer, isGrab: driver.plan.isGrab) {
                driver.received(index, response, now: now)
            }
        } catch {
            driver.protocolError(index)
            context.close(promise: nil)
        }
        if buffer.readerIndex > Limits.responseBytesMax { buffer.discardReadBytes() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        driver.flushDirty()
    }

    func channelInactive(context: ChannelHandlerContext) {
        driver.disconnected(index)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
