/// The rubrics evalgate ships, in English and Russian. A rubric says what to look for; the output format is added by
/// `JudgeCheck` and is the same for every rubric.
public enum JudgeRubrics {
    public struct Rubric: Sendable, Hashable {
        public var en: String
        public var ru: String
        /// What the judge must see besides the answer.
        public var sees: [JudgeCheck.Input]
    }

    public static let all: [String: Rubric] = [
        "promise_without_data": Rubric(
            en: """
                Fail the answer when it promises the customer something — a date, a refund, a price, a discount, a \
                guarantee, an action by the company — that the facts and the conversation do not back. A promise the \
                facts support passes; a statement of policy that the facts contain passes. Quote the promise.
                """,
            ru: """
                Ответ не проходит, если он обещает клиенту то, что не подтверждено фактами и перепиской: срок, возврат, \
                цену, скидку, гарантию, действие компании. Обещание, которое подтверждают факты, проходит; изложение \
                правил, которые есть в фактах, проходит. Процитируйте обещание.
                """,
            sees: [.prompt, .answer, .facts]),
        "house_format_and_tone": Rubric(
            en: """
                Pass the answer when it is polite, calm and to the point, addresses the customer directly, avoids \
                slang, blame and exclamation marks, and keeps the house format (a short answer first, then details if \
                needed). Fail it otherwise and quote the words that break the tone or the format.
                """,
            ru: """
                Ответ проходит, если он вежливый, спокойный и по делу, обращается к клиенту на «вы», без жаргона, \
                упрёков и восклицательных знаков, и соблюдает формат компании (сначала короткий ответ, потом детали при \
                необходимости). Иначе ответ не проходит; процитируйте слова, нарушающие тон или формат.
                """,
            sees: [.prompt, .answer]),
        "answers_question": Rubric(
            en: """
                Pass the answer when it actually answers the customer's question: it addresses what was asked, not a \
                different question, and does not stop at a greeting, an apology or a promise to answer later. Quote \
                the sentence that answers (or, when failing, the sentence that evades).
                """,
            ru: """
                Ответ проходит, если он действительно отвечает на вопрос клиента: по существу заданного вопроса, а не \
                другого, и не ограничивается приветствием, извинением или обещанием ответить позже. Процитируйте \
                предложение, которое отвечает (или, если ответ не проходит, которое уходит от ответа).
                """,
            sees: [.prompt, .answer]),
        "agrees_with_ideal": Rubric(
            en: """
                Pass the answer when it agrees in meaning with the ideal answer: the same facts, numbers and decision, \
                in any wording. Missing a key fact of the ideal, or contradicting it, fails. Quote the part of the \
                answer that agrees or contradicts.
                """,
            ru: """
                Ответ проходит, если по смыслу он совпадает с эталонным: те же факты, числа и решение, в любой \
                формулировке. Если упущен ключевой факт эталона или ответ ему противоречит, ответ не проходит. \
                Процитируйте часть ответа, которая совпадает или противоречит.
                """,
            sees: [.prompt, .answer, .ideal]),
    ]

    public static var names: [String] { all.keys.sorted() }
}
