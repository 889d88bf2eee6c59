/// The built-in checks, by family. A new check is added here and nowhere else.
enum StandardChecks {
    static let all: [any Check.Type] = content + format + promises + pii

    static let content: [any Check.Type] = []
    static let format: [any Check.Type] = []
    static let promises: [any Check.Type] = []
    static let pii: [any Check.Type] = []
}
