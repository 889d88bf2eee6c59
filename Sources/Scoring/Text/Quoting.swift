import EvalCore

/// Text quoted in a finding's message: on one line, and clipped so that a long match does not flood a report
/// (the finding's `text` keeps the full match).
func quoted(_ text: some StringProtocol, limit: Int = 80) -> String {
    // Most quoted texts are short and on one line: with every scalar a character of its own, none a line break or a
    // tab, and no more than `limit` of them, the text is quoted as it is.
    var count = 0
    var asIs = true
    for scalar in text.unicodeScalars {
        count += 1
        guard count <= limit, scalar != "\n", scalar != "\r", scalar != "\t", PlainText.standsAlone(scalar) else {
            asIs = false
            break
        }
    }
    return asIs ? "'" + text + "'" : quotedByCharacter(text, limit: limit)
}

/// `quoted` character by character: the definition its shortcut stands in for.
func quotedByCharacter(_ text: some StringProtocol, limit: Int) -> String {
    var line = ""
    for character in text {
        switch character {
        case "\n", "\r\n", "\r": line += "\\n"
        case "\t": line += "\\t"
        default: line.append(character)
        }
    }
    guard line.count > limit else { return "'\(line)'" }
    return "'\(line.prefix(limit))…'"
}

/// A count with its unit, singular or plural: "1 word", "412 words".
func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}
