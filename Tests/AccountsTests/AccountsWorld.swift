import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import PostgresStore
import Synchronization
import TestSupport
import Testing
import VoucherConfig
import VoucherCore
import VoucherServices

/// The world of one test: a fresh migrated database, the service's router over it (built by
/// `Services`, as in production) with a manual clock, a capturing SMS sender, a cheap bcrypt cost
/// and files in a folder of its own.
struct AccountsWorld {
    let client: any TestClientProtocol
    let postgres: PostgresClient
    let clock: TestClock
    let sms: CapturingSMS
    let environment: AccountsEnvironment

    /// bcrypt's lowest cost keeps the many hashes of these tests fast; the rule is the same.
    static let testBcryptCost: UInt8 = 4

    static func run(_ body: @escaping @Sendable (AccountsWorld) async throws -> Void) async throws {
        try await TestDatabase.with { postgres, config in
            let clock = TestClock()
            let sms = CapturingSMS()
            let folder = TestEnvironment.stateDirectory + "/files-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let overrides = Services.Overrides(clock: clock, files: LocalDiskFileStore(root: folder), sms: sms, bcryptCost: testBcryptCost)
            try await TestServices.with(postgres: postgres, config: config, overrides: overrides) { services in
                // In-process requests have no socket: the test names the peer's address in a header
                // of its own (a client's X-Forwarded-For is not believed; see ClientAddressMiddleware).
                let router = VoucherApp.buildRouter(services: services).buildResponder()
                let app = Application(
                    responder: CallbackResponder<AppRequestContext> { request, context in
                        var context = context
                        context.clientAddress = request.headers[peerAddress]
                        return try await router.respond(to: request, context: context)
                    }, logger: TestEnvironment.logger)
                try await app.test(.router) { client in
                    try await body(AccountsWorld(client: client, postgres: postgres, clock: clock, sms: sms, environment: services.accounts))
                }
            }
        }
    }

