import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An S3 XML response body, parsed into a small tree. Built on the streaming `XMLParser`
/// because FoundationXML's `XMLDocument` crashes on Linux when given a body that is not XML.
/// S3 puts its elements in a default namespace; names here are local names.
struct S3XML {
    struct Element {
        var name: String
        var text = ""
        var children: [Element] = []

        func elements(named name: String) -> [Element] { children.filter { $0.name == name } }
        func text(_ name: String) -> String? { children.first { $0.name == name }?.text }
    }

    let root: Element

    init(_ data: Data) throws {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard !data.isEmpty, parser.parse(), let root = builder.root else {
            throw S3ProtocolError.malformedResponse("not an XML document: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        self.root = root
    }

    /// `<Name>…</Name>` around already-built children, for a request body.
    static func element(_ name: String, _ children: [String]) -> String {
        "<\(name)>" + children.joined() + "</\(name)>"
    }

    /// `<Name>text</Name>`, the text escaped.
    static func element(_ name: String, text: String) -> String {
        "<\(name)>" + escaped(text) + "</\(name)>"
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&apos;")
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var open: [Element] = []
        var root: Element?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            open.append(Element(name: elementName.split(separator: ":").last.map(String.init) ?? elementName))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !open.isEmpty { open[open.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let element = open.popLast() else { return }
            if open.isEmpty { root = element } else { open[open.count - 1].children.append(element) }
        }
    }
}
