import Foundation
import Testing

@testable import VoucherConfig

@Suite struct WebConfigTests {
    /// The shipped defaults file, which has the `web` section.
    static func shippedDefaults() throws -> [String: String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../config/default.json")
        return try ConfigLoader.flatten(jsonData: try Data(contentsOf: url))
    }

    static let secret = String(repeating: "s", count: 40)

    @Test func webSessionSettingsHaveSafeDefaultsAndBounds() throws {
        // Proves the web sessions default to 30 minutes idle and 12 hours absolute with no Secure
        // flag and no test clock, are settable from the environment, and refuse an absolute limit
        // shorter than the idle one.
        let defaults = try Self.shippedDefaults()
        let web = try ConfigLoader.resolve(defaults: defaults, environment: [:], randomSecret: { Self.secret }).web
        #expect(web == AppConfig.Web())
        #expect(web.idleTimeoutSeconds == 1_800 && web.absoluteTimeoutSeconds == 43_200 && !web.secureCookies && web.clockOffsetFile.isEmpty)
        let behindTLS = try ConfigLoader.resolve(
            defaults: defaults, environment: ["VOUCHER_WEB_SECURECOOKIES": "true", "VOUCHER_WEB_IDLETIMEOUTSECONDS": "600"],
            randomSecret: { Self.secret })
        #expect(behindTLS.web.secureCookies && behindTLS.web.idleTimeoutSeconds == 600)
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.resolve(
                defaults: defaults, environment: [:], overrides: ["web.absoluteTimeoutSeconds": "1000"], randomSecret: { Self.secret })
        }
    }

    @Test func productionRefusesTheTestClockFile() throws {
        // Proves the test-only clock offset file is accepted in dev mode and refused in production.
        let defaults = try Self.shippedDefaults()
        let dev = try ConfigLoader.resolve(
            defaults: defaults, environment: ["VOUCHER_WEB_CLOCKOFFSETFILE": "/tmp/offset"], randomSecret: { Self.secret })
        #expect(dev.web.clockOffsetFile == "/tmp/offset")
        let production: [String: String] = [
            "VOUCHER_MODE": "production", "VOUCHER_WEB_CLOCKOFFSETFILE": "/tmp/offset", "VOUCHER_DB_PASSWORD": "pw",
            "VOUCHER_JWT_SECRET": Self.secret,
        ]
        #expect(throws: ConfigError.self) { _ = try ConfigLoader.resolve(defaults: defaults, environment: production) }
    }
}
