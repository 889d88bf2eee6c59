/// Where a value sits inside a document, as diagnostics name it: `checks[1].type`, `defaults.params.temperature`.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// A key (`"targets"`) or a list index (`0`); literals of either make one.
    public enum Component: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)

        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public init(arrayLiteral components: Component...) {
        self.components = components
    }

    public static let root = FieldPath()

    public func appending(_ key: String) -> FieldPath {
        FieldPath(components + [.key(key)])
    }

    public func appending(index: Int) -> FieldPath {
        FieldPath(components + [.index(index)])
    }

    public var isRoot: Bool { components.isEmpty }

    public var parent: FieldPath { FieldPath(Array(components.dropLast())) }

    public var description: String {
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

/// Finds where a value is in one line of JSON, for diagnostics. It scans (with `JSONScanner`) only when a diagnostic
/// needs a column, so valid lines cost nothing; the line is known to be valid JSON by then.
enum JSONLocator {
    /// The byte offset of the value at `path` (of its key when `key` is true). When the path is not in the
    /// document, the offset of the deepest object or array on the way to it.
    static func offset(of path: FieldPath, key: Bool = false, in bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            scanner.skipWhitespace()
            var container = scanner.index
            for (position, component) in path.components.enumerated() {
                let isLast = position == path.components.count - 1
                let bracket = if case .key = component { UInt8(ascii: "{") } else { UInt8(ascii: "[") }
                guard scanner.current == bracket else { return container }
                container = scanner.index
                do throws(JSONParseError) {
                    switch component {
                    case .key(let name):
                        var object = try scanner.openObject()
                        // The first of duplicate keys is the one JSONValue.parse keeps.
                        while true {
                            guard let member = try scanner.nextKey(in: &object) else { return container }
                            if scanner.text(of: member) == name {
                                if isLast && key { return member.range.lowerBound }
                                break
                            }
                            try scanner.skipValue()
                        }
                    case .index(let wanted):
                        var array = try scanner.openArray()
                        for _ in 0..<wanted {
                            guard try scanner.nextElement(in: &array) else { return container }
                            try scanner.skipValue()
                        }
                        guard try scanner.nextElement(in: &array) else { return container }
                    }
                } catch {
                    return container
                }
            }
            return scanner.index
        }
    }
}
