import ArgumentParser
import Foundation

/// `rush-load setup`: one campaign with one grab lot of the given stock, opening at a chosen
/// instant, created and published through the operator API exactly as an operator would. Prints
/// `campaignID lotID opensAtUnixMs` on one line for scripts.
struct Setup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create and publish a load-test campaign through the public API.")

    /// Bounds of what setup may create (the server has its own, these keep typos small).
    enum Bounds {
        static let stockMax = 10_000_000
        static let limitMax = 100
        static let opensInSecondsMax = 3_600
        static let windowMinutesMax = 24 * 60
    }

    @OptionGroup var server: ServerOptions

    @Option(help: "File with the operator's token (from voucherctl loadtest-prepare).")
    var operatorTokenFile: String

    @Option(help: "Campaign name.")
    var name = "压测活动 load test"

    @Option(help: "Stock of the lot.")
    var stock: Int

    @Option(help: "Vouchers one enterprise may hold (per-enterprise limit).")
    var limit = 1

    @Option(help: "Seconds from now until the campaign opens (rounded up to a whole second).")
    var opensInS = 2

    @Option(help: "Minutes the campaign stays open.")
    var windowMinutes = 60

    func validate() throws {
        guard (1...Bounds.stockMax).contains(stock) else { throw ValidationError("--stock must be 1 to \(Bounds.stockMax)") }
        guard (1...Bounds.limitMax).contains(limit) else { throw ValidationError("--limit must be 1 to \(Bounds.limitMax)") }
        guard (0...Bounds.opensInSecondsMax).contains(opensInS) else {
            throw ValidationError("--opens-in-s must be 0 to \(Bounds.opensInSecondsMax)")
        }
        guard (1...Bounds.windowMinutesMax).contains(windowMinutes) else {
            throw ValidationError("--window-minutes must be 1 to \(Bounds.windowMinutesMax)")
        }
    }

    func run() async throws {
        let token = try TokenFile.operatorToken(operatorTokenFile)
        let nowMs = Int64(Date().timeIntervalSince1970 * 1_000)
        // Whole seconds: the API's times have second precision in practice.
        let opensAtMs = ((nowMs + Int64(opensInS) * 1_000 + 999) / 1_000) * 1_000
        let startsAt = Self.rfc3339(opensAtMs)
        let endsAt = Self.rfc3339(opensAtMs + Int64(windowMinutes) * 60_000)
        let body: [String: Any] = [
            "name": name, "startsAt": startsAt, "endsAt": endsAt,
            "lots": [
                ["kind": "diagnostic", "faceValueFen": 1_500_000, "stock": stock, "perEnterpriseLimit": limit, "mode": "grab", "validityDays": 180]
            ],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        let created = try await AdminHTTP.request(port: server.port, method: "POST", path: "/v1/campaigns", bearer: token, json: json)
        guard created.status == 201,
            let object = try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any],
            let campaignID = object["id"] as? String,
            let lotID = ((object["lots"] as? [[String: Any]])?.first)?["id"] as? String
        else {
            throw ValidationError("creating the campaign answered \(created.status): \(created.body.prefix(300))")
        }
        let published = try await AdminHTTP.request(
            port: server.port, method: "POST", path: "/v1/campaigns/\(campaignID)/publish", bearer: token, json: "{}")
        guard published.status == 200 else {
            throw ValidationError("publishing \(campaignID) answered \(published.status): \(published.body.prefix(300))")
        }
        print("\(campaignID) \(lotID) \(opensAtMs)")
    }

    /// UTC with `Z`; the API accepts any offset.
    static func rfc3339(_ unixMs: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(unixMs) / 1_000))
    }
}
