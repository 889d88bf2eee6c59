import EvalCore
import Foundation
import Scoring
import Testing

/// The `promises` check and its options: packs (built-in or a user's file), categories, the allowlist, and the errors
/// for bad options and bad pack files.
@Suite struct PromisePackOptionsTests {
    func check(_ options: [String: JSONValue] = [:]) throws -> any Check {
        try CheckRegistry.standard.make(CheckSpec(type: "promises", options: options))
    }

    func configurationError(_ options: [String: JSONValue]) -> String? {
        do {
            _ = try check(options)
            return nil
        } catch let error as CheckConfigurationError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    /// A pack file in a fresh temporary directory; removed with the directory when the test ends.
    struct TemporaryPack {
        let directory: URL
        let path: String

        init(_ contents: String, name: String = "acme.json") throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "evalgate-promises-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            path = directory.appendingPathComponent(name).path
            try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    static let acmePack = """
        {
          "format": 1,
          "name": "acme",
          "language": "ru",
          "description": "Refund shares ACME support must not promise",
          "classes": {"share": ["%", "процент*"]},
          "rules": [
            {
              "id": "price.refund_share",
              "category": "price",
              "description": "a share of the price promised back",
              "patterns": ["вернем|возместим ~2 @digits @share"]
            }
          ]
        }
        """

    // MARK: - The check

    @Test func isRegisteredWithItsTypeAndVersion() {
        #expect(CheckRegistry.standard.types["promises"] is PromisesCheck.Type)
        #expect(PromisesCheck.type == "promises")
        #expect(PromisesCheck.version == 4)
    }

    @Test func failsWithOneFindingPerPromise() throws {
        let input = PromiseMarkedText("Мы ⟦гарантируем⟧ возврат ⟦за 3 дня⟧")
        let outcome = try check().evaluate(CheckInput(response: input.text))
        #expect(!outcome.passed)
        #expect(
            outcome.findings == [
                Finding(
                    ruleID: "promise.guarantee.explicit", message: "promises a guarantee 'гарантируем'",
                    span: input.spans[0], text: "гарантируем"),
                Finding(
                    ruleID: "promise.deadline.within_period", message: "promises a deadline 'за 3 дня'",
                    span: input.spans[1], text: "за 3 дня"),
            ]
        )
        #expect(input.spans[0] == TextSpan(start: 5, end: 27))
    }

    @Test func passesAnAnswerWithoutPromises() throws {
        let outcome = try check().evaluate(
            CheckInput(
                response: "Спасибо за обращение! Статус заказа можно проверить в приложении. Thanks for reaching out.")
        )
        #expect(outcome == .pass)
    }

    @Test func categoriesLimitWhatIsReported() throws {
        let answer = "Доставка бесплатная, привезём завтра, гарантируем."
        let all = try check().evaluate(CheckInput(response: answer)).findings.map(\.ruleID)
        #expect(all == ["promise.price.free", "promise.deadline.on_day", "promise.guarantee.explicit"])
        let prices = try check(["categories": ["price"]]).evaluate(CheckInput(response: answer)).findings.map(\.ruleID)
        #expect(prices == ["promise.price.free"])
        let two = try check(["categories": ["deadline", "guarantee"]]).evaluate(CheckInput(response: answer)).findings
            .map(\.ruleID)
        #expect(two == ["promise.deadline.on_day", "promise.guarantee.explicit"])
    }

    @Test func packsChooseTheLanguages() throws {
        let english = try check(["packs": ["en"]])
        #expect(english.evaluate(CheckInput(response: "Гарантируем возврат.")).passed)
        #expect(!english.evaluate(CheckInput(response: "We guarantee a refund.")).passed)
        let russian = try check(["packs": "ru"])
        #expect(!russian.evaluate(CheckInput(response: "Гарантируем возврат.")).passed)
        #expect(russian.evaluate(CheckInput(response: "We guarantee a refund.")).passed)
    }

    // MARK: - The allowlist

    @Test func anAllowedPhraseSuppressesThePromisesItContains() throws {
        let check = try check(["allow": ["бесплатная доставка"]])
        #expect(check.evaluate(CheckInput(response: "У нас бесплатная доставка по всей России.")).passed)
        #expect(check.evaluate(CheckInput(response: "У нас БЕСПЛАТНАЯ  Доставка по всей России.")).passed)
        let other = PromiseMarkedText("Бесплатная доставка и ⟦скидка 20%⟧, а возврат ⟦бесплатный⟧.")
        let findings = check.evaluate(CheckInput(response: other.text)).findings
        #expect(findings.map(\.span) == other.spans)
        #expect(findings.map(\.ruleID) == ["promise.price.discount", "promise.price.free"])
    }

    @Test func anAllowedPhraseMustContainTheWholePromise() throws {
        let check = try check(["allow": ["доставка"]])
        #expect(!check.evaluate(CheckInput(response: "Бесплатная доставка.")).passed)
    }

    @Test func allowedWordsWithAStarMatchEveryEnding() throws {
        let check = try check(["allow": ["бесплатн* доставк*", "free shipping"]])
        #expect(check.evaluate(CheckInput(response: "Оформим бесплатную доставку.")).passed)
        #expect(check.evaluate(CheckInput(response: "Бесплатной доставкой можно воспользоваться.")).passed)
        #expect(check.evaluate(CheckInput(response: "Free shipping on every order.")).passed)
        #expect(!check.evaluate(CheckInput(response: "Free returns on every order.")).passed)
    }

    // MARK: - A user's pack

    @Test func loadsAUserPackFromAFile() throws {
        let file = try TemporaryPack(Self.acmePack)
        defer { file.remove() }
        let input = PromiseMarkedText("Если товар не подойдёт, ⟦вернём 50%⟧ стоимости.")
        let outcome = try check(["packs": [.string(file.path)]]).evaluate(CheckInput(response: input.text))
        #expect(
            outcome.findings == [
                Finding(
                    ruleID: "promise.price.refund_share", message: "promises a price 'вернём 50%'",
                    span: input.spans[0], text: "вернём 50%")
            ])
    }

