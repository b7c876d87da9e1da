import Foundation
import Testing

@testable import VoucherConfig

/// The defaults as a file would hold them, with every key the loader requires.
private let defaultsJSON = """
    {
      "mode": "dev",
      "log": { "level": "info" },
      "http": { "host": "127.0.0.1", "port": 8080, "bodyBytesMax": 1048576, "trustedProxies": "", "idleTimeoutSeconds": 60 },
      "postgres": { "host": "127.0.0.1", "port": 15432, "user": "voucher", "database": "voucherrush", "connectionsMax": 16, "tls": false },
      "redis": { "host": "127.0.0.1", "port": 16379, "database": 0, "poolSize": 0, "commandTimeoutMs": 2000, "tls": false },
      "jwt": { "accessTtlSeconds": 900, "refreshTtlSeconds": 2592000, "issuer": "voucherrush" },
      "data": { "dir": ".local/data", "orgStoredBytesMax": 209715200 },
      "grab": { "enterpriseBurst": 10, "enterprisePerSecond": 5, "addressBurst": 200, "addressPerSecond": 100 },
      "sink": { "enabled": true },
      "reconciliation": { "dateWindowDays": 3 }
    }
    """

private func defaults() throws -> [String: String] {
    try ConfigLoader.flatten(jsonData: Data(defaultsJSON.utf8))
}

private let secret40 = String(repeating: "s", count: 40)

@Suite struct ConfigLoaderTests {
    @Test func nestedJSONBecomesDottedKeys() throws {
        // Proves the file format: nested objects flatten to dotted keys, booleans stay readable.
        let flat = try defaults()
        #expect(flat["http.port"] == "8080")
        #expect(flat["postgres.tls"] == "false")
        #expect(flat["jwt.issuer"] == "voucherrush")
    }

    @Test func precedenceIsDefaultsThenFileThenEnvironmentThenCommandLine() throws {
        // Proves each layer beats the one below it, key by key.
        let base = try defaults()
        let fromDefaults = try ConfigLoader.resolve(defaults: base, environment: [:], randomSecret: { secret40 })
        #expect(fromDefaults.http.port == 8080)

        let fromFile = try ConfigLoader.resolve(defaults: base, file: ["http.port": "8081"], environment: [:], randomSecret: { secret40 })
        #expect(fromFile.http.port == 8081)

        let fromEnvironment = try ConfigLoader.resolve(
            defaults: base, file: ["http.port": "8081"], environment: ["VOUCHER_HTTP_PORT": "8082", "VOUCHER_HTTP_BODYBYTESMAX": "2048"],
            randomSecret: { secret40 })
        #expect(fromEnvironment.http.port == 8082)
        #expect(fromEnvironment.http.bodyBytesMax == 2048)

        let fromCommandLine = try ConfigLoader.resolve(
            defaults: base, file: ["http.port": "8081"], environment: ["VOUCHER_HTTP_PORT": "8082"],
            overrides: try ConfigLoader.parseOverrides(["http.port=8083"]), randomSecret: { secret40 })
        #expect(fromCommandLine.http.port == 8083)
        #expect(fromCommandLine.postgres.port == 15432)
    }

