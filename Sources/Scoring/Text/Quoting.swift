/// Text quoted in a finding's message: on one line, and clipped so that a long match does not flood a report
/// (the finding's `text` keeps the full match).
func quoted(_ text: some StringProtocol, limit: Int = 80) -> String {
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
