/// A word-level diff of two answers: runs of words (and the spaces between them) the same in both, only in the
/// first (removed) or only in the second (added). A longest common subsequence over words, after the common start
/// and end are taken off; answers whose remaining words would need more than `maximumCells` comparisons get none.
enum WordDiff {
    enum Operation: Equatable {
        case same, removed, added
    }

    struct Run: Equatable {
        var operation: Operation
        var text: String
    }

    static let maximumCells = 250_000

    /// Each word with the whitespace after it (leading whitespace on its own), in order: a space alone never
    /// matches, so changed words come out as whole phrases instead of interleaved with the spaces between them.
    static func tokens(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        var inSpace = false
        while index < text.endIndex {
            let isSpace = text[index].isWhitespace
            if !isSpace, inSpace, start < index {
                tokens.append(text[start..<index])
                start = index
            }
            inSpace = isSpace
            index = text.index(after: index)
        }
        if start < text.endIndex { tokens.append(text[start..<text.endIndex]) }
        return tokens
    }

    /// The runs that turn `old` into `new`; nil when the texts are too long and different to compare.
    static func runs(_ old: String, _ new: String) -> [Run]? {
        let a = tokens(old)
        let b = tokens(new)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let left = Array(a[prefix..<(a.count - suffix)])
        let right = Array(b[prefix..<(b.count - suffix)])
        guard (left.count + 1) * (right.count + 1) <= maximumCells else { return nil }
        // lengths[i][j]: the longest common subsequence of left[i...] and right[j...].
        let width = right.count + 1
        var lengths = [Int32](repeating: 0, count: (left.count + 1) * width)
        for i in stride(from: left.count - 1, through: 0, by: -1) {
            for j in stride(from: right.count - 1, through: 0, by: -1) {
                lengths[i * width + j] =
                    left[i] == right[j]
                    ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var runs: [Run] = []
        func add(_ operation: Operation, _ token: Substring) {
            if let last = runs.last, last.operation == operation {
                runs[runs.count - 1].text += token
            } else {
                runs.append(Run(operation: operation, text: String(token)))
            }
        }
        for token in a[..<prefix] { add(.same, token) }
        var i = 0
        var j = 0
        while i < left.count || j < right.count {
            if i < left.count, j < right.count, left[i] == right[j] {
                add(.same, left[i])
                i += 1
                j += 1
            } else if i < left.count, j == right.count || lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                // Removed before added where either keeps the longest common part: `<del>old</del><ins>new</ins>`.
                add(.removed, left[i])
                i += 1
            } else {
                add(.added, right[j])
                j += 1
            }
        }
        for token in a[(a.count - suffix)...] { add(.same, token) }
        return runs
    }
}
