/// Normalisations shared by the content checks (`equals`, `ideal`) and by section-name matching.
///
/// Every step works on `Character`s, so it is Unicode-aware: Cyrillic letters fold like Latin ones («КОРОТКО» →
/// «коротко»), and a letter with a combining accent is one letter.
public enum TextNormalization {
    /// Trims leading and trailing whitespace and collapses every inner run of whitespace (newlines included) into one
    /// space.
    public static func collapsingWhitespace(_ text: some StringProtocol) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Removes every punctuation character (Unicode general category P: `.,:;!?…-—«»"'()[]{}` and the like).
    /// Symbols (`$`, `+`, `%`, emoji) are kept. Punctuation is removed, not replaced: `e-mail` becomes `email`.
    public static func strippingPunctuation(_ text: some StringProtocol) -> String {
        String(text.filter { !$0.isPunctuation })
    }

    /// Lowercases with Unicode's full mapping: «КОРОТКО» and «Коротко» both become «коротко».
    public static func caseFolded(_ text: some StringProtocol) -> String {
        text.lowercased()
    }

    /// Applies the chosen steps in a fixed order: punctuation, then whitespace, then case.
    public static func normalized(
        _ text: some StringProtocol,
        ignoreCase: Bool,
        collapseWhitespace: Bool,
        stripPunctuation: Bool
    ) -> String {
        var result = String(text)
        if stripPunctuation { result = strippingPunctuation(result) }
        if collapseWhitespace { result = collapsingWhitespace(result) }
        if ignoreCase { result = caseFolded(result) }
        return result
    }

    /// The normalisation of `match: normalized` in `ideal`: case-folded, punctuation stripped, whitespace collapsed.
    public static func loose(_ text: some StringProtocol) -> String {
        normalized(text, ignoreCase: true, collapseWhitespace: true, stripPunctuation: true)
    }
}
