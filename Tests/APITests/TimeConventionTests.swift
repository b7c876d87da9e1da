import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import TestSupport
import Testing
import VoucherConfig
import VoucherServices

@Suite struct TimeConventionTests {
    @Test func everyAnsweredTimeIsChinaTimeAndAnyOffsetIsRead() async throws {
        // Proves SPEC §9's one convention through the whole service: every time-looking string in
        // the JSON answers (and problems) of accounts, approvals, campaigns and grabs, orders and
        // vouchers, and redemption ends in +08:00 and parses; times sent with Z, fractions and other
        // offsets are read as the same instants.
        let folder = TestEnvironment.stateDirectory + "/files-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.with { postgres, base in
            let config = try TestEnvironment.config(database: base.postgres.database, overrides: ["data.dir": folder])
            let environment = AccountsEnvironment.live(
                config: config, postgres: postgres, tokens: await TokenService(config: config.jwt), logger: TestEnvironment.logger)
            let provisioning = AccountsProvisioning(environment: environment)
            #expect(
                try await provisioning.createPlatformUser(role: .operator, username: "operator_tz", phone: "13700000031", password: "Review#2026x"))
            #expect(try await provisioning.createPlatformUser(role: .finance, username: "finance_tz", phone: "13700000032", password: "Review#2026x"))
            #expect(try await provisioning.createPlatformUser(role: .expert, username: "expert_tz", phone: "13700000033", password: "Review#2026x"))
            #expect(
                try await provisioning.createPlatformUser(role: .authority, username: "authority_tz", phone: "13700000034", password: "Review#2026x"))
            let stores = try AppStores.make(config: config, logger: TestEnvironment.logger)
            await stores.redis.firstAttemptsMade()
            let sms = CapturingSMS()
            let services = await Services.live(
                config: config, stores: stores, logger: TestEnvironment.logger, overrides: Services.Overrides(sms: sms))
            let app = VoucherApp.buildApplication(services: services, registry: PrometheusCollectorRegistry())
            try await app.test(.router) { client in
                try await Walk(client: client, sms: sms).run()
            }
        }
    }

    @Test func theParserReadsEveryOffsetAndRefusesTheRest() {
        // Proves RFC3339.parse reads RFC 3339 §5.6 with any offset and fraction as the same instant,
        // and refuses impossible dates, missing offsets and other shapes.
        let instant = Date(timeIntervalSince1970: 1_764_554_400)  // 2025-12-01T02:00:00Z
        for text in [
            "2025-12-01T10:00:00+08:00", "2025-12-01T02:00:00Z", "2025-12-01t02:00:00z", "2025-11-30T21:00:00-05:00",
            "2025-12-01T07:30:00+05:30", "2025-12-01T02:00:00-00:00", "2025-12-01T02:00:00.000Z", "2025-12-01T10:00:00.000000000+08:00",
        ] {
            #expect(RFC3339.parse(text) == instant, "\(text)")
        }
        let fraction = RFC3339.parse("2025-12-01T10:00:00.123456+08:00").map { $0.timeIntervalSince(instant) }
        #expect(fraction.map { abs($0 - 0.123456) < 0.000_001 } == true)
        #expect(RFC3339.format(instant.addingTimeInterval(0.123)) == "2025-12-01T10:00:00.123+08:00")
        #expect(RFC3339.parse("2024-02-29T00:00:00Z") != nil)
        for text in [
            "2025-12-01T10:00:00", "2025-12-01 10:00:00+08:00", "2025-02-29T00:00:00Z", "2025-13-01T00:00:00Z",
            "2025-12-01T24:00:00Z", "2025-12-01T10:60:00Z", "2025-12-01T10:00:60Z", "2025-12-01T10:00:00+24:00",
            "2025-12-01T10:00:00.Z", "2025-12-01T10:00:00+0800", "2025-12-01", "", "x2025-12-01T10:00:00Z",
            "2025-12-01T10:00:00Z ", "２０２５-12-01T10:00:00Z",
        ] {
            #expect(RFC3339.parse(text) == nil, "\(text)")
        }
        for ms: Int64 in [0, 1, 123, 999, 1_764_554_400_123, 1_764_554_400_999] {
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            #expect(RFC3339.parse(RFC3339.format(date)).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } == ms)
        }
    }
}

/// The answers of one walk through the service, checked as they come.
private final class Walk {
    let client: any TestClientProtocol
    let sms: CapturingSMS
    let password = "Secret#2026"

    init(client: any TestClientProtocol, sms: CapturingSMS) {
        self.client = client
        self.sms = sms
    }

