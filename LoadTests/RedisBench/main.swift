import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import RedisNIO

/// Measures the RedisNIO client: `callers` concurrent tasks run a Lua script by EVALSHA until
/// `requests` calls are done, and the rate is printed as one JSON line for ops/bench-redis to
/// compare with redis-benchmark on the same script, machine and run.
struct RedisBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis-bench",
        abstract: "Benchmark RedisNIO with concurrent EVALSHA callers."
    )

    /// Bounds of the benchmark itself, so a typo cannot start an unbounded run.
    enum Limits {
        static let requestsMax = 50_000_000
        static let callersMax = 10_000
        static let threadsMax = 64
    }

    @Option(help: "Redis host (traffic stays where you point it; ops/bench-redis uses 127.0.0.1).")
    var host = "127.0.0.1"

    @Option(help: "Redis port.")
    var port: Int

    @Option(help: "Path of the Lua script to run by EVALSHA.")
    var script: String

    @Option(name: .customLong("key"), help: "A KEYS[] entry of the script (repeat for several).")
    var keys: [String] = []

    @Option(help: "Total EVALSHA calls.")
    var requests = 200_000

    @Option(help: "Concurrent callers (tasks).")
    var callers = 64

    @Option(help: "Event-loop threads (the pool has one connection per thread unless --pool-size).")
    var threads = 1

    @Flag(
        help: ArgumentHelp(
            "Run Swift concurrency on NIO's event loops (NIOSingletons takeover), so a caller resumes on the loop "
                + "that completed its reply instead of hopping to another thread.")
    )
    var nioExecutor = false

    @Option(help: "Connections in the pool (default: one per event-loop thread).")
    var poolSize: Int?

    @Option(help: "Calls before timing starts (connections, script cache, allocator warm-up).")
    var warmup = 10_000

    @Option(help: "The member argument is a random integer below this (like redis-benchmark -r).")
    var memberRange = 1_000_000

    func validate() throws {
        guard (1...Limits.requestsMax).contains(requests) else { throw ValidationError("requests out of range") }
        guard (1...Limits.callersMax).contains(callers) else { throw ValidationError("callers out of range") }
        guard (1...Limits.threadsMax).contains(threads) else { throw ValidationError("threads out of range") }
        guard memberRange > 0, warmup >= 0 else { throw ValidationError("member-range and warmup must be positive") }
    }

    func run() async throws {
        let source = try String(contentsOfFile: script, encoding: .utf8)
        let redisScript = RedisScript(source)
        let group: MultiThreadedEventLoopGroup
        if nioExecutor {
            NIOSingletons.groupLoopCountSuggestion = threads
            guard NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() else {
                throw ValidationError("could not install NIO as the global executor")
            }
            group = MultiThreadedEventLoopGroup.singleton
        } else {
            group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        }
        let configuration = RedisConfiguration(host: host, port: port, poolSize: poolSize)
        let client = try await RedisClient.connect(configuration: configuration, eventLoopGroup: group)
        try await client.load(redisScript)

        _ = try await runCalls(client: client, script: redisScript, total: warmup)
        let started = ContinuousClock.now
        let errors = try await runCalls(client: client, script: redisScript, total: requests)
        let elapsed = ContinuousClock.now - started
        await client.shutdown()
        if !nioExecutor { try await group.shutdownGracefully() }

        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let opsPerSecond = Double(requests) / seconds
        print(
            #"{"ops_per_s":\#(Int(opsPerSecond.rounded())),"requests":\#(requests),"callers":\#(callers),"#
                + #""threads":\#(threads),"nio_executor":\#(nioExecutor),"seconds":\#(String(format: "%.3f", seconds)),"errors":\#(errors)}"#
        )
    }

    /// Runs `total` calls spread over `callers` tasks; returns how many failed.
    private func runCalls(client: RedisClient, script: RedisScript, total: Int) async throws -> Int {
        let keys = self.keys
        let memberRange = self.memberRange
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for caller in 0..<callers {
                let share = total / callers + (caller < total % callers ? 1 : 0)
                group.addTask {
                    var errors = 0
                    for _ in 0..<share {
                        do {
                            let member = String(Int.random(in: 0..<memberRange))
                            _ = try await client.evalsha(script, keys: keys, arguments: [member])
                        } catch {
                            errors += 1
                        }
                    }
                    return errors
                }
            }
            var errors = 0
            for try await callerErrors in group { errors += callerErrors }
            return errors
        }
    }
}

// main.swift cannot use @main, and top-level code picks the synchronous `main()`; parse and run
// the async command explicitly instead.
do {
    let command = try RedisBench.parse()
    try await command.run()
} catch {
    RedisBench.exit(withError: error)
}