    /// Sends a request with an optional JSON body and bearer token.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, json: [String: Any]? = nil, token: String? = nil,
        headers extra: HTTPFields = [:], body raw: [UInt8]? = nil
    ) async throws -> Answer {
        try await client.call(method, path, token: token, json: json, raw: raw, headers: extra)
    }

    /// The test-only header that stands for the socket's peer address.
    static let peerAddress = HTTPField.Name("X-Test-Peer-Address")!

    /// Logs in by password, from the socket address `address` when given, and returns the answer.
    func login(_ username: String, _ password: String, address: String? = nil) async throws -> Answer {
        var headers: HTTPFields = [:]
        if let address { headers[Self.peerAddress] = address }
        return try await call(.post, "/v1/auth/login", json: ["username": username, "password": password], headers: headers)
    }

    /// The access token of a successful login; records a test failure otherwise.
    func token(_ username: String, _ password: String) async throws -> String {
        let answer = try await login(username, password)
        #expect(answer.status == .ok, "login of \(username): \(answer.json)")
        return answer.string("accessToken") ?? ""
    }

    /// An operator-side account made the way `voucherctl user create` makes it.
    func makePlatformUser(_ role: Role, _ username: String, phone: String, password: String = "Review#2026x") async throws -> String {
        let created = try await AccountsProvisioning(environment: environment)
            .createPlatformUser(role: role, username: username, phone: phone, password: password)
        #expect(created)
        return try await token(username, password)
    }

    /// Asks for a registration code for `phone` and answers the code the phone received (moving
    /// the clock past the per-phone send interval when a code went to it moments ago).
    func registrationCode(_ phone: String) async throws -> String {
        var sent = try await call(.post, "/v1/registrations/sms", json: ["phone": phone])
        if sent.code == "sms_rate_limited" {
            clock.advance(seconds: AccountsLimits.smsSendIntervalSeconds)
            sent = try await call(.post, "/v1/registrations/sms", json: ["phone": phone])
        }
        #expect(sent.status == .accepted || sent.code == "phone_invalid", "registration code for \(phone): \(sent.json)")
        return sms.lastCode(for: phone) ?? ""
    }

    /// Step one of registration (with the phone's code); returns the main account's access token.
    func register(_ role: String, _ username: String, phone: String, password: String = "Secret#2026") async throws -> String {
        let answer = try await call(
            .post, "/v1/registrations",
            json: [
                "role": role, "username": username, "phone": phone, "password": password, "passwordConfirmation": password, "consent": true,
                "smsCode": try await registrationCode(phone),
            ])
        #expect(answer.status == .created, "register \(username): \(answer.json)")
        return (answer.json["session"] as? [String: Any])?["accessToken"] as? String ?? ""
    }

    /// A complete enterprise registration, ready to submit, with the survey answered.
    func prepareEnterprise(_ token: String, name: String = "测试制造有限公司", uscc: String = "91350100M000100Y43") async throws {
        var details = Self.enterpriseDetails
        details["name"] = name
        details["unifiedSocialCreditCode"] = uscc
        let saved = try await call(.put, "/v1/registrations/me/details", json: details, token: token)
        #expect(saved.status == .ok, "details: \(saved.json)")
        let licence = try await call(.put, "/v1/registrations/me/licence", token: token, body: Self.png)
        #expect(licence.status == .ok, "licence: \(licence.json)")
        let survey = try await call(
            .put, "/v1/organisations/me/survey",
            json: [
                "companyName": name, "city": "福州市", "companyType": "private", "answers": ["needs": ["上云用云"]],
            ], token: token)
        #expect(survey.status == .ok, "survey: \(survey.json)")
    }

    /// Registers, prepares, submits and has `operatorToken` approve an enterprise; returns the
    /// main account's fresh (certified) token.
    func certifiedEnterprise(_ username: String, phone: String, uscc: String, operatorToken: String) async throws -> String {
        let token = try await register("enterprise", username, phone: phone)
        try await prepareEnterprise(token, uscc: uscc)
        let submitted = try await call(.post, "/v1/registrations/me/submit", token: token)
        #expect(submitted.status == .accepted, "submit: \(submitted.json)")
        let id = submitted.string("applicationId") ?? ""
        let approved = try await call(.post, "/v1/approvals/\(id)/approve", json: [:], token: operatorToken)
        #expect(approved.status == .ok, "approve: \(approved.json)")
        return try await self.token(username, "Secret#2026")
    }

    /// A fingerprint of every accounts table, to prove a refused request changed nothing.
    func snapshot() async throws -> String {
        let tables = [
            "organisations", "users", "organisation_profiles", "enterprise_surveys", "password_history",
            "approval_applications", "approval_decisions", "stored_files",
        ]
        var parts: [String] = []
        for table in tables {
            let rows = try await postgres.query(
                PostgresQuery(unsafeSQL: "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \(table) t"))
            for try await digest in rows.decode(String.self) { parts.append("\(table)=\(digest)") }
        }
        return parts.joined(separator: ";")
    }

    nonisolated(unsafe) static let enterpriseDetails: [String: Any] = [
        "contactName": "王五", "contactPhone": "0591-8888888", "industry": "制造业", "legalRepresentative": "赵六",
        "legalRepresentativePhone": "13900000009", "contactTitle": "总经理", "email": "boss@example.com", "postCode": "350000",
        "foundedOn": "2012-05-20", "employeeCount": 120,
        "registrationType": "limited_liability", "taxCreditRating": "A", "listed": false, "listingPlanned": false,
        "keyIndustryChain": "智能制造", "coreProduct": "精密零部件", "customerKinds": ["large_enterprise", "sme"],
        "enterpriseCustomersIn3Years": 40, "consumerCustomersIn1Year": 0, "manufacturingOutputAverageFen": 5_000_000_000,
        "region": "福建省福州市", "registeredAddress": "福建省福州市鼓楼区", "businessAddress": "福建省福州市鼓楼区", "highTech": false,
        "famousBrand": false, "singleChampion": false, "subsidyCountIn3Years": 2, "subsidyTotalIn3YearsFen": 20_000_000,
        "subsidyLevel": "municipal", "specialisedGiant": false, "provincialAwards": false,
        "extra": ["运营": ["营业收入": "5000万"], "人员": ["研发人员": 20]],
    ]

    nonisolated(unsafe) static let providerDetails: [String: Any] = [
        "name": "测试数字科技有限公司", "unifiedSocialCreditCode": "91110108MA01ABCD1E", "contactName": "孙七",
        "contactPhone": "010-66666666", "industry": "软件和信息技术服务业",
        "serviceScopes": ["diagnostic_consulting", "cloud_adoption"], "coreProducts": "诊断咨询与上云方案",
        "servedIndustries": ["制造业", "纺织业"], "industrialCustomerCount": 35, "operatingSince": "2016-01-01",
        "annualRevenues": [
            ["year": 2020, "amountFen": 100_000_000], ["year": 2021, "amountFen": 150_000_000], ["year": 2022, "amountFen": 200_000_000],
        ],
        "industrialSalesAverageFen": 90_000_000, "salesAverageFen": 150_000_000, "solutionSalesSharePercent": 40,
    ]

    /// The smallest PNG signature plus a header chunk; the content check needs only the signature.
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
}