    /// Negators and hedges of every loaded pack apply to every rule: a user's pack of rules only gets the Russian
    /// negation for free when it is loaded with `ru`.
    @Test func qualifiersOfEveryLoadedPackApplyToAUserPack() throws {
        let file = try TemporaryPack(Self.acmePack)
        defer { file.remove() }
        let negated = "Мы не вернём 50% стоимости."
        #expect(!(try check(["packs": [.string(file.path)]]).evaluate(CheckInput(response: negated)).passed))
        #expect(try check(["packs": ["ru", .string(file.path)]]).evaluate(CheckInput(response: negated)).passed)
    }

    @Test func aDetectorIsBuiltFromNamesAndPaths() throws {
        let file = try TemporaryPack(Self.acmePack)
        defer { file.remove() }
        let detector = try PromiseDetector(packs: ["en", file.path], categories: ["price"], allow: [])
        #expect(detector.packs.map(\.name) == ["en", "acme"])
        #expect(detector.categories == [.price])
        #expect(
            detector.detect(in: "It costs $49, and we'll возместим 10%.").map(\.text) == ["costs $49", "возместим 10%"])
        #expect(try PromiseDetector.builtinPack("ru").language == "ru")
    }

    // MARK: - Bad options

    @Test func badOptionsSayWhatWasExpected() {
        #expect(
            configurationError(["packs": ["fr"]])
                == "option 'packs' of check 'promises': unknown promise pack 'fr'; built-in packs are 'en', 'ru' (a pack file is a path ending in '.json')"
        )
        #expect(configurationError(["packs": []]) == "option 'packs' of check 'promises' expects at least one pack")
        #expect(
            configurationError(["packs": 3])
                == "option 'packs' of check 'promises' expects a string or a list of strings, found integer")
        #expect(
            configurationError(["categories": ["deadline", "prices"]])
                == "option 'categories' of check 'promises' expects one of 'deadline', 'price', 'guarantee', 'refund', 'compensation', 'fee_waiver', 'certainty', found 'prices'"
        )
        #expect(
            configurationError(["categories": []])
                == "option 'categories' of check 'promises' expects at least one category")
        #expect(
            configurationError(["allow": [" , "]])
                == "option 'allow' of check 'promises': allowed phrase ' , ' has no words")
        #expect(
            configurationError(["categoies": ["price"]])
                == #"unknown field "categoies" in check 'promises'; did you mean 'categories'?"#)
    }

    @Test func aMissingPackFileIsNamed() throws {
        #expect(
            configurationError(["packs": ["/nonexistent/acme.json"]])
                == "option 'packs' of check 'promises': cannot read promise pack '/nonexistent/acme.json': no such file"
        )
        let file = try TemporaryPack(Self.acmePack)
        defer { file.remove() }
        let directory = file.directory.path + "/"
        #expect(
            configurationError(["packs": [.string(directory)]])
                == "option 'packs' of check 'promises': cannot read promise pack '\(directory)': it is a directory"
        )
    }

    /// (pack file contents, what the error says after `invalid promise pack '<path>': `)
    static let badPacks: [(String, String)] = [
        ("{\"name\": \"acme\",\n  \"rules\": [}", "line 2, column 13: invalid JSON"),
        ("[]", "the pack: expected an object, found array"),
        (
            "{\"name\": \"acme\", \"rule\": []}",
            #"unknown field "rule"; did you mean 'rules'?"#
        ),
        ("{\"name\": \"acme\", \"format\": 2, \"rules\": []}", "format: this evalgate reads format 1, found 2"),
        ("{\"rules\": []}", "name: expected a non-empty string"),
        ("{\"name\": \"acme\", \"rules\": []}", "rules: expected a non-empty list of rules, found an empty list"),
        ("{\"name\": \"acme\"}", "rules: expected a non-empty list of rules, found nothing"),
        (
            #"{"name": "acme", "rules": [{"id": "price.x", "category": "price", "pattern": ["x"]}]}"#,
            #"unknown field "rules[0].pattern"; did you mean 'patterns'?"#
        ),
        (
            #"{"name": "acme", "rules": [{"id": "refund.x", "category": "refunds", "patterns": ["x"]}]}"#,
            "rules[0].category: expected one of 'deadline', 'price', 'guarantee', 'refund', 'compensation', 'fee_waiver', 'certainty', found 'refunds'; did you mean 'refund'?"
        ),
        (
            #"{"name": "acme", "rules": [{"id": "deadline.x", "category": "price", "patterns": ["x"]}]}"#,
            "rules[0].id: 'deadline.x' must start with its category 'price.'"
        ),
        (
            #"{"name": "acme", "rules": [{"id": "Price X", "category": "price", "patterns": ["x"]}]}"#,
            "rules[0].id: 'Price X' must be '<category>.<name>' in lowercase letters, digits and '_', e.g. 'price.within_period'"
        ),
        (
            #"{"name": "acme", "rules": [{"id": "price.x", "category": "price", "patterns": ["за @cout дня"]}]}"#,
            "rules[0].patterns[0] 'за @cout дня': unknown class '@cout'"
        ),
        (
            #"{"name": "acme", "rules": [{"id": "price.x", "category": "price", "patterns": ["вернем ~9 %"]}]}"#,
            "rules[0].patterns[0] 'вернем ~9 %': a gap is written '~N' with N from 1 to 8, found '~9'"
        ),
        (
            #"{"name": "acme", "rules": [{"id": "price.x", "category": "price", "patterns": ["@any рублей"]}]}"#,
            "rules[0].patterns[0] '@any рублей': a pattern cannot start with '@any'"
        ),
        (
            #"{"name": "acme", "rules": [{"id": "price.x", "category": "price", "patterns": ["д* рублей"]}]}"#,
            "rules[0].patterns[0] 'д* рублей': stem 'д*' is too short; a stem needs at least 2 letters"
        ),
        (
            #"{"name": "acme", "rules": [{"id": "price.x", "category": "price", "patterns": ["скидка~2"]}]}"#,
            "rules[0].patterns[0] 'скидка~2': 'скидка~2' mixes a word with pattern syntax"
        ),
        (
            #"{"name": "acme", "rules": [{"id": "price.x", "category": "price", "patterns": ["бесплатная доставка?  ~2"]}]}"#,
            "rules[0].patterns[0] 'бесплатная доставка?  ~2': a pattern cannot end with a gap"
        ),
        (
            #"{"name": "acme", "classes": {"a": ["@b"], "b": ["@a"]}, "rules": [{"id": "price.x", "category": "price", "patterns": ["@a"]}]}"#,
            "classes refer to each other in a cycle: @a -> @b -> @a"
        ),
        (
            #"{"name": "acme", "negators": [{"scope": "paragraph", "patterns": ["не"]}], "rules": [{"id": "price.x", "category": "price", "patterns": ["x"]}]}"#,
            "negators[0].scope: expected 'clause' or 'sentence', found 'paragraph'"
        ),
        (
            #"{"name": "acme", "contexts": [{"patterns": ["говорят"]}], "rules": [{"id": "price.x", "category": "price", "patterns": ["x"]}]}"#,
            "contexts[0].reason: expected a non-empty string (why a match here is not a promise)"
        ),
    ]

    @Test(arguments: badPacks)
    func aBadPackFileSaysWhereAndWhatIsWrong(_ contents: String, _ problem: String) throws {
        let file = try TemporaryPack(contents)
        defer { file.remove() }
        #expect(
            configurationError(["packs": [.string(file.path)]])
                == "option 'packs' of check 'promises': invalid promise pack '\(file.path)': \(problem)")
        #expect(throws: PromisePackError("invalid promise pack '\(file.path)': \(problem)")) {
            try PromisePack.load(path: file.path)
        }
    }

    @Test func unknownCategoryNamesAreErrorsInTheDetectorToo() {
        #expect(
            throws: PromisePackError(
                "unknown promise category 'dates'; categories are 'deadline', 'price', 'guarantee', 'refund', 'compensation', 'fee_waiver', 'certainty'"
            )
        ) {
            try PromiseDetector(packs: ["ru"], categories: ["dates"])
        }
    }
}
