import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import PostgresStore
import VoucherConfig
import VoucherCore
import VoucherServices

/// `voucherctl seed-demo`: two operators, an auditor, a finance person, an expert, an authority, a certified enterprise and a
/// certified provider with
/// known credentials, so that a fresh `ops/run` has someone to log in as. The operator is made as
/// `voucherctl user create` makes one; the enterprise and provider register, fill in their
/// details, answer the survey, submit, and are certified by the operator, through the same code
/// the routes run. Idempotent: existing accounts are kept and carried on to certification.
struct SeedDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo", abstract: "Create demo accounts (idempotent) and print their credentials.")

    @OptionGroup var options: ConfigOptions

    /// The demo operator. Passwords satisfy the password policy and are printed on purpose: they
    /// are for a local demo only, and production mode refuses to seed. (The operator's earlier
    /// demo password, `Operator#2026`, contains the username, which the policy forbids.)
    static let operatorAccount = (username: "operator", password: "Platform#2026", phone: "13800000001")

    /// The other platform roles the README's flows need: the auditor who starts a redemption
    /// batch's approvals chain, a second operator who approves its payment stage (four-eyes: not
    /// the operator who approved settlement) and the finance person who reconciles bank statements.
    static let platformAccounts: [(role: Role, username: String, password: String, phone: String)] = [
        (.auditor, "demo_auditor", "Auditor#2026", "13800000004"),
        (.operator, "demo_payments", "Payments#2026", "13800000006"),
        (.finance, "demo_finance", "Finance#2026", "13800000005"),
        // The listing chain's second and third stages (operator → expert → authority).
        (.expert, "demo_expert", "Expert#2026", "13800000007"),
        (.authority, "demo_authority", "Authority#2026", "13800000008"),
    ]

    /// The demo organisations, registered through the self-registration flow.
    static let organisations: [AccountsProvisioning.DemoOrganisation] = [
        .init(
            role: .enterprise, username: "demo_enterprise", password: "Enterprise#2026", phone: "13800000002",
            name: "演示制造有限公司", uscc: "91110108MA01ABCD1E"),
        .init(
            role: .provider, username: "demo_provider", password: "Provider#2026", phone: "13800000003",
            name: "演示数字科技有限公司", uscc: "91310115MA1K3XY006"),
    ]

    func run() async throws {
        let config = try CLI.loadConfig(options)
        guard config.mode == .dev else { throw ValidationError("seed-demo runs in dev mode only; it prints passwords") }
        let logger = CLI.logger(config)
        try await CLI.withPostgres(config, logger: logger) { client in
            let provisioning = await AccountsProvisioning(config: config, postgres: client, logger: logger)
            print("demo accounts (dev only):")
            let account = Self.operatorAccount
            let created = try await provisioning.createPlatformUser(
                role: .operator, username: account.username, phone: account.phone, password: account.password)
            Self.line("operator", account.username, account.password, AccountsProvisioning.platformName, created: created)
            for other in Self.platformAccounts {
                let created = try await provisioning.createPlatformUser(
                    role: other.role, username: other.username, phone: other.phone, password: other.password)
                Self.line(other.role.rawValue, other.username, other.password, AccountsProvisioning.platformName, created: created)
            }
            for demo in Self.organisations {
                let created = try await provisioning.registerAndCertify(demo, operatorUsername: account.username)
                Self.line(demo.role.rawValue, demo.username, demo.password, demo.name, created: created)
            }
            try await Self.seedAnnouncement(client, logger: logger, operatorUsername: account.username)
            try await Self.seedExperts(
                client, logger: logger, files: LocalDiskFileStore(root: config.dataDir), providerUsername: Self.organisations[1].username)
        }
    }

    /// One pinned, published policy announcement for everyone, unless there are announcements already.
    static func seedAnnouncement(_ client: PostgresClient, logger: Logger, operatorUsername: String) async throws {
        var existing = 0
        for try await count in try await client.query("SELECT count(*)::int FROM announcements", logger: logger).decode(Int.self) {
            existing = count
        }
        var author: String?
        let users = try await client.query("SELECT id FROM users WHERE lower(username) = lower(\(operatorUsername))", logger: logger)
        for try await id in users.decode(String.self) { author = id }
        guard existing == 0, let author else { return }
        let announcements = AnnouncementsRepository(client: client, logger: logger)
        let id = OpaqueID.make(prefix: "ann")
        let now = Date()
        _ = try await announcements.create(
            id: id,
            content: AnnouncementContent(
                title: "中小企业数字化转型服务券申领指南", body: "认证通过的企业可在活动开放时抢领服务券，用于购买平台服务商的数字化转型服务。",
                category: "policy", audience: "all"), pinned: true, by: author, now: now)
        _ = try await announcements.publish(id: id, at: now, now: now)
        print("  announcement: one pinned policy announcement (GET /v1/public/announcements)")
    }

    /// Two experts of the demo provider (专家团队), unless it has experts already; their photo is a 1×1 PNG.
    static func seedExperts(_ client: PostgresClient, logger: Logger, files: any FileStore, providerUsername: String) async throws {
        var found: (orgID: String, experts: Int)?
        let rows = try await client.query(
            """
            SELECT u.org_id, (SELECT count(*)::int FROM experts e WHERE e.org_id = u.org_id) FROM users u
            WHERE lower(u.username) = lower(\(providerUsername)) AND u.is_main
            """, logger: logger)
        for try await row in rows.decode((String, Int).self) { found = row }
        guard let found, found.experts == 0, let png = Data(base64Encoded: Self.pixelPNG) else { return }
        let stored = try await files.store(Array(png), mediaType: "image/png")
        let experts = ExpertsRepository(client: client, logger: logger)
        let now = Date()
        try await experts.recordPhoto(orgID: found.orgID, sha256: stored.sha256, mediaType: stored.mediaType, sizeBytes: stored.sizeBytes, now: now)
        for (name, gender, field, title, phonePublic) in [
            ("王建国", "male", "装备制造", "首席专家", false), ("李敏", "female", "电子信息", "数据治理顾问", true),
        ] {
            let profile = ExpertProfile(
                name: name, age: 45, gender: gender, industrialInternetFields: ["工业互联网平台"], industryFields: [field],
                industrialOperationFields: ["生产管理"], industrialInternetServiceYears: 10, industryServiceYears: 18,
                experience: "主持多家制造企业的数字化改造。", title: title, education: "硕士", photoFileId: stored.sha256,
                introduction: "长期从事中小企业数字化转型咨询。", phone: "13800000009", phonePublic: phonePublic)
            _ = try await experts.create(orgID: found.orgID, profile: try profile.validated(), now: now)
        }
        print("  experts: two of the demo provider (GET /v1/public/experts)")
    }

    /// A 1×1 PNG, the demo experts' photo.
    static let pixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="

    static func line(_ role: String, _ username: String, _ password: String, _ organisation: String, created: Bool) {
        print(
            "  \(role.padding(toLength: 10, withPad: " ", startingAt: 0)) username \(username)  password \(password)  "
                + "(\(organisation))\(created ? "" : " [existed]")"
        )
    }
}
