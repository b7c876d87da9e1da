import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import PostgresStore
import VoucherCore

/// Seeds the catalogue benchmark (ops/bench-catalogue runs it): provider organisations, listed
/// products with their specs, and their catalogue entries written by `CatalogueRepository.upsert`
/// (the listing chain's own write, grams computed in Swift), with realistic Chinese names, tags
/// and industries drawn from a fixed seed. Also writes the bounded list of catalogue requests the
/// script times, so every run asks the same questions.
@main
struct CatalogueBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue-bench", abstract: "Seed N listed products into the catalogue and write the request list of ops/bench-catalogue.")

    @Option(help: "Listed products to seed.") var products = 100_000
    @Option(help: "Provider organisations that own them.") var providers = 500
    @Option(help: "Catalogue requests to write to --requests-file.") var requests = 2_000
    @Option(help: "Where to write the request paths, one a line.") var requestsFile: String
    @Option(help: "PostgreSQL port on 127.0.0.1.") var port = 45433
    @Option(help: "Seed of the generator.") var seed: UInt64 = 20_261_203

    static let productsMax = 1_000_000
    static let requestsMax = 100_000
    /// Entries per transaction, and transactions in flight at once.
    static let batchSize = 500
    static let writers = 4

    mutating func run() async throws {
        guard (1...Self.productsMax).contains(products), (1...10_000).contains(providers), (1...Self.requestsMax).contains(requests) else {
            throw ValidationError("--products 1...\(Self.productsMax), --providers 1...10000, --requests 1...\(Self.requestsMax)")
        }
        let password = ProcessInfo.processInfo.environment["VOUCHER_DB_PASSWORD"] ?? ""
        var configuration = PostgresClient.Configuration(
            host: "127.0.0.1", port: port, username: "voucher", password: password, database: "voucherrush", tls: .disable)
        configuration.options.maximumConnections = Self.writers
        let logger = Logger(label: "catalogue-bench")
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let (products, providers, seed) = (self.products, self.providers, self.seed)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await Seeder(client: client, logger: logger, seed: seed).seed(products: products, providers: providers)
            group.cancelAll()
        }
        let elapsed = ContinuousClock.now - started
        FileHandle.standardError.write(Data("seeded \(products) products in \(elapsed)\n".utf8))
        var generator = SplitMix(seed: seed ^ 0x5EED)
        let lines = (0..<requests).map { _ in Vocabulary.request(&generator) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: requestsFile))
    }
}

/// Writes the products in batches, `CatalogueBench.writers` transactions at a time.
struct Seeder: Sendable {
    let client: PostgresClient
    let logger: Logger
    let seed: UInt64

