import EvalCore

/// `{"type": "language", "expected": "ru", "min_ratio": 0.8}`: the answer is written in the expected language, as
/// far as its script tells: at least `min_ratio` of its letters are Cyrillic (`ru`) or Latin (`en`).
///
/// Code (fenced blocks and inline code), URLs and email addresses are left out: `order_id`, `https://shop.example`
/// and `support@shop.example` say nothing about the language of a Russian answer. Brand names and terms in another
/// script do count, which is what `min_ratio` leaves room for. An answer without letters passes (there is nothing to
/// judge). A failing answer's finding spans the longest stretch of foreign-script text.
public struct LanguageCheck: Check {
    public static let type = "language"
    public static let version = 1
    public static let summary =
        "the answer is in the expected language by script: ru (Cyrillic) or en (Latin), option min_ratio"

    public enum Language: String, Sendable, Hashable, CaseIterable {
        case ru, en

        public var script: WritingScript {
            switch self {
            case .ru: return .cyrillic
            case .en: return .latin
            }
        }
    }

    /// What the check measured in one answer.
    public struct Measurement: Sendable, Hashable {
        /// Letters outside code, URLs and emails.
        public var letters: Int
        /// How many of them are in the expected script.
        public var expectedLetters: Int
        /// The longest stretch of text whose letters are all in another script.
        public var longestForeignRun: Range<String.Index>?

        public var ratio: Double { letters == 0 ? 1 : Double(expectedLetters) / Double(letters) }
    }

    public let expected: Language
    public let minRatio: Double

    public init(expected: Language, minRatio: Double = 0.8) {
        self.expected = expected
        self.minRatio = minRatio
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let allowed = Language.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        guard let name = try options.optionalString("expected") else {
            throw CheckConfigurationError("check '\(Self.type)' needs option 'expected' (one of \(allowed))")
        }
        guard let language = Language(rawValue: name) else {
            throw CheckConfigurationError(
                "option 'expected' of check '\(Self.type)' expects one of \(allowed), found '\(name)'")
        }
        let ratio = try options.optionalDouble("min_ratio") ?? 0.8
        guard (0...1).contains(ratio) else {
            throw CheckConfigurationError(
                "option 'min_ratio' of check '\(Self.type)' expects a number from 0 to 1, found \(ratio)")
        }
        self.init(expected: language, minRatio: ratio)
    }

    // The shapes of URLs and emails; both patterns are constant and covered by tests.
    private static let url = try! TextPattern(#"\b(?:https?|ftp)://[^\s<>"'«»()\[\]{}]+|\bwww\.[^\s<>"'«»()\[\]{}]+"#)
    // The local part is bounded (64, as RFC 5321 allows), so the search stays linear: unbounded, a long run of
    // letters or digits without an '@' makes the engine retry from every position, quadratic in the text.
    private static let email = try! TextPattern(
        #"[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){1,8}"#)

    /// Code, URLs and emails: ranges whose letters are not counted, sorted by start.
    static func ignoredRanges(in text: String) -> [Range<String.Index>] {
        let lines = Markdown.lines(text)
        let blocks = Markdown.fencedBlocks(in: text, lines: lines)
        var ranges = blocks.map(\.range)
        let fenced = Markdown.fencedLineMask(in: text, lines: lines)
        for (index, line) in lines.enumerated() where !fenced[index] {
            ranges += Markdown.inlineCode(in: line).map { $0.startIndex..<$0.endIndex }
        }
        ranges += url.matches(in: text)
        ranges += email.matches(in: text)
        return ranges.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// One pass over the scalars (`LanguageScan`) for text whose scalars are characters of their own, as ru and en
    /// prose is; character by character, with the Markdown helpers and the patterns, for the rest (combining marks,
    /// emoji, other scripts). Both give the same measurement where both apply (`LanguageScanTests`).
    public func measure(_ text: String) -> Measurement {
        guard let scan = LanguageScan(text) else { return measureByCharacters(text) }
        let measured = scan.measure(expecting: expected.script)
        let utf8 = text.utf8
        return Measurement(
            letters: measured.letters, expectedLetters: measured.expectedLetters,
            longestForeignRun: measured.longest.map {
                utf8.index(
                    utf8.startIndex, offsetBy: $0.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: $0.upperBound)
            }
        )
    }

    /// The measurement character by character, code, URLs and emails found by `ignoredRanges`.
    func measureByCharacters(_ text: String) -> Measurement {
        let ignored = Self.ignoredRanges(in: text)
        var nextIgnored = 0
        var letters = 0
        var expectedLetters = 0
        var longest: Range<String.Index>?
        var longestLength = 0
        var run: Range<String.Index>?
        func closeRun() {
            if let current = run {
                let length = text[current].count
                if length > longestLength {
                    longest = current
                    longestLength = length
                }
            }
            run = nil
        }
        var index = text.startIndex
        while index < text.endIndex {
            while nextIgnored < ignored.count, ignored[nextIgnored].upperBound <= index { nextIgnored += 1 }
            if nextIgnored < ignored.count, ignored[nextIgnored].contains(index) {
                closeRun()
                index = ignored[nextIgnored].upperBound
                continue
            }
            let next = text.index(after: index)
            if let script = WritingScript(text[index]) {
                letters += 1
                if script == expected.script {
                    expectedLetters += 1
                    closeRun()
                } else {
                    run = (run?.lowerBound ?? index)..<next
                }
            }
            index = next
        }
        closeRun()
        return Measurement(letters: letters, expectedLetters: expectedLetters, longestForeignRun: longest)
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let measurement = measure(input.response)
        guard measurement.ratio < minRatio else { return .pass }
        let run = measurement.longestForeignRun
        return .fail(
            Self.wrongLanguage(
                measurement,
                expected: expected,
                minRatio: minRatio,
                span: run.map { TextSpan($0, in: input.response) },
                text: run.map { String(input.response[$0]) }
            )
        )
    }

    /// The minimum as a percentage, to one decimal: "80%", "72.5%".
    static func percent(_ ratio: Double) -> String {
        let tenths = (ratio * 1000).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))%" : "\(tenths / 10)%"
    }

    /// The measured share rounds down, so a failing answer never shows the very percentage it needed.
    static func wrongLanguage(
        _ measurement: Measurement, expected: Language, minRatio: Double, span: TextSpan?, text: String?
    )
        -> Finding
    {
        let share = measurement.letters == 0 ? 100 : measurement.expectedLetters * 100 / measurement.letters
        return Finding(
            ruleID: "format.language",
            message: "answer is \(share)% \(expected.script.rawValue), expected \(expected.rawValue) "
                + "(at least \(percent(minRatio)))",
            span: span,
            text: text
        )
    }
}
