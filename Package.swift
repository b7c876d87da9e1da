// swift-tools-version: 6.2
import PackageDescription

/// One settings array for every target of ours (house habit 1): Swift 6 mode with strict
/// concurrency is the default of tools-version 6.2; warnings are errors so CI and laptops agree.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

/// What every test of the running server (over HTTP, against real PostgreSQL) builds on.
let serverTestDependencies: [Target.Dependency] = [
    "API", "PostgresStore", "VoucherServices", "VoucherCore", "TestSupport", "VoucherConfig",
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "HummingbirdTesting", package: "hummingbird"),
    .product(name: "PostgresNIO", package: "postgres-nio"),
]

let package = Package(
    name: "VoucherRush",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "voucher-server", targets: ["voucher-server"]),
        .executable(name: "voucherctl", targets: ["voucherctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        // Domain: money, ids, rules, state machines. No I/O, no dependencies.
        .target(name: "VoucherCore", swiftSettings: swiftSettings),

        // Debian's libhiredis-dev, for its RESP reader and command formatter only.
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),

        // A RESP client: hiredis parses and formats, SwiftNIO does all I/O. Knows nothing of vouchers.
        .target(
            name: "RedisNIO",
            dependencies: [
                "CHiredis",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // Configuration: defaults file < environment < command line; secrets from the environment only.
        .target(
            name: "VoucherConfig",
            dependencies: ["VoucherCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        // Reconciliation rules: bank statements (CSV in UTF-8/GBK, camt.053) read exactly, and the
        // matching of receipts to redemption batches. No I/O beyond the bytes it is given.
        .target(
            name: "Reconciliation",
            dependencies: ["VoucherCore"],
            swiftSettings: swiftSettings
        ),

        // PostgreSQL, the source of truth: migrations and one folder of repositories per feature;
        // `VoucherLedger/` is the append-only voucher ledger. Maps VoucherCore's types to columns.
        .target(
            name: "PostgresStore",
            dependencies: [
                "VoucherCore", "Reconciliation",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),

        // The grab path: campaign keys, the Lua gate, the claim sink into PostgreSQL.
        .target(
            name: "Rush",
            dependencies: [
                "VoucherCore", "PostgresStore", "RedisNIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Scripts")],
            swiftSettings: swiftSettings
        ),

        // Use cases and composition: what the HTTP API and voucherctl both do (publish, import a
        // statement, provision accounts, mint tokens), and the one place config becomes clients.
        .target(
            name: "VoucherServices",
            dependencies: [
                "VoucherCore", "VoucherConfig", "PostgresStore", "RedisNIO", "Rush", "Reconciliation",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // HTTP: Hummingbird application, health/readiness, metrics, error mapping; the web pages (Web/).
        .target(
            name: "API",
            dependencies: [
                "VoucherCore", "VoucherConfig", "PostgresStore", "VoucherServices", "RedisNIO", "Rush", "Reconciliation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            // The web pages' Mustache templates and static files (CSS, plain JS), loaded once at start.
            resources: [.copy("Web/Templates"), .copy("Web/Static")],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "voucher-server",
            dependencies: [
                "API", "VoucherConfig", "VoucherServices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "voucherctl",
            dependencies: [
                "PostgresStore", "VoucherServices", "VoucherConfig", "Rush", "RedisNIO", "Reconciliation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Benchmark of the Redis client against redis-benchmark (ops/bench-redis runs it).
        .executableTarget(
            name: "redis-bench",
            dependencies: [
                "RedisNIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "LoadTests/RedisBench",
            swiftSettings: swiftSettings
        ),

        // Flash-sale load generator and verifier, a black box over HTTP (ops/loadtest runs it).
        .executableTarget(
            name: "rush-load",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "LoadTests/RushLoad",
            swiftSettings: swiftSettings
        ),

        // Reconciliation benchmark fixtures: batches and a GB18030 statement with known outcomes (ops/bench-reconcile).
        .executableTarget(
            name: "recon-bench",
            dependencies: ["Reconciliation", "VoucherCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "LoadTests/ReconBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "catalogue-bench",
            dependencies: [
                "PostgresStore", "VoucherCore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "LoadTests/CatalogueBench",
            swiftSettings: swiftSettings
        ),

        // Where the test stores are (ports from ops/test), fresh databases and key prefixes per test;
        // the worlds that two test targets share (RushWorld: the whole app; RedemptionWorld), SplitMix64.
        .target(
            name: "TestSupport",
            dependencies: [
                "VoucherConfig", "PostgresStore", "VoucherServices", "VoucherCore", "API", "Rush", "RedisNIO", "Reconciliation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "VoucherCoreTests",
            dependencies: ["VoucherCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        // Statement reading and matching, pure: every format, encoding, outcome; property tests of the matcher.
        .testTarget(
            name: "ReconciliationTests",
            dependencies: ["Reconciliation", "VoucherCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VoucherConfigTests",
            dependencies: ["VoucherConfig"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedisNIOTests",
            dependencies: [
                "RedisNIO", "TestSupport", .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: ["PostgresStore", "TestSupport", "VoucherConfig"],
            swiftSettings: swiftSettings
        ),
        // The grab path only: the Lua gate, the claim sink, faults, archiving.
        .testTarget(
            name: "RushTests",
            dependencies: serverTestDependencies + ["Rush", "RedisNIO", .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APITests",
            dependencies: serverTestDependencies + ["RedisNIO", .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: swiftSettings
        ),
        // Orders, vouchers and the ledger against real PostgreSQL: the worked example, concurrency, random workflows, bad input.
        .testTarget(
            name: "OrdersTests",
            dependencies: serverTestDependencies,
            swiftSettings: swiftSettings
        ),
        // Redemption against real PostgreSQL: payee accounts, batches through the chain to redeemed, races, bad input.
        .testTarget(
            name: "RedemptionTests",
            dependencies: serverTestDependencies,
            swiftSettings: swiftSettings
        ),
        // Finance over HTTP against real PostgreSQL: statement import, reconciliation, its report and decisions.
        .testTarget(
            name: "FinanceTests",
            dependencies: serverTestDependencies + ["Reconciliation"],
            swiftSettings: swiftSettings
        ),
        // Campaign management over HTTP (not the grab): campaign input and drafts, apply-mode lots.
        .testTarget(
            name: "CampaignsTests",
            dependencies: serverTestDependencies,
            swiftSettings: swiftSettings
        ),
        // Accounts and access against real PostgreSQL: registration, certification, login, sub-accounts.
        .testTarget(
            name: "AccountsTests",
            dependencies: serverTestDependencies,
            swiftSettings: swiftSettings
        ),
    ]
)