    func seed(products: Int, providers: Int) async throws {
        try await client.query(
            """
            INSERT INTO organisations (id, kind, name, certification)
            SELECT 'org_bench_' || g, 'provider', (ARRAY['杭州','深圳','苏州','成都','武汉','西安','南京','合肥'])[1 + g % 8] || '数智科技' || g || '有限公司',
                'certified'
            FROM generate_series(0, \(providers - 1)) g
            """, logger: logger)
        let batches = stride(from: 0, to: products, by: CatalogueBench.batchSize).map { ($0, min(products, $0 + CatalogueBench.batchSize)) }
        var next = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<CatalogueBench.writers where next < batches.count {
                let batch = batches[next]
                next += 1
                group.addTask { try await write(batch.0..<batch.1, providers: providers) }
            }
            while try await group.next() != nil {
                guard next < batches.count else { continue }
                let batch = batches[next]
                next += 1
                group.addTask { try await write(batch.0..<batch.1, providers: providers) }
            }
        }
        try await client.query("VACUUM ANALYZE catalogue_entries", logger: logger)
        try await client.query("ANALYZE products", logger: logger)
    }

    func write(_ range: Range<Int>, providers: Int) async throws {
        let repository = CatalogueRepository(client: client, logger: logger)
        let listedFrom = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
        let entries: [CatalogueEntry] = range.map { index in
            var generator = SplitMix(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            let org = "org_bench_\(index % providers)"
            let id = "prd_" + String(format: "%026d", index)
            return Vocabulary.entry(
                index: index, id: id, org: org, providerName: "数智科技\(index % providers)有限公司",
                listedAt: listedFrom.addingTimeInterval(Double(index) * 97), &generator)
        }
        try await client.transaction(logger: logger) { tx in
            // Each product with its live revision (migration 0011), as the listing chain leaves it; the
            // two refer to each other, which the deferred foreign keys allow inside the transaction.
            let revisions = entries.map { "rev_" + $0.productID.dropFirst(4) }
            try await tx.query(
                """
                INSERT INTO products (id, org_id, name, category, status, created_at, updated_at, listed_at, live_revision_id, working_revision_id)
                SELECT * FROM unnest(\(entries.map(\.productID)), \(entries.map(\.providerOrgID)), \(entries.map(\.name)),
                    \(entries.map(\.category.rawValue)), \(entries.map { _ in "listed" }), \(entries.map(\.listedAt)), \(entries.map(\.listedAt)),
                    \(entries.map(\.listedAt)), \(revisions), \(revisions))
                """, logger: logger)
            try await tx.query(
                """
                INSERT INTO product_revisions (id, product_id, number, state, name, category, created_at, updated_at)
                SELECT id, product_id, 1, 'approved', name, category, at, at
                FROM unnest(\(revisions), \(entries.map(\.productID)), \(entries.map(\.name)), \(entries.map(\.category.rawValue)),
                    \(entries.map(\.listedAt))) AS r (id, product_id, name, category, at)
                """, logger: logger)
            let specs = entries.flatMap { entry in entry.detail.specs.enumerated().map { (entry.productID, $0.offset, $0.element) } }
            try await tx.query(
                """
                INSERT INTO product_specs (id, product_id, revision_id, position, name, purchase_mode, pricing, unit_price_fen)
                SELECT * FROM unnest(\(specs.map(\.2.id)), \(specs.map(\.0)), \(specs.map { "rev_" + $0.0.dropFirst(4) }), \(specs.map(\.1)),
                    \(specs.map(\.2.name)), \(specs.map(\.2.purchaseMode.rawValue)), \(specs.map(\.2.pricing.rawValue)),
                    \(specs.map(\.2.unitPriceFen)))
                """, logger: logger)
            for entry in entries { try await repository.upsert(entry, on: tx) }
        }
    }
}

/// The words products are made of, and the requests the benchmark asks.
enum Vocabulary {
    static let prefixes = ["企业", "智慧", "云端", "工业", "数字化", "智能", "一体化", "轻量级", "中小企业", "全渠道", "协同", "精益"]
    static let domains = [
        "进销存", "财务", "人力资源", "客户关系", "供应链", "仓储物流", "生产制造执行", "质量追溯", "设备运维", "能耗监测", "电商运营",
        "协同办公", "视频会议", "数据中台", "网络安全", "营销获客", "门店管理", "项目管理", "采购", "合同管理", "工业互联网", "数字孪生",
    ]
    static let suffixes = ["管理系统", "解决方案", "平台", "云服务", "SaaS", "咨询服务", "诊断服务", "贯标咨询", "实施服务", "升级方案"]
    static let tags = [
        "上云", "ERP", "CRM", "MES", "WMS", "SaaS", "私有化部署", "低代码", "移动端", "小程序", "数据分析", "AI", "物联网", "信创",
        "等保", "两化融合", "DCMM", "贯标", "诊断", "培训", "安全", "大屏", "RPA", "API",
    ]
    static let industries = ["制造业", "零售业", "批发业", "物流业", "餐饮业", "建筑业", "软件业", "医药", "纺织服装", "汽车零部件", "电子信息", "食品加工"]
    static let classes = ["管理提升", "生产优化", "营销拓展", "安全合规", "数据治理"]
    static let queries = [
        // one character: common, rare, absent
        "云", "数", "智", "链", "鱼",
        // two characters
        "数字", "财务", "供应", "追溯", "运维", "中台", "安全", "门店", "孪生", "区块",
        // three and more
        "进销存", "供应链", "设备运维", "质量追溯系统", "工业互联网平台", "数据中台解决方案", "人力资源管理",
        // Latin and two words
        "erp", "SaaS", "mes", "智能 制造", "云 财务",
    ]

