import EvalCore
import Scoring
import Testing

@Suite struct FormatNoMarkdownCheckTests {
    @Test func plainTextPasses() throws {
        let answer = """
            Заказ в пути. Курьер приедет завтра, 2*3*4 = 24, поле order_id_new, почта ivan_petrov@mail.ru.
            Следующий шаг: ждите SMS. Итог - всё хорошо.
            """
        #expect(try ContentFormatFixtures.evaluate("no-markdown", [:], answer) == .pass)
        #expect(
            try ContentFormatFixtures.evaluate("no-markdown", [:], "Your order ships today. Price: 5 * 3 = 15.")
                == .pass)
    }

    @Test func everyConstructIsAFindingWithItsSpan() throws {
        let answer = MarkedAnswer(
            """
            1️⃣## Итог
            Заказ 2️⃣**в пути**, курьер 3️⃣*уже выехал*.
            4️⃣- Откройте 5️⃣[приложение](https://shop.example/app)
            6️⃣1. Введите код 7️⃣`1234`
            8️⃣| Товар | Цена |
            |---|---|
            | Чайник | 2 990 ₽ |
            9️⃣```
            ## не заголовок
            ```
            """
        )
        let outcome = try ContentFormatFixtures.evaluate("no-markdown", [:], answer.text)
        #expect(
            outcome.findings == [
                answer.finding("format.no-markdown.heading", "uses markdown heading '## Итог'", at: 1, "## Итог"),
                answer.finding("format.no-markdown.bold", "uses markdown bold text '**в пути**'", at: 2, "**в пути**"),
                answer.finding(
                    "format.no-markdown.italic", "uses markdown italic text '*уже выехал*'", at: 3, "*уже выехал*"),
                answer.finding(
                    "format.no-markdown.list",
                    "uses markdown list item '- Откройте [приложение](https://shop.example/app)'",
                    at: 4,
                    "- Откройте [приложение](https://shop.example/app)"
                ),
                answer.finding(
                    "format.no-markdown.link",
                    "uses markdown link '[приложение](https://shop.example/app)'",
                    at: 5,
                    "[приложение](https://shop.example/app)"
                ),
                answer.finding(
                    "format.no-markdown.list", "uses markdown list item '1. Введите код `1234`'", at: 6,
                    "1. Введите код `1234`"),
                answer.finding("format.no-markdown.inline-code", "uses markdown inline code '`1234`'", at: 7, "`1234`"),
                answer.finding(
                    "format.no-markdown.table",
                    "uses markdown table '| Товар | Цена |'",
                    at: 8,
                    "| Товар | Цена |\n|---|---|\n| Чайник | 2 990 ₽ |"
                ),
                answer.finding(
                    "format.no-markdown.code-block", "uses markdown code block '```'", at: 9,
                    "```\n## не заголовок\n```"),
            ]
        )
    }

    @Test func underscoresAndImagesInEnglish() throws {
        let answer = MarkedAnswer(
            "Use 1️⃣__bold__ and 2️⃣_italic_ here, see 3️⃣![logo](https://x.example/logo.png \"Logo\").")
        #expect(
            try ContentFormatFixtures.evaluate("no-markdown", [:], answer.text).findings == [
                answer.finding("format.no-markdown.bold", "uses markdown bold text '__bold__'", at: 1, "__bold__"),
                answer.finding("format.no-markdown.italic", "uses markdown italic text '_italic_'", at: 2, "_italic_"),
                answer.finding(
                    "format.no-markdown.image",
                    #"uses markdown image '![logo](https://x.example/logo.png "Logo")'"#,
                    at: 3,
                    #"![logo](https://x.example/logo.png "Logo")"#
                ),
            ]
        )
    }

    @Test func markdownInsideInlineCodeIsNotReported() throws {
        let answer = MarkedAnswer("Напишите 1️⃣`**код**` в поле.")
        #expect(
            try ContentFormatFixtures.evaluate("no-markdown", [:], answer.text).findings == [
                answer.finding(
                    "format.no-markdown.inline-code", "uses markdown inline code '`**код**`'", at: 1, "`**код**`")
            ]
        )
    }

    @Test func horizontalRulesAreNotListItems() throws {
        let answer = MarkedAnswer("Заказ в пути.\n* * *\n---\n1️⃣* Пункт")
        #expect(
            try ContentFormatFixtures.evaluate("no-markdown", [:], answer.text).findings == [
                answer.finding("format.no-markdown.list", "uses markdown list item '* Пункт'", at: 1, "* Пункт")
            ]
        )
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("no-markdown", ["allow": ["list"]])
                == #"unknown field "allow" in check 'no-markdown'"#)
    }
}
