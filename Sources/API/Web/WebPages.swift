import Foundation
import Hummingbird
import Mustache

/// The web pages' templates and static files, read once from the API module's resources at start
/// (`Web/Templates/*.mustache`, `Web/Static/*`): a page never touches the disk for them.
///
/// Mustache escapes `{{x}}` for HTML (`<`, `>`, `&`, `"`, `'`); templates never use `{{{x}}}`, so
/// every user-supplied text renders as text (`WebPagesTests` checks the templates for it).
struct WebPages: Sendable {
    /// One static file, with what its answer needs.
    struct StaticFile: Sendable {
        let bytes: ByteBuffer
        let contentType: String
    }

    let library: MustacheLibrary
    /// Static files by name (`app.css`, `login.js`…).
    let statics: [String: StaticFile]

    /// The Content-Security-Policy of every page: scripts, styles, images and forms only from this
    /// origin; no inline script, no inline style, no `eval`, no framing.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; font-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The largest static file (a bound on what is held in memory).
    static let staticBytesMax = 256 * 1024

    /// Reads every template and static file of the module's resources; a missing or broken one
    /// stops the server at start instead of failing a page later.
    static func load() throws -> WebPages {
        guard let root = Bundle.module.resourceURL else { throw WebPagesError.resourcesMissing }
        let templates = root.appendingPathComponent("Templates").path
        let library = try MustacheLibrary.fromDirectory(templates)
        var statics: [String: StaticFile] = [:]
        let folder = root.appendingPathComponent("Static")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            precondition(data.count <= staticBytesMax, "static file \(name) is larger than \(staticBytesMax) bytes")
            statics[name] = StaticFile(bytes: ByteBuffer(bytes: data), contentType: contentType(of: name))
        }
        return WebPages(library: library, statics: statics)
    }

    static func contentType(of name: String) -> String {
        if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
        if name.hasSuffix(".js") { return "text/javascript; charset=utf-8" }
        if name.hasSuffix(".svg") { return "image/svg+xml" }
        return "application/octet-stream"
    }

    /// An HTML page: `template` rendered over `view`, with the CSP and no caching.
    func page(_ template: String, _ view: Any, status: HTTPResponse.Status = .ok) -> Response {
        guard let html = library.render(view, withTemplate: template) else {
            preconditionFailure("template \(template) is not among the resources")
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: Self.contentSecurityPolicy],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Why the web pages could not be loaded.
enum WebPagesError: Error, CustomStringConvertible {
    case resourcesMissing

    var description: String { "the API module's resources (Web/Templates, Web/Static) are missing from the build" }
}

extension MustacheLibrary {
    /// The library of a folder, synchronously: `init(directory:)` is `async` only by signature.
    static func fromDirectory(_ path: String) throws -> MustacheLibrary {
        var library = MustacheLibrary()
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let file = enumerator?.nextObject() as? String {
            guard file.hasSuffix(".mustache") else { continue }
            let text = try String(contentsOfFile: path + "/" + file, encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        return library
    }
}

/// An empty text is "nothing" to a section: `{{#fieldError}}…{{/fieldError}}` shows only for a
/// message and `{{^q}}` renders for an empty query, as templates expect (swift-mustache treats
/// every string as a value, so an empty error would still mark its field invalid). Rendering a
/// string is unchanged: its text, escaped.
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { isEmpty }
}
