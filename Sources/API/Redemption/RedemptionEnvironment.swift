import Foundation
import Hummingbird
import Logging
import PostgresNIO
import PostgresStore
import VoucherServices

/// What the redemption routes need; tests build one with their own clock and file folder.
public struct RedemptionEnvironment: Sendable {
    public let payees: PayeeAccountsRepository
    public let redemption: RedemptionRepository
    public let files: any FileStore
    /// Deletes refused batches' archives once nothing refers to them.
    let cleanup: FileCleanup
    /// Stores an organisation's uploads within its bound of stored bytes.
    public let storage: OrganisationStorage
    public let clock: any WallClock

    public init(
        postgres: PostgresClient, files: any FileStore, clock: any WallClock, orgStoredBytesMax: Int = OrganisationStorage.bytesMaxDefault,
        logger: Logger
    ) {
        self.payees = PayeeAccountsRepository(client: postgres, logger: logger)
        self.redemption = RedemptionRepository(client: postgres, logger: logger)
        self.files = files
        self.cleanup = FileCleanup(files: files, references: StoredFileReferences(client: postgres, logger: logger), logger: logger)
        self.storage = OrganisationStorage(
            files: files, references: StoredFileReferences(client: postgres, logger: logger), bytesMax: orgStoredBytesMax)
        self.clock = clock
    }
}

/// Registers the payee-account, batch and payout routes on the `v1` group.
public enum RedemptionRoutes {
    public static func add(to v1: RouterGroup<AppRequestContext>, environment: RedemptionEnvironment) {
        RedemptionController(env: environment).addRoutes(to: v1)
    }

    /// Accounts (with the approvals inbox that runs the batch chain), orders and redemption behind
    /// the service's problem and auth middleware, for tests without the grab path's stores.
    /// With `reconciliation`, the statement routes too (they build on recorded transfers).
    public static func standaloneRouter(
        accounts: AccountsEnvironment, orders: OrdersEnvironment, redemption: RedemptionEnvironment,
        reconciliation: ReconciliationEnvironment? = nil
    ) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        let v1 = router.group("v1").add(middleware: accounts.authMiddleware)
        AccountsRoutes.add(to: v1, environment: accounts)
        OrdersRoutes.add(to: v1, environment: orders)
        add(to: v1, environment: redemption)
        if let reconciliation { ReconciliationRoutes.add(to: v1, environment: reconciliation) }
        return router
    }
}

/// A reused Idempotency-Key with another request is a 422, as for orders; the rest follow their kind.
extension RedemptionError: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .idempotencyKeyReused: Problem(.unprocessableContent, code: code, detail: detail)
        default: Problem(domain: domainError)
        }
    }
}

/// Materials archives by content (SPEC §5, §8): ZIP (local-file, empty or spanned signature) or RAR (4 and 5).
enum ArchiveFormat {
    static let zipSignatures: [[UInt8]] = [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06], [0x50, 0x4B, 0x07, 0x08]]
    static let rarSignature: [UInt8] = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07]

    static func sniff(_ bytes: [UInt8]) -> String? {
        if zipSignatures.contains(where: { bytes.starts(with: $0) }) { return "application/zip" }
        if bytes.starts(with: rarSignature) { return "application/vnd.rar" }
        return nil
    }
}

/// General-voucher materials by content (SPEC §5): JPEG, PNG, PDF, DOCX (a ZIP whose entries
/// include `[Content_Types].xml` and `word/`; entry names are stored uncompressed in the headers).
enum GeneralMaterialFormat {
    static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    static func sniff(_ bytes: [UInt8]) -> String? {
        if let image = ImageFormat.sniff(bytes) { return image }
        if bytes.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if bytes.starts(with: ArchiveFormat.zipSignatures[0]), contains(bytes, Array("[Content_Types].xml".utf8)),
            contains(bytes, Array("word/".utf8))
        {
            return docx
        }
        return nil
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var index = 0
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