    func run() async throws {
        let operatorToken = try await login("operator_tz", "Review#2026x")
        let financeToken = try await login("finance_tz", "Review#2026x")

        // Accounts and approvals: registration, certification, a sub-account.
        let enterprise = try await certified(
            "enterprise", "tz_enterprise", phone: "13800000701",
            details: [
                "name": "测试制造有限公司", "unifiedSocialCreditCode": "91350100M000100Y43", "contactName": "王五", "contactPhone": "0591-8888888",
                "industry": "制造业", "legalRepresentative": "赵六", "legalRepresentativePhone": "13900000009", "contactTitle": "总经理",
                "email": "boss@example.com", "postCode": "350000", "foundedOn": "2012-05-20", "employeeCount": 120,
                "registrationType": "limited_liability", "taxCreditRating": "A", "listed": false, "listingPlanned": false,
                "keyIndustryChain": "智能制造", "coreProduct": "精密零部件", "customerKinds": ["large_enterprise", "sme"],
                "enterpriseCustomersIn3Years": 40, "consumerCustomersIn1Year": 0, "manufacturingOutputAverageFen": 5_000_000_000,
                "region": "福建省福州市", "registeredAddress": "福建省福州市鼓楼区", "businessAddress": "福建省福州市鼓楼区", "highTech": false,
                "famousBrand": false, "singleChampion": false, "subsidyCountIn3Years": 2, "subsidyTotalIn3YearsFen": 20_000_000,
                "subsidyLevel": "municipal", "specialisedGiant": false, "provincialAwards": false,
            ], operatorToken: operatorToken)
        let provider = try await certified(
            "provider", "tz_provider", phone: "13800000702",
            details: [
                "name": "测试数字科技有限公司", "unifiedSocialCreditCode": "91110108MA01ABCD1E", "contactName": "孙七",
                "contactPhone": "010-66666666", "industry": "软件和信息技术服务业", "serviceScopes": ["diagnostic_consulting"],
                "coreProducts": "诊断咨询", "servedIndustries": ["制造业"], "industrialCustomerCount": 35, "operatingSince": "2016-01-01",
                "annualRevenues": [
                    ["year": 2020, "amountFen": 100_000_000], ["year": 2021, "amountFen": 150_000_000], ["year": 2022, "amountFen": 200_000_000],
                ],
                "industrialSalesAverageFen": 90_000_000, "salesAverageFen": 150_000_000, "solutionSalesSharePercent": 40,
            ], operatorToken: operatorToken)
        try await check(.accounts, .get, "/v1/registrations/me", token: enterprise.token)
        try await check(
            .accounts, .post, "/v1/subaccounts", token: enterprise.token,
            json: [
                "username": "tz_clerk_01", "phone": "13800000703", "password": "Clerk#2026", "passwordConfirmation": "Clerk#2026",
                "permissions": ["orders"],
            ], expect: .created)
        try await check(.accounts, .get, "/v1/subaccounts", token: enterprise.token)
        let createdFrom = "2000-01-01T00:00:00.5-03:00"
        let mine = try await check(
            .approvals, .get, "/v1/approvals/mine?createdFrom=\(createdFrom)&createdTo=2100-01-01T05:30:00%2B05:30", token: enterprise.token)
        #expect(mine.json["total"] as? Int == 1, "the filter read both offsets: \(mine.json)")
        try await check(.approvals, .get, "/v1/approvals/\(enterprise.applicationID)", token: enterprise.token)
        try await check(.approvals, .get, "/v1/approvals/history?createdFrom=2000-01-01T00:00:00Z", token: operatorToken)

        // Campaigns: times sent in other offsets come back as the same instants in China time.
        let startsAt = Date().addingTimeInterval(-60).timeIntervalSince1970.rounded(.down)
        let startsText = Self.utc(startsAt, fraction: ".250")
        let endsText = Self.offset(startsAt + 7200, hours: -5)
        let campaign = try await check(
            .campaigns, .post, "/v1/campaigns", token: operatorToken,
            json: [
                "name": "双十二数字化转型服务券", "startsAt": startsText, "endsAt": endsText,
                "lots": [
                    ["kind": "diagnostic", "faceValueFen": 1_500_000, "stock": 10, "perEnterpriseLimit": 1, "mode": "grab", "validityDays": 180],
                    ["kind": "diagnostic", "faceValueFen": 500_000, "stock": 10, "perEnterpriseLimit": 1, "mode": "apply", "validityDays": 180],
                ],
            ], expect: .created)
        #expect(campaign.string("startsAt").flatMap(RFC3339.parse) == RFC3339.parse(startsText))
        #expect(campaign.string("endsAt").flatMap(RFC3339.parse) == RFC3339.parse(endsText))
        let campaignID = try #require(campaign.string("id"))
        let lots = try #require(campaign.json["lots"] as? [[String: Any]])
        let grabLot = try #require(lots.first?["id"] as? String)
        let applyLot = try #require(lots.last?["id"] as? String)
        try await check(.campaigns, .post, "/v1/campaigns/\(campaignID)/publish", token: operatorToken)
        try await check(.campaigns, .get, "/v1/campaigns", token: enterprise.token)
        try await check(.campaigns, .post, "/v1/campaigns/\(campaignID)/lots/\(grabLot)/grab", token: enterprise.token, expect: .created)
        try await check(.campaigns, .post, "/v1/campaigns/\(campaignID)/lots/\(applyLot)/applications", token: enterprise.token, expect: .created)
        let later = try await check(
            .campaigns, .post, "/v1/campaigns", token: operatorToken,
            json: [
                "name": "明年的服务券", "startsAt": Self.offset(startsAt + 86_400, hours: 9), "endsAt": Self.utc(startsAt + 2 * 86_400, fraction: ""),
                "lots": [
                    ["kind": "diagnostic", "faceValueFen": 1_500_000, "stock": 10, "perEnterpriseLimit": 1, "mode": "grab", "validityDays": 180]
                ],
            ], expect: .created)
        let laterID = try #require(later.string("id"))
        let laterLot = try #require((later.json["lots"] as? [[String: Any]])?.first?["id"] as? String)
        try await check(.campaigns, .post, "/v1/campaigns/\(laterID)/publish", token: operatorToken)
        let notOpen = try await check(.campaigns, .post, "/v1/campaigns/\(laterID)/lots/\(laterLot)/grab", token: enterprise.token, expect: .conflict)
        #expect(notOpen.string("code") == "not_open")

        // Orders: the granted voucher (once the sink has stored it), a quote and an order.
        var voucherID: String?
        let deadline = ContinuousClock.now + .seconds(120)  // a bound on waiting for the sink, not an expected time
        while voucherID == nil, ContinuousClock.now < deadline {
            let vouchers = try await call(.get, "/v1/vouchers", token: enterprise.token)
            voucherID = (vouchers.json["items"] as? [[String: Any]])?.first?["id"] as? String
            if voucherID == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let voucher = try #require(voucherID, "the sink stored the granted voucher")
        try await check(.orders, .get, "/v1/vouchers", token: enterprise.token)
        let image = try await call(.post, "/v1/provider/product-files?kind=image", token: provider.token, raw: Files.png)
        let fileID = try #require(image.string("fileId"))
        #expect(try await call(.post, "/v1/provider/product-files?kind=document", token: provider.token, raw: Files.png).status == .created)
        let product = try await check(
            .products, .post, "/v1/provider/products", token: provider.token,
            json: ListingChain.body(specs: [ListingChain.spec(unitPriceFen: 5_000_000)], image: fileID, document: fileID), expect: .created)
        let productID = try #require(product.string("id"))
        let submitted = try await check(.products, .post, "/v1/provider/products/\(productID)/submit", token: provider.token)
        let listing = try #require(submitted.string("approvalId"))
        for decider in [operatorToken, try await login("expert_tz", "Review#2026x"), try await login("authority_tz", "Review#2026x")] {
            try await check(.approvals, .post, "/v1/approvals/\(listing)/approve", token: decider, json: [:])
        }
        let listed = try await check(.products, .get, "/v1/products/\(productID)", token: provider.token)
        let specID = try #require((listed.json["specs"] as? [[String: Any]])?.first?["id"] as? String)
        try await check(.products, .get, "/v1/provider/products", token: provider.token)
        let order: [String: Any] = ["productId": productID, "specId": specID, "quantity": 1, "voucherIds": [voucher]]
        try await check(.orders, .post, "/v1/orders/quote", token: enterprise.token, json: order)
        try await check(
            .orders, .post, "/v1/orders", token: enterprise.token, json: order, headers: [.idempotencyKey: "tz-order-1"], expect: .created)
        try await check(.orders, .get, "/v1/orders", token: enterprise.token)
        try await check(.orders, .get, "/v1/provider/orders", token: provider.token)

        // Redemption: a payee account and finance's payouts for a period sent in two offsets.
        try await check(
            .redemption, .post, "/v1/provider/payee-accounts", token: provider.token,
            json: [
                "bank": "ABC", "accountName": "测试数字科技有限公司", "accountNumber": "6228480012345678901",
            ], expect: .created)
        try await check(.redemption, .get, "/v1/provider/payee-accounts", token: provider.token)
        let payouts = try await check(
            .redemption, .get, "/v1/finance/payouts?from=2026-01-01T00:00:00.000Z&to=2026-12-31T20:00:00-04:00", token: financeToken)
        #expect(payouts.string("from") == "2026-01-01T08:00:00+08:00")
        #expect(payouts.string("to") == "2027-01-01T08:00:00+08:00")

        for area in Area.allCases {
            #expect(seen[area, default: 0] > 0, "no time was answered in \(area); the walk proves nothing there")
        }
    }

    enum Area: String, CaseIterable { case accounts, approvals, campaigns, orders, products, redemption }

    /// Times seen per area, so an area that answered none fails instead of passing vacuously.
    var seen: [Area: Int] = [:]

    /// One request whose answer must have `expect` and only China-time times; returns it.
    @discardableResult
    func check(
        _ area: Area, _ method: HTTPRequest.Method, _ path: String, token: String?, json: [String: Any]? = nil,
        headers: HTTPFields = [:], expect status: HTTPResponse.Status = .ok,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Answer {
        let answer = try await call(method, path, token: token, json: json, headers: headers)
        #expect(answer.status == status, "\(method) \(path): \(answer.value)", sourceLocation: sourceLocation)
        let times = Self.times(in: answer.value)
        for (where_, text) in times {
            #expect(text.hasSuffix("+08:00") && RFC3339.parse(text) != nil, "\(method) \(path) \(where_) = \(text)", sourceLocation: sourceLocation)
        }
        seen[area, default: 0] += times.count
        return answer
    }

    func call(
        _ method: HTTPRequest.Method, _ path: String, token: String?, json: [String: Any]? = nil, raw: [UInt8]? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Answer {
        try await client.call(method, path, token: token, json: json, raw: raw, headers: extra)
    }

    func login(_ username: String, _ password: String) async throws -> String {
        let answer = try await call(.post, "/v1/auth/login", token: nil, json: ["username": username, "password": password])
        #expect(answer.status == .ok, "login \(username): \(answer.json)")
        return answer.string("accessToken") ?? ""
    }

    /// Registers, completes, submits and has the operator certify an organisation; answers the
    /// main account's certified token and the certification application.
    func certified(
        _ role: String, _ username: String, phone: String, details: [String: Any], operatorToken: String
    ) async throws -> (token: String, applicationID: String) {
        try await check(.accounts, .post, "/v1/registrations/sms", token: nil, json: ["phone": phone], expect: .accepted)
        let registered = try await check(
            .accounts, .post, "/v1/registrations", token: nil,
            json: [
                "role": role, "username": username, "phone": phone, "password": password, "passwordConfirmation": password, "consent": true,
                "smsCode": sms.lastCode(for: phone) ?? "",
            ], expect: .created)
        let token = try #require((registered.json["session"] as? [String: Any])?["accessToken"] as? String)
        try await check(.accounts, .put, "/v1/registrations/me/details", token: token, json: details)
        let licence = try await call(.put, "/v1/registrations/me/licence", token: token, raw: Self.png)
        #expect(licence.status == .ok, "licence: \(licence.json)")
        if role == "enterprise" {
            try await check(
                .accounts, .put, "/v1/organisations/me/survey", token: token,
                json: [
                    "companyName": details["name"] ?? "", "city": "福州市", "companyType": "private", "answers": ["needs": ["上云用云"]],
                ])
        }
        let submitted = try await check(.accounts, .post, "/v1/registrations/me/submit", token: token, expect: .accepted)
        let applicationID = try #require(submitted.string("applicationId"))
        try await check(.approvals, .post, "/v1/approvals/\(applicationID)/approve", token: operatorToken, json: [:])
        return (try await login(username, password), applicationID)
    }

    /// Every string of `value` that looks like a time (`YYYY-MM-DDThh:mm`), with its JSON path.
    static func times(in value: Any, path: String = "$") -> [(String, String)] {
        switch value {
        case let object as [String: Any]:
            return object.sorted { $0.key < $1.key }.flatMap { times(in: $0.value, path: path + "." + $0.key) }
        case let array as [Any]:
            return array.enumerated().flatMap { times(in: $0.element, path: "\(path)[\($0.offset)]") }
        case let text as String:
            let bytes = Array(text.utf8)
            func digit(_ i: Int) -> Bool { bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
            guard bytes.count >= 16, [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15].allSatisfy(digit),
                bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), "Tt ".utf8.contains(bytes[10]),
                bytes[13] == UInt8(ascii: ":")
            else { return [] }
            return [(path, text)]
        default:
            return []
        }
    }

    static func utc(_ seconds: TimeInterval, fraction: String) -> String {
        let text = RFC3339.format(Date(timeIntervalSince1970: seconds - 8 * 3600))
        return String(text.dropLast(6)) + fraction + "Z"
    }

    static func offset(_ seconds: TimeInterval, hours: Int) -> String {
        let text = RFC3339.format(Date(timeIntervalSince1970: seconds + Double(hours - 8) * 3600))
        let sign = hours < 0 ? "-" : "+"
        return String(text.dropLast(6)) + sign + (abs(hours) < 10 ? "0" : "") + "\(abs(hours)):00"
    }

    /// The smallest PNG signature plus a header chunk; the content check needs only the signature.
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
}
