/// IFEval's 25 instructions as checks, in the reference's registry order (keywords, language, length constraints,
/// detectable content and format, combination, start/end, change case, punctuation).
///
/// One check type per instruction, `ifeval:<instruction id>`, rather than one `ifeval` type with an option: reports
/// count passes per check type, so per-instruction accuracy (what IFEval publishes) falls out of every report, each
/// instruction validates its own kwargs, and each has its own version.
public enum IFEvalInstructions {
    public static let checks: [any Check.Type] = [
        IFEvalCheck<IFEvalKeywordExistence>.self,
        IFEvalCheck<IFEvalKeywordFrequency>.self,
        IFEvalCheck<IFEvalForbiddenWords>.self,
        IFEvalCheck<IFEvalLetterFrequency>.self,
        IFEvalCheck<IFEvalResponseLanguage>.self,
        IFEvalCheck<IFEvalNumberSentences>.self,
        IFEvalCheck<IFEvalNumberParagraphs>.self,
        IFEvalCheck<IFEvalNumberWords>.self,
        IFEvalCheck<IFEvalNthParagraphFirstWord>.self,
        IFEvalCheck<IFEvalNumberPlaceholders>.self,
        IFEvalCheck<IFEvalPostscript>.self,
        IFEvalCheck<IFEvalNumberBulletLists>.self,
        IFEvalCheck<IFEvalConstrainedResponse>.self,
        IFEvalCheck<IFEvalNumberHighlightedSections>.self,
        IFEvalCheck<IFEvalMultipleSections>.self,
        IFEvalCheck<IFEvalJSONFormat>.self,
        IFEvalCheck<IFEvalTitle>.self,
        IFEvalCheck<IFEvalTwoResponses>.self,
        IFEvalCheck<IFEvalRepeatPrompt>.self,
        IFEvalCheck<IFEvalEndChecker>.self,
        IFEvalCheck<IFEvalCapitalWordFrequency>.self,
        IFEvalCheck<IFEvalEnglishCapital>.self,
        IFEvalCheck<IFEvalEnglishLowercase>.self,
        IFEvalCheck<IFEvalNoComma>.self,
        IFEvalCheck<IFEvalQuotation>.self,
    ]

    /// The check type of an instruction id: `ifeval:punctuation:no_comma`.
    public static func checkType(_ instructionID: String) -> String { "ifeval:" + instructionID }

    /// Whether a check type is an IFEval instruction (and so has a loose mode).
    public static func isIFEval(_ checkType: String) -> Bool { checkType.hasPrefix("ifeval:") }
}