    @Test func secretsComeOnlyFromTheEnvironment() throws {
        // Proves a secret in a file is refused and the environment's is used.
        #expect(throws: ConfigError.secretInFile(key: "jwt.secret")) {
            _ = try ConfigLoader.flatten(jsonData: Data(#"{"jwt":{"secret":"x"}}"#.utf8))
        }
        let config = try ConfigLoader.resolve(
            defaults: try defaults(),
            environment: ["VOUCHER_JWT_SECRET": secret40, "VOUCHER_DB_PASSWORD": "pw"])
        #expect(config.jwt.secret == secret40)
        #expect(config.jwt.secretWasGenerated == false)
        #expect(config.postgres.password == "pw")
    }

    @Test func productionRefusesToStartWithoutSecrets() throws {
        // Proves production mode names the missing variable instead of inventing a secret.
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.resolve(defaults: try defaults(), environment: ["VOUCHER_MODE": "production", "VOUCHER_DB_PASSWORD": "pw"])
        }
        do {
            _ = try ConfigLoader.resolve(defaults: try defaults(), environment: ["VOUCHER_MODE": "production", "VOUCHER_DB_PASSWORD": "pw"])
        } catch let error as ConfigError {
            #expect(error.description.contains("VOUCHER_JWT_SECRET"))
        }
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.resolve(defaults: try defaults(), environment: ["VOUCHER_MODE": "production", "VOUCHER_JWT_SECRET": secret40])
        }
        let ok = try ConfigLoader.resolve(
            defaults: try defaults(),
            environment: ["VOUCHER_MODE": "production", "VOUCHER_JWT_SECRET": secret40, "VOUCHER_DB_PASSWORD": "pw"])
        #expect(ok.mode == .production)
    }

    @Test func devModeGeneratesAJWTSecret() throws {
        // Proves dev mode starts without secrets and says that it generated one.
        let config = try ConfigLoader.resolve(defaults: try defaults(), environment: [:], randomSecret: { secret40 })
        #expect(config.jwt.secret == secret40)
        #expect(config.jwt.secretWasGenerated)
        #expect(ConfigLoader.randomSecret().utf8.count >= AppConfig.JWT.secretBytesMin)
    }

    @Test func shortJWTSecretIsRefused() throws {
        // Proves jwt-kit's HS256 assertion can never be reached with a short key.
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.resolve(defaults: try defaults(), environment: ["VOUCHER_JWT_SECRET": "short"])
        }
    }

    @Test func badValuesAndUnknownKeysAreRefused() throws {
        // Proves typos and out-of-range values stop the process with the key named.
        #expect(throws: ConfigError.unknownKey(key: "http.prot")) {
            _ = try ConfigLoader.resolve(defaults: try defaults(), environment: [:], overrides: ["http.prot": "1"], randomSecret: { secret40 })
        }
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.resolve(defaults: try defaults(), environment: ["VOUCHER_HTTP_PORT": "70000"], randomSecret: { secret40 })
        }
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.resolve(defaults: try defaults(), environment: ["VOUCHER_MODE": "staging"], randomSecret: { secret40 })
        }
        #expect(throws: ConfigError.self) { _ = try ConfigLoader.parseOverrides(["novalue"]) }
    }

    @Test func reconciliationDateWindowIsBounded() throws {
        // Proves the matching window defaults to 3 days, is settable from the environment, and is refused outside 0...31.
        let base = try ConfigLoader.resolve(defaults: try defaults(), environment: [:], randomSecret: { secret40 })
        #expect(base.reconciliation.dateWindowDays == 3)
        let zero = try ConfigLoader.resolve(
            defaults: try defaults(), environment: ["VOUCHER_RECONCILIATION_DATEWINDOWDAYS": "0"], randomSecret: { secret40 })
        #expect(zero.reconciliation.dateWindowDays == 0)
        for bad in ["-1", "32", "three"] {
            #expect(throws: ConfigError.self) {
                _ = try ConfigLoader.resolve(
                    defaults: try defaults(), environment: [:], overrides: ["reconciliation.dateWindowDays": bad], randomSecret: { secret40 })
            }
        }
    }

    @Test func grabServersSplitTheBudgetAndAreBounded() throws {
        // Proves `grab.servers` is 1 when the defaults file predates it, is set from the environment
        // (ops/run --servers N), is refused outside 1...serversMax, and needs a shared JWT key.
        #expect(try ConfigLoader.resolve(defaults: try defaults(), environment: [:], randomSecret: { secret40 }).grab.servers == 1)
        var withKey = try defaults()
        withKey["grab.servers"] = "1"
        let three = try ConfigLoader.resolve(
            defaults: withKey, environment: ["VOUCHER_GRAB_SERVERS": "3", "VOUCHER_JWT_SECRET": secret40], randomSecret: { secret40 })
        #expect(three.grab.servers == 3)
        for bad in ["0", "1001", "two"] {
            #expect(throws: ConfigError.self) {
                _ = try ConfigLoader.resolve(
                    defaults: withKey, environment: ["VOUCHER_GRAB_SERVERS": bad, "VOUCHER_JWT_SECRET": secret40], randomSecret: { secret40 })
            }
        }
        // Several servers, each inventing its own JWT key (dev mode without the variable): refused.
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.resolve(defaults: withKey, environment: ["VOUCHER_GRAB_SERVERS": "2"], randomSecret: { secret40 })
        }
    }
}
