import EvalCore
import Foundation
import Testing

@testable import Reporting

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Spans placed as line:column, excerpts of the answer around a finding, and what every format does with them:
/// secrets and personal data masked in each excerpt, JUnit's `<system-out>` a well-formed CDATA section whatever the
/// answer holds, colour only when asked for.
@Suite("Excerpts: line:column, the answer around a finding, masked in every format")
struct ExcerptTests {
    // MARK: positions

    @Test("line:column from 1, columns in characters, lines broken by LF, CRLF and CR")
    func positions() throws {
        func at(_ answer: String, _ needle: String) throws -> String {
            let range = try #require(answer.range(of: needle))
            return try #require(TextPosition(TextSpan(range, in: answer), in: answer)).description
        }
        #expect(try at("abc", "a") == "1:1")
        #expect(try at("abc", "c") == "1:3")
        #expect(try at("ab\ncd", "d") == "2:2")
        #expect(try at("ab\r\ncd", "c") == "2:1", "CRLF is one break")
        #expect(try at("ab\rcd\n\nx", "x") == "4:1")
        // A letter with a combining accent and an emoji are one column each; Cyrillic letters take two bytes.
        #expect(try at("e\u{301}👍🏽 ok", "ok") == "1:4")
        #expect(try at("Мы вернём за 3 дня", "за") == "1:11")
        // A span that does not fit the answer, or starts inside a character's bytes, has no position.
        #expect(TextPosition(TextSpan(start: 1, end: 2), in: "Мы") == nil)
        #expect(
            TextPosition(TextSpan(start: 0, end: 99), in: "Мы") != nil,
            "the start is placed even when the end runs over")
        #expect(TextPosition(TextSpan(start: 9, end: 10), in: "Мы") == nil)
    }

    // MARK: excerpts

    @Test(
        "an excerpt keeps the text around the span, says where it was cut, and shows the start for a finding without one"
    )
    func windows() throws {
        let answer = String(repeating: "a", count: 100) + "MATCH" + String(repeating: "b", count: 100)
        let span = TextSpan(try #require(answer.range(of: "MATCH")), in: answer)
        let excerpt = try #require(Excerpt(around: span, in: answer))
        #expect(excerpt.before == String(repeating: "a", count: Excerpt.context))
        #expect(excerpt.match == "MATCH")
        #expect(excerpt.after == String(repeating: "b", count: Excerpt.context))
        #expect(excerpt.cutBefore && excerpt.cutAfter)
        #expect(excerpt.line() == "…" + excerpt.before + "⟦MATCH⟧" + excerpt.after + "…")

        let start = try #require(Excerpt(around: nil, in: answer))
        #expect(start.before.isEmpty && start.match.isEmpty && !start.cutBefore && start.cutAfter)
        #expect(start.after == String(answer.prefix(2 * Excerpt.context)))
        #expect(
            Excerpt(around: TextSpan(start: 1, end: 3), in: "Мы") != nil, "a span inside a character's bytes: the start"
        )
        #expect(Excerpt(around: nil, in: "") == nil)

        // A long match is cut, and says so.
        let long = String(repeating: "x", count: 300)
        let cut = try #require(Excerpt(around: TextSpan(start: 0, end: 300), in: long))
        #expect(
            cut.match == String(repeating: "x", count: Excerpt.maximumMatch) + "…" && cut.after.isEmpty && cut.cutAfter)

        // Line breaks show as ⏎ and control characters (a terminal escape) are dropped from the line.
        let flat = try #require(Excerpt(around: nil, in: "one\ntwo\r\nthree\u{1B}[31m"))
        #expect(flat.line() == "one⏎two⏎three[31m")
    }

    @Test("a window never cuts a secret in two, and a span edge inside personal data takes it whole")
    func sensitivePieces() throws {
        let secret = "sk-proj-" + String(repeating: "k", count: 40)
        let answer = "Ваш ключ " + secret + " и ещё немного текста, а потом обещание: вернём за 3 дня."
        let span = TextSpan(try #require(answer.range(of: "за 3 дня")), in: answer)
        let pieces = [SensitiveText(text: secret, isSecret: true)]
        let excerpt = try #require(Excerpt(around: span, in: answer, sensitive: pieces))
        // 60 characters before the promise end inside the key: the window starts after it instead.
        #expect(!excerpt.before.contains("sk-proj"), "\(excerpt.before)")
        #expect(!excerpt.before.contains("kkkk"), "no part of the key: \(excerpt.before)")

        // A span that starts inside a phone number widens to the whole number, so masking hides it.
        let phone = "+79161234567"
        let withPhone = "Звоните " + phone + " завтра"
        let inside = TextSpan(start: ("Звоните +7916".utf8.count), end: ("Звоните +79161234567 зав".utf8.count))
        let widened = try #require(
            Excerpt(around: inside, in: withPhone, sensitive: [SensitiveText(text: phone, isSecret: false)]))
        #expect(widened.match.hasPrefix(phone) && !widened.before.contains("+7"))
    }

    // MARK: masking in every format

    static let secret = "sk-proj-" + String(repeating: "Z", count: 40)
    static let phone = "+79161234567"

    /// A candidate run whose answer to `g2` holds a secret and a phone number flagged by `pii`, a promise right after
    /// them (its excerpt reaches back over both) and a `format.language` finding without a span (its excerpt is the
    /// answer's start, with both in it); the baseline passes. The answer also tries to end a CDATA section and holds
    /// control characters.
    static func logs() throws -> (base: RunIndex, candidate: RunIndex) {
        let answer = "Ключ \(secret), телефон \(phone). Вернём за 3 дня ]]> \u{1}\u{7}конец.\nВторая строка."
        func span(_ text: String) -> TextSpan { TextSpan(answer.range(of: text)!, in: answer) }
        let findings = [
            CheckRecord(
                type: "pii", passed: false,
                findings: [
                    Finding(
                        ruleID: "pii.secret.openai", message: "discloses a secret (OpenAI API key) '\(secret)'",
                        span: span(secret), text: secret),
                    Finding(
                        ruleID: "pii.phone", message: "discloses a phone number '\(phone)'", span: span(phone),
                        text: phone),
                ]),
            CheckRecord(
                type: "promises", passed: false,
                findings: [
                    Finding(
                        ruleID: "promise.deadline.within_period", message: "promises a deadline 'за 3 дня'",
                        span: span("за 3 дня"), text: "за 3 дня")
                ]),
            CheckRecord(
                type: "language", passed: false,
                findings: [
                    Finding(
                        ruleID: "format.language",
                        message: "only 40% of the letters are Cyrillic, expected at least 80%")
                ]),
        ]
        let candidate = Fixtures.results("v2").map { result -> CaseResult in
            guard result.caseID == "g2", var response = result.response else { return result }
            var result = result
            response.content = answer
            result.response = response
            result.checks = findings
            return result
        }
        let directory = Fixtures.temporaryDirectory()
        return (
            try RunIndex.load(path: Fixtures.write("v1", in: directory)),
            try RunIndex.load(path: Fixtures.write("v2", results: candidate, in: directory))
        )
    }

    @Test("a secret in an answer reaches no format, personal data none unless asked for", arguments: [false, true])
    func noSecretAnywhere(showPII: Bool) throws {
        let (base, candidate) = try Self.logs()
        let summary = RunSummary.make(candidate, options: ReportOptions(showPII: showPII))
        let diff = try RunDiff.make(base: base, candidate: candidate, options: DiffOptions(showPII: showPII))
        let gate = Gate.evaluate(diff)
        let html = HTMLRenderer(showPII: showPII)
        let keys = html.listedKeys(diff)
        let reportKeys = html.listedKeys(summary)
        let outputs = [
            ("report.md", MarkdownRenderer().render(summary)),
            ("report.json", JSONRenderer().render(summary)),
            ("report.xml", JUnitRenderer(showPII: showPII).render(summary)),
            ("report.txt", TextRenderer().render(summary)),
            (
                "report.html",
                html.render(summary, answers: try Transcripts.load(path: candidate.path, keys: reportKeys))
            ),
            ("diff.md", MarkdownRenderer().render(diff)),
            ("diff.json", JSONRenderer().render(diff)),
            ("diff.xml", JUnitRenderer(showPII: showPII).render(diff, gate: gate)),
            ("diff.txt", TextRenderer(color: true).render(gate, diff: diff)),
            ("gate.md", MarkdownRenderer().render(gate, diff: diff)),
            ("gate.json", JSONRenderer().render(GateReport(gate: gate, diff: diff))),
            (
                "diff.html",
                html.render(
                    diff, base: try Transcripts.load(path: base.path, keys: keys),
                    candidate: try Transcripts.load(path: candidate.path, keys: keys),
                    gate: gate)
            ),
        ]
        for (name, text) in outputs {
            #expect(!text.contains("ZZZZ"), "\(name) shows part of the secret")
            #expect(
                text.contains(showPII ? Self.phone : "+7••••••••67"),
                "\(name) shows the phone number \(showPII ? "unmasked" : "masked")")
            if !showPII { #expect(!text.contains("9161234"), "\(name) shows part of the phone number") }
        }
        // The excerpts are there: the promise quoted with the answer before it, the start of the answer once.
        let markdown = outputs[0].1
        #expect(markdown.contains("<b>за 3 дня</b>"))
        #expect(markdown.contains("`за 3 дня` at 1:"))
    }

    // MARK: JUnit

    @Test("JUnit's system-out is CDATA that no answer can end early, without characters XML cannot hold")
    func junitCDATA() throws {
        let (_, candidate) = try Self.logs()
        let xml = JUnitRenderer().render(RunSummary.make(candidate))
        let data = Data(xml.utf8)
        let collector = SystemOutCollector()
        let parser = XMLParser(data: data)
        parser.delegate = collector
        #expect(parser.parse(), "the document parses: \(String(describing: parser.parserError))")
        let out = try #require(collector.systemOut.first { $0.contains("за 3 дня") })
        // "]]>" from the answer survives as text; the control characters are gone.
        #expect(out.contains("]]>"))
        #expect(!out.contains("\u{1}") && !out.contains("\u{7}"))
        #expect(out.contains("⟦за 3 дня⟧"))
        #expect(out.contains("answer at 1:"))
        #expect(out.contains("answer begins: Ключ sk-p••••••••"), "\(out)")
        #expect(XML.cdata("a]]>b\u{0}]]>") == "<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]>")
    }

    @Test("the prompt's last user message is shown beside the answer, masked and cut")
    func junitPrompt() throws {
        let (_, candidate) = try Self.logs()
        let summary = RunSummary.make(candidate)
        let renderer = JUnitRenderer()
        let keys = renderer.failedKeys(candidate.cases)
        #expect(keys.contains(CaseKey(suite: "support-golden", caseID: "g2")))
        #expect(!keys.contains(CaseKey(suite: "support-golden", caseID: "g1")))
        let long = "Мой номер \(Self.phone). " + String(repeating: "слово ", count: 200)
        let out = renderer.systemOut(
            prompt: [.system("Ты — поддержка."), .user("первый"), .assistant("ответ"), .user(long)],
            evidence: summary.failed.first { $0.caseID == "g2" }!.evidence)
        let line = try #require(out.split(separator: "\n").first)
        #expect(line.hasPrefix("prompt (last user message): Мой номер +7••••••••67. слово"))
        #expect(line.hasSuffix("…") && line.count < JUnitRenderer.maximumPrompt + 40)
    }

    // MARK: the terminal summary

    @Test("colour only when asked for; a terminal asks unless NO_COLOR or TERM=dumb; model text cannot send escapes")
    func colour() throws {
        let (base, candidate) = try Self.logs()
        let diff = try RunDiff.make(base: base, candidate: candidate)
        let plain = TextRenderer().render(diff)
        let coloured = TextRenderer(color: true).render(diff)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}[31m3 regressed\u{1B}[0m"), "\(coloured)")
        #expect(coloured.contains("\u{1B}[7m⟦за 3 дня⟧\u{1B}[0m"))
        #expect(coloured.replacingOccurrences(of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression) == plain)

        // A pseudo-terminal is a terminal; a pipe is not.
        // (Glibc's module does not export the pseudo-terminal calls: they are looked up in the C library.)
        let libc = try #require(dlopen(nil, RTLD_NOW))
        defer { dlclose(libc) }
        typealias OpenPT = @convention(c) (Int32) -> Int32
        typealias PTSName = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        func symbol<T>(_ name: String, _ type: T.Type) throws -> T {
            unsafeBitCast(try #require(dlsym(libc, name)), to: type)
        }
        let (openPT, grantPT, unlockPT) = (
            try symbol("posix_openpt", OpenPT.self), try symbol("grantpt", OpenPT.self),
            try symbol("unlockpt", OpenPT.self)
        )
        let master = openPT(O_RDWR | O_NOCTTY)
        try #require(master >= 0 && grantPT(master) == 0 && unlockPT(master) == 0)
        defer { close(master) }
        let name = try symbol("ptsname", PTSName.self)(master)
        let terminal = open(String(cString: try #require(name)), O_RDWR | O_NOCTTY)
        try #require(terminal >= 0)
        defer { close(terminal) }
        #expect(TextRenderer.wantsColor(fileDescriptor: terminal, environment: ["TERM": "xterm"]))
        #expect(!TextRenderer.wantsColor(fileDescriptor: terminal, environment: ["TERM": "xterm", "NO_COLOR": ""]))
        #expect(!TextRenderer.wantsColor(fileDescriptor: terminal, environment: ["NO_COLOR": "1"]))
        #expect(!TextRenderer.wantsColor(fileDescriptor: terminal, environment: ["TERM": "dumb"]))
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer {
            close(fds[0])
            close(fds[1])
        }
        #expect(!TextRenderer.wantsColor(fileDescriptor: fds[1], environment: [:]))
    }

    @Test("model text with a terminal escape reaches the summary without it, in the gate's reasons too")
    func noEscapes() throws {
        let answer = "Вернём за 3 дня\u{1B}[2J\u{1B}]0;owned\u{7} точно."
        let text = "за 3 дня\u{1B}[2J"
        let finding = Finding(
            ruleID: "promise.deadline.within_period", message: "promises a deadline '\(text)'",
            span: TextSpan(answer.range(of: text)!, in: answer),
            text: text)
        let candidate = Fixtures.results("v2").map { result -> CaseResult in
            guard result.caseID == "g2", var response = result.response else { return result }
            var result = result
            response.content = answer
            result.response = response
            result.checks = [CheckRecord(type: "promises", passed: false, findings: [finding])]
            return result
        }
        let directory = Fixtures.temporaryDirectory()
        let diff = try RunDiff.make(
            base: try RunIndex.load(path: Fixtures.write("v1", in: directory)),
            candidate: try RunIndex.load(path: Fixtures.write("v2", results: candidate, in: directory)))
        let gate = Gate.evaluate(diff)
        #expect(gate.text().contains("\u{1B}"), "the reasons quote the finding's text")
        let summary = TextRenderer().render(gate, diff: diff)
        #expect(!summary.contains("\u{1B}") && !summary.contains("\u{7}"))
        #expect(summary.contains("⟦за 3 дня[2J⟧]0;owned точно."), "\(summary)")
    }

    @Test("golden cases are all listed, the others up to the limit, with a count of the rest")
    func textCut() throws {
        let summary = RunSummary.make(try Fixtures.index("v2"))
        let text = TextRenderer(maxCases: 1).render(summary)
        #expect(text.contains("support-golden/g2") && text.contains("support-golden/g3"))
        #expect(text.contains("base-skills/b2") && !text.contains("support-eval/e6"))
        #expect(text.contains("… and 1 more (none golden)"))
    }
}

/// Collects the text of every `<system-out>`.
final class SystemOutCollector: NSObject, XMLParserDelegate {
    var systemOut: [String] = []
    private var current: String?

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        if name == "system-out" { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current? += string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        current? += String(decoding: block, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "system-out", let text = current {
            systemOut.append(text)
            current = nil
        }
    }
}
