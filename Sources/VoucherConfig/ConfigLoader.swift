import Foundation

/// Why the configuration could not be resolved; each case says what to fix.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unreadableFile(path: String, reason: String)
    case invalidValue(key: String, value: String, expected: String)
    case missingSecret(variable: String, hint: String)
    case secretInFile(key: String)
    case unknownKey(key: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read the configuration file \(path): \(reason)"
        case .invalidValue(let key, let value, let expected):
            return "configuration key \(key) has the value \"\(value)\"; expected \(expected)"
        case .missingSecret(let variable, let hint):
            return "the environment variable \(variable) is not set; \(hint)"
        case .secretInFile(let key):
            return "configuration key \(key) is a secret: remove it from the file and set it in the environment instead"
        case .unknownKey(let key):
            return "unknown configuration key \(key); check its spelling against config/default.json"
        }
    }
}

/// Resolves `AppConfig` from layered sources. Precedence, lowest first: the defaults file,
/// an optional extra file, the environment (`VOUCHER_HTTP_PORT` sets `http.port`), and the
/// command line (`--set http.port=8081`). Secrets are read from the environment only.
public enum ConfigLoader {
    /// Environment variables that carry secrets, and the dotted key each one fills.
    public static let secretVariables: [String: String] = [
        "VOUCHER_DB_PASSWORD": "postgres.password",
        "VOUCHER_REDIS_PASSWORD": "redis.password",
        "VOUCHER_JWT_SECRET": "jwt.secret",
        "VOUCHER_METRICS_TOKEN": "metrics.token",
    ]
    /// The prefix that marks an environment variable as ours.
    public static let environmentPrefix = "VOUCHER_"

