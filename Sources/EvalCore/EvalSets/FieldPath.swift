/// Where a value sits inside a document, as diagnostics name it: `checks[1].type`, `defaults.params.temperature`.
struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    var components: [Component]

    init(_ components: [Component] = []) {
        self.components = components
    }

    static let root = FieldPath()

    func appending(_ key: String) -> FieldPath {
        FieldPath(components + [.key(key)])
    }

    func appending(index: Int) -> FieldPath {
        FieldPath(components + [.index(index)])
    }

    var isRoot: Bool { components.isEmpty }

    var parent: FieldPath { FieldPath(Array(components.dropLast())) }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

/// Finds where a value is in one line of JSON, for diagnostics. It scans only when a diagnostic needs a column, so
/// valid lines cost nothing; the line is known to be valid JSON by then.
enum JSONLocator {
    /// The byte offset of the value at `path` (of its key when `key` is true). When the path is not in the
    /// document, the offset of the deepest object or array on the way to it.
    static func offset(of path: FieldPath, key: Bool = false, in bytes: [UInt8]) -> Int {
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        var container = scanner.index
        for (position, component) in path.components.enumerated() {
            let isLast = position == path.components.count - 1
            switch component {
            case .key(let name):
                guard scanner.current == UInt8(ascii: "{") else { return container }
                container = scanner.index
                scanner.index += 1
                members: while true {
                    scanner.skipWhitespace()
                    guard scanner.current == UInt8(ascii: "\"") else { return container }
                    let keyStart = scanner.index
                    scanner.skipString()
                    let keyText = (try? JSONValue.parse(bytes[keyStart..<scanner.index]))?.stringValue
                    scanner.skipWhitespace()
                    guard scanner.current == UInt8(ascii: ":") else { return container }
                    scanner.index += 1
                    scanner.skipWhitespace()
                    // The first of duplicate keys is the one JSONValue.parse keeps.
                    if keyText == name {
                        if isLast && key { return keyStart }
                        break members
                    }
                    scanner.skipValue()
                    scanner.skipWhitespace()
                    guard scanner.current == UInt8(ascii: ",") else { return container }
                    scanner.index += 1
                }
            case .index(let wanted):
                guard scanner.current == UInt8(ascii: "[") else { return container }
                container = scanner.index
                scanner.index += 1
                scanner.skipWhitespace()
                guard scanner.current != UInt8(ascii: "]") else { return container }
                for _ in 0..<wanted {
                    scanner.skipValue()
                    scanner.skipWhitespace()
                    guard scanner.current == UInt8(ascii: ",") else { return container }
                    scanner.index += 1
                    scanner.skipWhitespace()
                }
            }
        }
        return scanner.index
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        /// From an opening quote to just past the closing one.
        mutating func skipString() {
            index += 1
            while let byte = current {
                index += 1
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    return
                }
            }
        }

        mutating func skipValue() {
            guard let byte = current else { return }
            switch byte {
            case UInt8(ascii: "\""):
                skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while let byte = current {
                    switch byte {
                    case UInt8(ascii: "\""):
                        skipString()
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                    default:
                        break
                    }
                    index += 1
                    if depth == 0 { return }
                }
            default:
                while let byte = current,
                    byte != UInt8(ascii: ","), byte != UInt8(ascii: "]"), byte != UInt8(ascii: "}"),
                    byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D
                {
                    index += 1
                }
            }
        }
    }
}
