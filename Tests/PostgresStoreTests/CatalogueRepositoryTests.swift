import Foundation
import PostgresNIO
import TestSupport
import Testing
import VoucherCore

@testable import PostgresStore

@Suite struct CatalogueRepositoryTests {
    @Test func upsertOnTheCallersTransactionThenReplaceThenRemove() async throws {
        // Proves the contract of the listing chain: upsert writes on the caller's transaction (a
        // rollback leaves nothing), a second upsert replaces the entry and keeps its rating, the detail
        // reads back equal, and remove takes the product out.
        try await TestDatabase.with { postgres, _ in
            let repository = CatalogueRepository(client: postgres, logger: TestEnvironment.logger)
            try await CatalogueFixtures.provider(postgres, org: "org_p1", name: "云帆科技有限公司")
            let specs = try await CatalogueFixtures.product(
                postgres, id: "prd_one", org: "org_p1", name: "云端进销存", category: .cloud, pricesFen: [500_000, 0],
                listedAt: Date(timeIntervalSince1970: 1_790_000_000))
            var entry = CatalogueEntry(
                productID: "prd_one", providerOrgID: "org_p1", providerName: "云帆科技有限公司", name: "云端进销存",
                productNames: ["进销存SaaS"], category: .cloud, tags: ["上云", "ERP"], solutionClasses: ["管理提升"], industries: ["制造业"],
                priceLowFen: 0, priceHighFen: 900_000, deliveryDays: 7, personDays: 3, imageFileID: nil,
                listedAt: Date(timeIntervalSince1970: 1_790_000_000), detail: CatalogueFixtures.detail(specs: specs))

            struct Rollback: Error {}
            await #expect(throws: Rollback.self) {
                try await postgres.transaction(logger: TestEnvironment.logger) { tx in
                    try await repository.upsert(entry, on: tx)
                    throw Rollback()
                }
            }
            #expect(try await repository.entry(productID: "prd_one") == nil)

            try await postgres.transaction(logger: TestEnvironment.logger) { tx in try await repository.upsert(entry, on: tx) }
            try await postgres.query("UPDATE catalogue_entries SET rating_count = 2, rating_sum = 9 WHERE product_id = 'prd_one'")
            entry.name = "云端进销存 2.0"
            try await postgres.transaction(logger: TestEnvironment.logger) { tx in try await repository.upsert(entry, on: tx) }
            let read = try #require(try await repository.entry(productID: "prd_one"))
            #expect(read.detail == entry.detail)
            #expect(read.listing.name == "云端进销存 2.0")
            #expect(read.listing.lowestSpecPriceFen == 0)
            #expect(read.listing.ratingCount == 2 && read.listing.ratingSum == 9)
            #expect(try await repository.search(CatalogueQuery(terms: ["2.0"])).total == 1)

            let removed = try await postgres.transaction(logger: TestEnvironment.logger) { tx in
                try await repository.remove(productID: "prd_one", on: tx)
            }
            #expect(removed)
            #expect(try await repository.entry(productID: "prd_one") == nil)
            #expect(try await repository.search(CatalogueQuery()).total == 0)
        }
    }

    @Test func anEntryTheChainShouldHaveRefusedIsNotWritten() async throws {
        // Proves upsert checks the entry before writing: four industries fail with a sentence, nothing is stored.
        try await TestDatabase.with { postgres, _ in
            let repository = CatalogueRepository(client: postgres, logger: TestEnvironment.logger)
            try await CatalogueFixtures.provider(postgres, org: "org_p1", name: "云帆科技有限公司")
            var entry = try await CatalogueFixtures.list(postgres, id: "prd_one", org: "org_p1", providerName: "云帆科技有限公司", name: "云端进销存")
            entry.industries = ["制造业", "零售业", "物流业", "餐饮业"]
            entry.name = "改过的名字"
            await #expect(throws: CatalogueEntry.Invalid.self) { try await repository.upsert(entry) }
            #expect(try await repository.entry(productID: "prd_one")?.listing.name == "云端进销存")
        }
    }
}