    /// Reads a JSON file of nested objects into dotted keys (`{"http":{"port":8080}}` → `http.port`).
    public static func flatten(jsonFile path: String) throws -> [String: String] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError.unreadableFile(path: path, reason: "\(error.localizedDescription)")
        }
        return try flatten(jsonData: data, origin: path)
    }

    /// Same as `flatten(jsonFile:)` for bytes already in memory.
    public static func flatten(jsonData: Data, origin: String = "<memory>") throws -> [String: String] {
        let root: [String: JSONValue]
        do {
            root = try JSONDecoder().decode([String: JSONValue].self, from: jsonData)
        } catch {
            throw ConfigError.unreadableFile(path: origin, reason: "not a JSON object of settings")
        }
        var flat: [String: String] = [:]
        flattenInto(&flat, prefix: "", object: root)
        for key in flat.keys where secretVariables.values.contains(key) {
            throw ConfigError.secretInFile(key: key)
        }
        return flat
    }

    private static func flattenInto(_ flat: inout [String: String], prefix: String, object: [String: JSONValue]) {
        for (key, value) in object {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            switch value {
            case .object(let nested): flattenInto(&flat, prefix: path, object: nested)
            case .scalar(let text): flat[path] = text
            }
        }
    }

    /// Maps `VOUCHER_HTTP_PORT` to `http.port` using the known keys, so that a camelCase key such
    /// as `http.bodyBytesMax` is reachable as `VOUCHER_HTTP_BODYBYTESMAX`.
    static func environmentKey(for variable: String, knownKeys: Set<String>) -> String? {
        guard variable.hasPrefix(environmentPrefix) else { return nil }
        let rest = variable.dropFirst(environmentPrefix.count)
        return knownKeys.first { key in
            key.replacingOccurrences(of: ".", with: "_").uppercased() == rest
        }
    }

    /// Parses `key=value` command-line overrides.
    public static func parseOverrides(_ pairs: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ConfigError.invalidValue(key: pair, value: pair, expected: "key=value, for example http.port=8081")
            }
            result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return result
    }

    /// Layers the sources and builds the typed configuration.
    /// - Parameters:
    ///   - defaults: the flattened defaults file (it defines which keys exist).
    ///   - file: an optional extra file that overrides the defaults.
    ///   - environment: the process environment.
    ///   - overrides: command-line `key=value` pairs, highest precedence.
    ///   - randomSecret: how dev mode invents a missing JWT secret (injected for tests).
    public static func resolve(
        defaults: [String: String],
        file: [String: String] = [:],
        environment: [String: String],
        overrides: [String: String] = [:],
        randomSecret: () -> String = ConfigLoader.randomSecret
    ) throws -> AppConfig {
        let knownKeys = Set(defaults.keys)
        var merged = defaults
        for (key, value) in file {
            guard knownKeys.contains(key) else { throw ConfigError.unknownKey(key: key) }
            merged[key] = value
        }
        for (variable, value) in environment where secretVariables[variable] == nil {
            if let key = environmentKey(for: variable, knownKeys: knownKeys) { merged[key] = value }
        }
        for (key, value) in overrides {
            guard knownKeys.contains(key) else { throw ConfigError.unknownKey(key: key) }
            merged[key] = value
        }
        let values = Values(merged)
        let mode = try values.mode()
        var config = AppConfig(
            mode: mode,
            logLevel: try values.oneOf("log.level", ["trace", "debug", "info", "notice", "warning", "error", "critical"]),
            http: .init(
                host: try values.string("http.host"),
                port: try values.int("http.port", in: 1...65535),
                bodyBytesMax: try values.int("http.bodyBytesMax", in: 1024...(64 << 20)),
                trustedProxies: values.list("http.trustedProxies"),
                idleTimeoutSeconds: try values.int("http.idleTimeoutSeconds", in: 1...3_600)
            ),
            postgres: .init(
                host: try values.string("postgres.host"),
                port: try values.int("postgres.port", in: 1...65535),
                user: try values.string("postgres.user"),
                password: try secret("VOUCHER_DB_PASSWORD", environment, mode: mode, devFallback: nil),
                database: try values.string("postgres.database"),
                connectionsMax: try values.int("postgres.connectionsMax", in: 1...512),
                tls: try values.bool("postgres.tls")
            ),
            redis: .init(
                host: try values.string("redis.host"),
                port: try values.int("redis.port", in: 1...65535),
                password: environment["VOUCHER_REDIS_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 },
                database: try values.int("redis.database", in: 0...15),
                poolSize: try values.int("redis.poolSize", in: 0...256),
                commandTimeoutMs: try values.int("redis.commandTimeoutMs", in: 1...60_000),
                tls: try values.bool("redis.tls"),
                clusterSeeds: try clusterSeeds(values.list("redis.cluster.seeds"))
            ),
            jwt: try jwt(values, environment, mode: mode, randomSecret: randomSecret),
            dataDir: try values.string("data.dir"),
            orgStoredBytesMax: try values.int("data.orgStoredBytesMax", in: 1...(1 << 40)),
            grab: .init(
                enterpriseBurst: try values.int("grab.enterpriseBurst", in: 1...1_000_000),
                enterprisePerSecond: try values.int("grab.enterprisePerSecond", in: 1...1_000_000),
                addressBurst: try values.int("grab.addressBurst", in: 1...1_000_000),
                addressPerSecond: try values.int("grab.addressPerSecond", in: 1...1_000_000)
            ),
            sinkEnabled: try values.bool("sink.enabled"),
            reconciliation: .init(
                dateWindowDays: try values.int(
                    "reconciliation.dateWindowDays", in: 0...AppConfig.ReconciliationSettings.dateWindowDaysMax)
            ),
            metricsToken: environment["VOUCHER_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        )
        config.web = try web(values, mode: mode)
        if values.raw["redis.cluster.waitReplicas"] != nil {
            config.redis.clusterWaitReplicas = try values.int("redis.cluster.waitReplicas", in: 0...5)
        }
        if values.raw["redis.cluster.waitTimeoutMs"] != nil {
            config.redis.clusterWaitTimeoutMs = try values.int("redis.cluster.waitTimeoutMs", in: 1...10_000)
        }
        if values.raw["grab.callsInFlightPerLot"] != nil {
            config.grab.callsInFlightPerLot = try values.int("grab.callsInFlightPerLot", in: 1...64)
        }
        if values.raw["grab.servers"] != nil {
            config.grab.servers = try values.int("grab.servers", in: 1...AppConfig.Grab.serversMax)
        }
        // Servers behind one balancer must verify each other's tokens: a key each invents for
        // itself (dev mode) would make every request that reaches another server a 401.
        if config.grab.servers > 1, config.jwt.secretWasGenerated {
            throw ConfigError.missingSecret(
                variable: "VOUCHER_JWT_SECRET",
                hint: "grab.servers is \(config.grab.servers), and every server behind the balancer needs the same key")
        }
        if values.raw["redis.connectTimeoutMs"] != nil {
            config.redis.connectTimeoutMs = try values.int("redis.connectTimeoutMs", in: 1...60_000)
        }
        return config
    }

    /// `redis.cluster.seeds`: each `host:port` with a port in range, checked here so a typo stops
    /// the server at start instead of at its first grab.
    private static func clusterSeeds(_ seeds: [String]) throws -> [String] {
        for seed in seeds {
            guard let colon = seed.lastIndex(of: ":"), colon != seed.startIndex,
                let port = Int(seed[seed.index(after: colon)...]), (1...65535).contains(port)
            else {
                throw ConfigError.invalidValue(key: "redis.cluster.seeds", value: seed, expected: "host:port, comma-separated")
            }
        }
        return seeds
    }

    /// The `web` section; a defaults file without it (older ones, the tests' own) keeps `AppConfig.Web()`.
    private static func web(_ values: Values, mode: RunMode) throws -> AppConfig.Web {
        var web = AppConfig.Web()
        if values.raw["web.idleTimeoutSeconds"] != nil { web.idleTimeoutSeconds = try values.int("web.idleTimeoutSeconds", in: 60...86_400) }
        if values.raw["web.absoluteTimeoutSeconds"] != nil {
            web.absoluteTimeoutSeconds = try values.int("web.absoluteTimeoutSeconds", in: web.idleTimeoutSeconds...(30 * 86_400))
        }
        if values.raw["web.secureCookies"] != nil { web.secureCookies = try values.bool("web.secureCookies") }
        web.clockOffsetFile = values.raw["web.clockOffsetFile"] ?? ""
        if mode == .production, !web.clockOffsetFile.isEmpty {
            throw ConfigError.invalidValue(key: "web.clockOffsetFile", value: web.clockOffsetFile, expected: "empty in production mode (tests only)")
        }
        return web
    }

    private static func jwt(
        _ values: Values, _ environment: [String: String], mode: RunMode, randomSecret: () -> String
    ) throws -> AppConfig.JWT {
        let given = environment["VOUCHER_JWT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        let hint =
            "set it to a random string of at least \(AppConfig.JWT.secretBytesMin) bytes, for example: export VOUCHER_JWT_SECRET=$(openssl rand "
            + "-hex 32)"
        let secret: String
        var generated = false
        if let given {
            guard given.utf8.count >= AppConfig.JWT.secretBytesMin else {
                throw ConfigError.invalidValue(
                    key: "VOUCHER_JWT_SECRET", value: "(\(given.utf8.count) bytes)", expected: "at least \(AppConfig.JWT.secretBytesMin) bytes")
            }
            secret = given
        } else if mode == .dev {
            secret = randomSecret()
            generated = true
        } else {
            throw ConfigError.missingSecret(variable: "VOUCHER_JWT_SECRET", hint: hint)
        }
        return .init(
            secret: secret,
            secretWasGenerated: generated,
            accessTtlSeconds: try values.int("jwt.accessTtlSeconds", in: 30...86_400),
            refreshTtlSeconds: try values.int("jwt.refreshTtlSeconds", in: 60...(400 * 86_400)),
            issuer: try values.string("jwt.issuer")
        )
    }

    private static func secret(
        _ variable: String, _ environment: [String: String], mode: RunMode, devFallback: String?
    ) throws -> String? {
        if let value = environment[variable], !value.isEmpty { return value }
        if mode == .dev { return devFallback }
        throw ConfigError.missingSecret(variable: variable, hint: "production mode reads it from the environment only")
    }

    /// 32 random bytes as 64 hex characters: enough for HS256 and printable in a shell.
    public static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// Typed reads of the merged dotted keys, each failing with the key and what was expected.
private struct Values {
    let raw: [String: String]
    init(_ raw: [String: String]) { self.raw = raw }

    func string(_ key: String) throws -> String {
        guard let value = raw[key], !value.isEmpty else {
            throw ConfigError.invalidValue(key: key, value: raw[key] ?? "", expected: "a non-empty value")
        }
        return value
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        let value = try string(key)
        guard let number = Int(value), range.contains(number) else {
            throw ConfigError.invalidValue(key: key, value: value, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A comma-separated list; empty (or absent) is an empty list.
    func list(_ key: String) -> [String] {
        (raw[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func bool(_ key: String) throws -> Bool {
        switch try string(key).lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigError.invalidValue(key: key, value: raw[key] ?? "", expected: "true or false")
        }
    }

    func oneOf(_ key: String, _ allowed: [String]) throws -> String {
        let value = try string(key)
        guard allowed.contains(value) else {
            throw ConfigError.invalidValue(key: key, value: value, expected: "one of \(allowed.joined(separator: ", "))")
        }
        return value
    }

    func mode() throws -> RunMode {
        let value = try string("mode")
        guard let mode = RunMode(rawValue: value) else {
            throw ConfigError.invalidValue(key: "mode", value: value, expected: "dev or production")
        }
        return mode
    }
}

/// A settings file holds objects and scalars; scalars are kept as their text.
private enum JSONValue: Decodable {
    case object([String: JSONValue])
    case scalar(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .scalar(flag ? "true" : "false")
        } else if let number = try? container.decode(Int64.self) {
            self = .scalar(String(number))
        } else if let text = try? container.decode(String.self) {
            self = .scalar(text)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
