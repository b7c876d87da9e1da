import Foundation
import Logging
import PostgresNIO
import VoucherCore

extension ProductsRepository {
    /// The module media of `content` whose upload is a video (the catalogue shows those as videos).
    static func videoFileIDs(
        _ content: ListingContent, orgID: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> Set<
        String
    > {
        var videos: Set<String> = []
        let mediaIDs = content.intro.modules.flatMap(\.mediaFileIds)
        guard !mediaIDs.isEmpty else { return videos }
        for try await sha in try await connection.query(
            "SELECT sha256 FROM product_files WHERE org_id = \(orgID) AND sha256 = ANY(\(mediaIDs)) AND media_type LIKE 'video/%'", logger: logger
        ).decode(String.self) {
            videos.insert(sha)
        }
        return videos
    }

    /// 发布预览: the catalogue detail a revision would get once approved (`ListingEffect.catalogueDetail`,
    /// the approval's own builder), for its provider's preview and the reviewers' approval page.
    /// Nil for a revision without content (made before listings had content).
    public func previewDetail(of revision: RevisionRecord, orgID: String) async throws -> CatalogueDetail? {
        guard let content = revision.content else { return nil }
        let videos = try await client.withConnection { connection in
            try await Self.videoFileIDs(content, orgID: orgID, on: connection, logger: logger)
        }
        return ListingEffect.catalogueDetail(content, specs: revision.specs, videos: videos)
    }
}
