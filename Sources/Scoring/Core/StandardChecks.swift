/// The built-in checks, by family. A new check is added here and nowhere else.
enum StandardChecks {
    static let all: [any Check.Type] = content + format + promises + pii + ifeval + judge

    static let content: [any Check.Type] = [
        EqualsCheck.self, ContainsCheck.self, IContainsCheck.self, ContainsAnyCheck.self, ContainsAllCheck.self,
        NotContainsCheck.self, RegexCheck.self, NotRegexCheck.self, StartsWithCheck.self, EndsWithCheck.self,
        IdealCheck.self,
    ]
    static let format: [any Check.Type] = [
        SectionsCheck.self, JSONCheck.self, LengthCheck.self, LanguageCheck.self, NoMarkdownCheck.self,
    ]
    static let promises: [any Check.Type] = [PromisesCheck.self]
    static let pii: [any Check.Type] = [PIICheck.self]
    static let ifeval: [any Check.Type] = IFEvalInstructions.checks
    static let judge: [any Check.Type] = [JudgeCheck.self]
}
