import Foundation

extension CatalogueRepository {
    /// The experts a listed product shows on its detail, in display order (`ExpertsRepository.attached`).
    public func attachedExperts(productID: String) async throws -> [ExpertRecord] {
        try await ExpertsRepository(client: client, logger: logger).attached(productID: productID)
    }
}
