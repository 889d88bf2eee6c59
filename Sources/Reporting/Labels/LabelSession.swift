public import EvalCore

/// A person labelling a sample, as a value: which item is shown, what each key does. The terminal loop around it only
/// reads keys and writes screens, and saves the records after every answer — so a session stopped at any moment (a
/// dropped SSH connection) resumes at the first item not labelled yet.
public struct LabelSession: Sendable {
    public enum Action: Sendable, Hashable {
        /// The person shares the check's verdict.
        case agree
        /// The person holds the other verdict.
        case disagree
        /// The person cannot tell: counted, never used.
        case skip
        /// A note for the item shown (kept with its verdict).
        case note(String)
        /// Back to the item before, to change its label.
        case back
        case quit

        /// The action of a key: `a` agree, `d` disagree, `s` skip, `b` back, `q` (or Ctrl-C, Ctrl-D) quit; `n` asks
        /// for a note, which the caller reads as a line. Nil for any other key.
        public init?(key: UInt8) {
            switch key {
            case UInt8(ascii: "a"), UInt8(ascii: "A"), UInt8(ascii: "y"): self = .agree
            case UInt8(ascii: "d"), UInt8(ascii: "D"): self = .disagree
            case UInt8(ascii: "s"), UInt8(ascii: "S"): self = .skip
            case UInt8(ascii: "b"), UInt8(ascii: "B"): self = .back
            case UInt8(ascii: "q"), UInt8(ascii: "Q"), 0x03, 0x04: self = .quit
            default: return nil
            }
        }

        /// The action of a line of keys read from a file or a pipe: `a`/`agree`, `d`/`disagree`, `s`/`skip`,
        /// `b`/`back`, `q`/`quit`, `n TEXT`/`note TEXT`. Nil for an empty or unknown line.
        public init?(line: String) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            let word = trimmed.prefix { $0 != " " && $0 != "\t" }.lowercased()
            let rest = String(trimmed.dropFirst(word.count).drop { $0 == " " || $0 == "\t" })
            switch word {
            case "a", "agree": self = .agree
            case "d", "disagree": self = .disagree
            case "s", "skip": self = .skip
            case "b", "back": self = .back
            case "q", "quit": self = .quit
            case "n", "note": self = .note(rest)
            default: return nil
            }
        }
    }

    public private(set) var records: [LabelRecord]
    /// The item shown; nil when every item is labelled.
    public private(set) var current: Int?
    /// The items answered in this session, in order: `back` walks them.
    private var answered: [Int] = []
    private var pendingNote: String?

    public init(records: [LabelRecord]) {
        self.records = records
        current = records.firstIndex { $0.human == nil }
    }

    public var isFinished: Bool { current == nil }
    public var labelled: Int { records.count { $0.human == .pass || $0.human == .fail } }
    public var skipped: Int { records.count { $0.human == .skip } }
    public var remaining: Int { records.count { $0.human == nil } }

    /// Applies `action`; returns true when the records changed (the caller saves them).
    public mutating func apply(_ action: Action) -> Bool {
        guard let index = current else { return false }
        switch action {
        case .agree, .disagree, .skip:
            let check = records[index].check
            let human: HumanVerdict
            switch action {
            case .agree: human = check == .pass ? .pass : .fail
            case .disagree: human = check == .pass ? .fail : .pass
            default: human = .skip
            }
            records[index].human = human
            if let pendingNote { records[index].note = pendingNote.isEmpty ? nil : pendingNote }
            pendingNote = nil
            answered.append(index)
            current = next(after: index)
            return true
        case .note(let text):
            pendingNote = text
            return false
        case .back:
            guard let previous = answered.popLast() else { return false }
            records[previous].human = nil
            pendingNote = nil
            current = previous
            return true
        case .quit:
            return false
        }
    }

    /// The note typed for the item shown, before its verdict.
    public var note: String? { pendingNote ?? current.flatMap { records[$0].note } }

    /// The next unlabelled item after `index`, wrapping round to earlier ones.
    private func next(after index: Int) -> Int? {
        records.indices[(index + 1)...].first { records[$0].human == nil }
            ?? records.indices.first { records[$0].human == nil }
    }
}
