import EvalCore

// No Foundation here: `contains` and `ranges(of:)` below are the standard library's, which compare characters, as
// the code these helpers replaced did (Foundation's `contains` would also find half of a CR LF).
extension String {
    /// Every occurrence of `piece` (not overlapping, comparing characters): `ranges(of:)`, by bytes on plain text.
    func occurrences(of piece: String) -> [Range<String.Index>] {
        PlainText.ranges(of: piece, in: self) ?? ranges(of: piece)
    }

    /// `contains(piece)` comparing characters, by bytes on plain text.
    func quotes(_ piece: String) -> Bool {
        guard let found = PlainText.ranges(of: piece, in: self) else { return contains(piece) }
        return !found.isEmpty
    }
}