    static func entry(index: Int, id: String, org: String, providerName: String, listedAt: Date, _ g: inout SplitMix) -> CatalogueEntry {
        let domain = g.pick(domains)
        let name = g.pick(prefixes) + domain + g.pick(suffixes)
        let category = g.pick(ProductCategory.allCases)
        let specCount = 1 + g.below(3)
        let base = Int64(1 + g.below(500)) * 10_000
        let specs = (0..<specCount).map { position in
            CatalogueDetail.Spec(
                id: "spc_" + String(format: "%026d", index * 3 + position), name: ["基础版", "标准版", "旗舰版"][position],
                purchaseMode: g.pick(PurchaseMode.allCases), pricing: .simple, unitPriceFen: base * Int64(position + 1))
        }
        let detail = CatalogueDetail(
            introPage: .init(
                bannerFileId: "file_banner_\(g.below(1_000))", highlights: ["\(domain)全流程在线", "七天上线", "专家驻场指导"],
                description: "面向\(g.pick(industries))中小企业的\(domain)方案，覆盖业务全流程，支持与现有系统对接，帮助企业降本增效。",
                modules: [
                    .init(title: "核心功能", text: "\(domain)、报表、权限与审批流。", media: [.init(kind: .image, fileId: "file_m\(g.below(1_000))")]),
                    .init(title: "实施方法", text: "调研、方案、上线、培训四个阶段。", media: []),
                ], afterSales: "一年免费维护，工作日 4 小时响应。"),
            specs: specs,
            caseStudies: [
                .init(
                    customerName: "\(g.pick(["宁波", "东莞", "佛山", "无锡"]))某\(g.pick(industries))企业", annualOutputFen: Int64(g.below(100_000)) * 1_000_000,
                    annualSalesFen: Int64(g.below(100_000)) * 1_000_000, deliveryMonths: 1 + g.below(12), introDocumentFileId: nil)
            ],
            contact: .init(name: "客户经理", phone: "1380000\(String(format: "%04d", g.below(10_000)))", email: nil))
        return CatalogueEntry(
            productID: id, providerOrgID: org, providerName: providerName, name: name,
            productNames: [domain + g.pick(["软件", "系统", "云平台"]) + " V\(1 + g.below(5)).0"], category: category,
            tags: (0..<(1 + g.below(4))).map { _ in g.pick(tags) }, solutionClasses: [g.pick(classes)],
            industries: (0..<(1 + g.below(3))).map { _ in g.pick(industries) }, priceLowFen: base / 2, priceHighFen: base * 4,
            deliveryDays: 7 + g.below(120), personDays: 1 + g.below(60), imageFileID: "file_cover_\(g.below(1_000))", listedAt: listedAt,
            detail: detail)
    }

    /// One request path: mostly searches with zero to two filters, a sort and a page; a tenth are details.
    static func request(_ g: inout SplitMix) -> String {
        if g.below(10) == 0 { return "/v1/catalogue/prd_" + String(format: "%026d", g.below(100_000)) }
        var parameters: [(String, String)] = []
        if g.below(10) < 8 { parameters.append(("q", g.pick(queries))) }
        var filters: [Int] = []
        for _ in 0..<g.below(3) {
            let filter = g.below(5)
            if !filters.contains(filter) { filters.append(filter) }
        }
        for filter in filters {
            switch filter {
            case 0: parameters.append(("category", g.pick(ProductCategory.allCases).rawValue))
            case 1: parameters.append(("tag", g.pick(tags)))
            case 2: parameters.append(("industry", g.pick(industries)))
            case 3: parameters += g.below(2) == 0 ? [("voucherKind", "diagnostic")] : [("voucherKind", "general"), ("voucherDirection", "cloud")]
            default:
                let low = Int64(g.below(200)) * 10_000
                parameters += [("priceMinFen", "\(low)"), ("priceMaxFen", "\(low + Int64(1 + g.below(300)) * 10_000)")]
            }
        }
        parameters.append(("sort", g.pick(CatalogueSort.allCases).rawValue))
        parameters.append(("page", "\(g.pick([1, 1, 1, 2, 3, 5, 10, 50]))"))
        parameters.append(("pageSize", "\(g.pick([10, 20]))"))
        var components = URLComponents()
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        return "/v1/catalogue?" + (components.percentEncodedQuery ?? "")
    }
}

/// SplitMix64: small, fast, and the same on every machine.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}
