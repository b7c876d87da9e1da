import RedisNIO
import TestSupport
import Testing

@Suite("TLS")
struct RedisTLSTests {
    @Test func tlsRoundTrip() async throws {
        // Proves the client speaks TLS through swift-nio-ssl: against a redis-server listening
        // only on --tls-port with a certificate made by this test, commands round-trip, with
        // the certificate verified against the address (IP SAN) and against the name localhost.
        try await withOwnRedis(tls: true) { server in
            let certificate = try #require(server.tls?.certificatePath)
            var configuration = testConfiguration(port: server.port)
            configuration.tls = RedisConfiguration.TLS(trustRootsPEMPath: certificate)
            try await withClient(configuration) { client in
                try await client.ping()
                try await client.set("tls:key", to: "secret")
                #expect(try await client.getString("tls:key") == "secret")
            }
            configuration.host = "localhost"
            try await withClient(configuration) { client in
                let value = try await client.getString("tls:key")
                #expect(value == "secret")
            }
        }
    }

    @Test func tlsRejectsUntrustedCertificate() async throws {
        // Proves verification is on by default: the same server with the system trust roots
        // (which do not include the test's self-signed certificate) is refused.
        try await withOwnRedis(tls: true) { server in
            var configuration = testConfiguration(port: server.port)
            configuration.tls = RedisConfiguration.TLS()
            configuration.connectTimeout = .seconds(2)
            await #expect(throws: (any Error).self) {
                _ = try await RedisClient.connect(configuration: configuration)
            }
        }
    }
}
