import EvalCore
import Foundation
import Testing

/// Loading suite folders: a clean suite, and every kind of bad input reported at its line and column in one pass.
@Suite("SuiteLoader")
struct EvalSetLoaderTests {
    // MARK: A clean suite

    @Test("a clean suite loads with its defaults applied to every case")
    func cleanSuite() throws {
        let result = EvalSetFixtures.load("good")
        #expect(result.diagnostics.isEmpty)
        let suite = try #require(result.suite)
        #expect(suite.name == "support-golden")
        #expect(suite.kind == .golden)
        #expect(suite.description == "Customer-support answers that must not regress.\n")
        #expect(suite.defaults.checks == [CheckSpec(type: "max_length", options: ["chars": 1200])])
        #expect(suite.defaults.params == ["temperature": 0, "max_tokens": 512])
        #expect(suite.defaults.tags == ["support", "ru"])
        #expect(suite.cases.map(\.id) == ["where-is-my-order", "refund-policy", "free-form", "multi-turn", "crlf"])
        // The empty line 2 is skipped, not counted, and later lines keep their own numbers.
        #expect(suite.cases.map(\.line) == [1, 3, 4, 5, 6])
        #expect(result.caseCount == 5)
        #expect(suite.contentHash.count == 64)
    }

    @Test("a prompt is one user message; a system string goes first")
    func promptAndSystem() throws {
        let suite = try #require(EvalSetFixtures.load("good").suite)
        #expect(suite.cases[0].messages == [.user("Где мой заказ?")])
        #expect(suite.cases[1].messages == [.system("Отвечай коротко."), .user("Как вернуть товар?")])
        let multiTurn = suite.cases[3]
        #expect(multiTurn.messages.map(\.role) == ["user", "assistant", "tool"])
        #expect(multiTurn.messages[1].content == nil)
        #expect(multiTurn.messages[1].toolCalls?.count == 1)
        #expect(multiTurn.messages[2].toolCallID == "c1")
    }

    @Test("default checks come first, then the case's own; inherit_checks false drops the defaults")
    func checkMerging() throws {
        let suite = try #require(EvalSetFixtures.load("good").suite)
        let byID = Dictionary(uniqueKeysWithValues: suite.cases.map { ($0.id, $0) })
        #expect(
            byID["where-is-my-order"]?.checks == [
                CheckSpec(type: "max_length", options: ["chars": 1200]),
                CheckSpec(type: "contains", options: ["value": "заказ"]),
            ])
        #expect(byID["refund-policy"]?.checks == [CheckSpec(type: "max_length", options: ["chars": 1200])])
        #expect(byID["free-form"]?.checks == [])
    }

    @Test("default params are merged under the case's own, which win; default tags go first")
    func paramsAndTags() throws {
        let suite = try #require(EvalSetFixtures.load("good").suite)
        let byID = Dictionary(uniqueKeysWithValues: suite.cases.map { ($0.id, $0) })
        #expect(byID["refund-policy"]?.params == ["temperature": 0.7, "max_tokens": 512])
        #expect(byID["free-form"]?.params == ["temperature": 0, "max_tokens": 512])
        #expect(byID["where-is-my-order"]?.tags == ["support", "ru", "orders"])
        #expect(byID["free-form"]?.tags == ["support", "ru"])
        #expect(byID["free-form"]?.metadata == ["author": "qa"])
    }

    @Test("ideal is a string or a list of every acceptable answer; `ideal` is the first")
    func ideals() throws {
        let suite = try #require(EvalSetFixtures.load("good").suite)
        #expect(suite.cases[1].ideal == "Оформите возврат в личном кабинете.")
        #expect(suite.cases[3].ideals == ["Shipped", "It has shipped"])
        #expect(suite.cases[3].ideal == "Shipped")
        #expect(suite.cases[0].ideal == nil)
    }

    // MARK: Bad cases, all in one pass

    @Test("every problem of cases.jsonl is reported at its line and column")
    func badCases() {
        let result = EvalSetFixtures.load("bad-cases")
        #expect(result.suite == nil)
        #expect(result.caseCount == 13)
        #expect(
            EvalSetFixtures.rendered(result) == [
                #"bad-cases/cases.jsonl:2:8: error: expected "id" to be a string, found number"#,
                #"bad-cases/cases.jsonl:3:1: error: missing "id"; every case needs a stable string id"#,
                #"bad-cases/cases.jsonl:4:8: error: duplicate id 'ok-1'; first used on line 1"#,
                #"bad-cases/cases.jsonl:5:42: error: unknown check type 'contians'; did you mean 'contains'?"#,
                #"bad-cases/cases.jsonl:6:47: error: option 'pattern' of check 'regex' is not a valid regular expression: '(unclosed'"#,
                // The column counts characters: "Привет, мир" is 11 of them, 20 bytes.
                #"bad-cases/cases.jsonl:7:56: error: invalid JSON"#,
                #"bad-cases/cases.jsonl:8:31: error: give one of "messages", "prompt" or "input", not "messages" and "prompt""#,
                #"bad-cases/cases.jsonl:9:39: error: expected "messages[0].role" to be one of 'system', 'developer', 'user', 'assistant', 'tool', found 'usr'; did you mean 'user'?"#,
                #"bad-cases/cases.jsonl:9:64: error: missing "messages[1].tool_call_id"; a tool message answers a tool call by its id"#,
                #"bad-cases/cases.jsonl:9:98: error: missing "messages[2].content"; only an assistant message with "tool_calls" may leave it out"#,
                #"bad-cases/cases.jsonl:10:33: warning: unknown field "idel" in a case; did you mean 'ideal'?"#,
                #"bad-cases/cases.jsonl:10:75: error: expected "params.temperature" to be a number, found string"#,
                #"bad-cases/cases.jsonl:10:82: error: "params.model" is set by evalgate (the target's model, the case's messages, the run's streaming); remove it"#,
                #"bad-cases/cases.jsonl:10:107: error: expected "tags" to be an array of strings, found string"#,
                #"bad-cases/cases.jsonl:11:1: error: expected a case object, found array"#,
                #"bad-cases/cases.jsonl:12:1: error: missing "messages" or "prompt"; a case needs the prompt to send"#,
                #"bad-cases/cases.jsonl:12:30: error: expected "ideal" to be a string or an array of strings, found number"#,
                #"bad-cases/cases.jsonl:13:49: error: missing "checks[0].type"; every check names its type"#,
                #"bad-cases/cases.jsonl:13:71: error: expected "checks[1]" to be an object, found string"#,
                #"bad-cases/cases.jsonl:13:102: error: expected "inherit_checks" to be true or false, found string"#,
            ])
        #expect(result.errorCount == 19)
        #expect(result.warningCount == 1)
    }

    @Test("every problem of suite.yaml is reported at its YAML line and column")
    func badSuite() {
        let result = EvalSetFixtures.load("bad-suite")
        #expect(result.suite == nil)
        #expect(
            EvalSetFixtures.rendered(result) == [
                "bad-suite/suite.yaml:1:7: error: invalid suite name 'bad suite'; use letters, digits, '.', '_' and '-' only",
                "bad-suite/suite.yaml:2:7: error: unknown suite kind 'goldne'; expected one of 'golden', 'eval', 'base', 'train-sample'; did you mean 'golden'?",
                #"bad-suite/suite.yaml:3:1: error: unknown field "descripton" in suite.yaml; did you mean 'description'?"#,
                "bad-suite/suite.yaml:6:7: error: unknown check type 'contians'; did you mean 'contains'?",
                #"bad-suite/suite.yaml:8:7: error: missing "defaults.checks[1].type"; every check names its type"#,
                #"bad-suite/suite.yaml:10:18: error: expected "defaults.params.temperature" to be a number, found string"#,
                #"bad-suite/suite.yaml:11:9: error: expected "defaults.tags" to be a list of strings, found string"#,
            ])
    }

    @Test("a YAML syntax error is located by Yams' mark; the cases are still checked")
    func yamlSyntax() {
        let result = EvalSetFixtures.load("yaml-syntax")
        #expect(result.suite == nil)
        #expect(
            EvalSetFixtures.rendered(result) == [
                "yaml-syntax/suite.yaml:5:1: error: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 3)"
            ])
        #expect(result.caseCount == 1)
    }

    @Test("a missing cases.jsonl is an error naming the file")
    func missingCases() {
        let result = EvalSetFixtures.load("missing-cases")
        #expect(result.suite == nil)
        #expect(
            EvalSetFixtures.rendered(result) == [
                "missing-cases/cases.jsonl: error: missing cases.jsonl; a suite folder holds suite.yaml and cases.jsonl"
            ])
    }

    @Test("a missing suite.yaml is an error, and the cases are still checked")
    func missingSuiteYAML() throws {
        let suite = try TemporarySuite(suiteYAML: nil as String?, cases: "{\"id\": 1, \"prompt\": \"x\"}\n")
        defer { suite.remove() }
        let result = suite.load()
        #expect(
            suite.rendered(result) == [
                "suite/suite.yaml: error: missing suite.yaml; a suite folder holds suite.yaml and cases.jsonl",
                #"suite/cases.jsonl:1:8: error: expected "id" to be a string, found number"#,
            ])
    }

    // MARK: Bytes

    @Test("a byte-order mark is an error naming the line, in either file")
    func byteOrderMark() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let suite = try TemporarySuite(
            suiteYAML: bom + Array("kind: eval\n".utf8),
            cases: bom + Array("{\"id\": \"a\", \"prompt\": \"x\"}\n".utf8)
        )
        defer { suite.remove() }
        let result = suite.load()
        #expect(
            suite.rendered(result) == [
                "suite/suite.yaml:1:1: error: byte-order mark (U+FEFF) at the start of the line; save the file as UTF-8 without a BOM",
                "suite/cases.jsonl:1:1: error: byte-order mark (U+FEFF) at the start of the line; save the file as UTF-8 without a BOM",
            ])
    }

    @Test("invalid UTF-8 is an error at the bad byte's column; the other lines are still read")
    func invalidUTF8() throws {
        let cases =
            Array("{\"id\": \"a\", \"prompt\": \"x\"}\n{\"id\": \"b\", \"prompt\": \"é".utf8) + [0xFF]
            + Array("\"}\n{\"id\": \"c\", \"prompt\": 3}\n".utf8)
        let yaml = Array("kind: eval\ndescription: ok\nname: ab".utf8) + [0xC3] + Array("\n".utf8)
        let suite = try TemporarySuite(suiteYAML: yaml, cases: cases)
        defer { suite.remove() }
        let result = suite.load()
        #expect(
            suite.rendered(result) == [
                "suite/suite.yaml:3:9: error: invalid UTF-8 (byte 0xC3); the file must be UTF-8",
                "suite/cases.jsonl:2:25: error: invalid UTF-8 (byte 0xFF); the file must be UTF-8",
                #"suite/cases.jsonl:3:23: error: expected "prompt" to be a string, found number"#,
            ])
    }

    @Test("a line over the size cap is an error; the cap is a parameter")
    func lineTooLong() throws {
        let long = "{\"id\": \"long\", \"prompt\": \"" + String(repeating: "x", count: 100) + "\"}"
        let suite = try TemporarySuite(cases: "{\"id\": \"short\", \"prompt\": \"x\"}\n" + long + "\n")
        defer { suite.remove() }
        let result = suite.load(maxLineBytes: 64)
        #expect(
            suite.rendered(result) == [
                "suite/cases.jsonl:2:1: error: line is \(long.utf8.count) bytes, over the limit of 64 bytes"
            ])
        #expect(suite.load().suite?.cases.count == 2)
        #expect(SuiteLoader.defaultMaxLineBytes == 1_048_576)
    }

    @Test("empty and blank lines are ignored, CRLF line ends are accepted")
    func blankLines() throws {
        let suite = try TemporarySuite(
            cases: "\n   \n{\"id\": \"a\", \"prompt\": \"x\"}\r\n\r\n\t\n{\"id\": \"b\", \"prompt\": \"y\"}")
        defer { suite.remove() }
        let result = suite.load()
        #expect(result.diagnostics.isEmpty)
        #expect(result.suite?.cases.map(\.line) == [3, 6])
        #expect(result.caseCount == 2)
    }

    @Test("an empty cases.jsonl is an error: a suite of no cases would pass having checked nothing")
    func noCases() throws {
        let suite = try TemporarySuite(cases: "\n")
        defer { suite.remove() }
        let result = suite.load()
        #expect(
            suite.rendered(result) == [
                "suite/cases.jsonl: error: no cases; each line of cases.jsonl is one case, and a suite without any would pass having checked nothing"
            ])
        #expect(result.suite == nil)
    }

    // MARK: JSON syntax

    @Test(
        "invalid JSON is located at the byte the parser stopped at, counted in characters",
        arguments: [
            (#"{"id": "a", "prompt": "x",}"#, "1:27: error: invalid JSON"),
            (#"{"id": "a", "prompt": "x"} extra"#, "1:28: error: invalid JSON: unexpected text after the JSON value"),
            (#"{"id": "a", "prompt": "日本語"#, "1:27: error: invalid JSON: unexpected end of JSON"),
            (#"{"id": 'a'}"#, "1:8: error: invalid JSON"),
        ]
    )
    func invalidJSON(line: String, expected: String) throws {
        let suite = try TemporarySuite(cases: line + "\n")
        defer { suite.remove() }
        #expect(suite.rendered(suite.load()) == ["suite/cases.jsonl:" + expected])
    }

    @Test(
        "what JSON allows but a case must not hold: a repeated key, an id that is not one short line, params out of range",
        arguments: [
            // The second "prompt" would be dropped without a word: the error points at it.
            (
                #"{"id": "a", "prompt": "x", "prompt": "y"}"#,
                "1:28: error: invalid JSON: duplicate key 'prompt' in an object"
            ),
            (
                #"{"id": "a", "prompt": "x", "params": {"seed": 1, "seed": 2}}"#,
                "1:50: error: invalid JSON: duplicate key 'seed' in an object"
            ),
            (
                #"{"id": "a\nb", "prompt": "x"}"#,
                #"1:8: error: expected "id" to be one line of printable text, found a control character (U+000A)"#
            ),
            (
                #"{"id": "a\u0000", "prompt": "x"}"#,
                #"1:8: error: expected "id" to be one line of printable text, found a control character (U+0000)"#
            ),
            (
                #"{"id": "\#(String(repeating: "й", count: 257))", "prompt": "x"}"#,
                #"1:8: error: expected "id" to be at most 256 characters, found 257"#
            ),
            (
                #"{"id": "a", "prompt": "x", "params": {"max_tokens": -5}}"#,
                #"1:53: error: expected "params.max_tokens" to be at least 1, found -5"#
            ),
            (
                #"{"id": "a", "prompt": "x", "params": {"n": 0}}"#,
                #"1:44: error: expected "params.n" to be at least 1, found 0"#
            ),
            (
                #"{"id": "a", "prompt": "x", "params": {"temperature": 2.5}}"#,
                #"1:54: error: expected "params.temperature" to be between 0 and 2, found 2.5"#
            ),
            (
                #"{"id": "a", "prompt": "x", "params": {"top_p": -0.1}}"#,
                #"1:48: error: expected "params.top_p" to be between 0 and 1, found -0.1"#
            ),
        ]
    )
    func caseRulesBeyondJSON(line: String, expected: String) throws {
        let suite = try TemporarySuite(cases: line + "\n")
        defer { suite.remove() }
        #expect(suite.rendered(suite.load()) == ["suite/cases.jsonl:" + expected])
    }

    @Test("an id of 256 characters, any script, and params at the ends of their ranges are accepted")
    func caseRulesAtTheirLimits() throws {
        let id = String(repeating: "й", count: 256)
        let suite = try TemporarySuite(
            cases: """
                {"id": "\(id)", "prompt": "x", "params": {"max_tokens": 1, "n": 1, "temperature": 0, "top_p": 1}}
                {"id": "case 2 — ünïcode", "prompt": "x", "params": {"temperature": 2, "top_p": 0, "seed": -3}}

                """)
        defer { suite.remove() }
        let result = suite.load()
        #expect(result.diagnostics.isEmpty, "\(suite.rendered(result))")
        #expect(result.suite?.cases.map(\.id) == [id, "case 2 — ünïcode"])
    }

    // MARK: Fields

    @Test(
        "mistyped and missing fields say what was expected and what was found",
        arguments: [
            (#"{"id": true, "prompt": "x"}"#, #"1:8: error: expected "id" to be a string, found boolean"#),
            (#"{"id": "", "prompt": "x"}"#, #"1:8: error: "id" is empty"#),
            (#"{"id": "a", "messages": []}"#, #"1:25: error: "messages" is empty"#),
            (
                #"{"id": "a", "messages": "hi"}"#,
                #"1:25: error: expected "messages" to be an array of messages, found string"#
            ),
            (
                #"{"id": "a", "messages": [{"content": "hi"}]}"#,
                #"1:26: error: missing "messages[0].role"; every message has a role"#
            ),
            (
                #"{"id": "a", "messages": [{"role": "user", "content": 5}]}"#,
                #"1:54: error: expected "messages[0].content" to be a string or an array of content parts, found number"#
            ),
            (
                #"{"id": "a", "messages": [{"role": "user", "content": [{"text": "hi"}]}]}"#,
                #"1:55: error: missing "messages[0].content[0].type"; every content part names its type"#
            ),
            (
                #"{"id": "a", "prompt": "x", "system": 1}"#,
                #"1:38: error: expected "system" to be a string, found number"#
            ),
            (
                #"{"id": "a", "prompt": "x", "params": {"max_tokens": 1.5}}"#,
                #"1:53: error: expected "params.max_tokens" to be a whole number, found number"#
            ),
            (
                #"{"id": "a", "prompt": "x", "params": {"stop": [1]}}"#,
                #"1:47: error: expected "params.stop" to be a string or an array of strings, found array"#
            ),
            (
                #"{"id": "a", "prompt": "x", "params": []}"#,
                #"1:38: error: expected "params" to be an object, found array"#
            ),
            (
                #"{"id": "a", "prompt": "x", "metadata": "note"}"#,
                #"1:40: error: expected "metadata" to be an object, found string"#
            ),
            (
                #"{"id": "a", "prompt": "x", "tags": ["a", 2]}"#,
                #"1:42: error: expected "tags[1]" to be a string, found number"#
            ),
            (#"{"id": "a", "prompt": "x", "ideal": []}"#, #"1:37: error: "ideal" is empty"#),
            (
                #"{"id": "a", "prompt": "x", "checks": {"type": "contains"}}"#,
                #"1:38: error: expected "checks" to be an array of checks, found object"#
            ),
            (
                #"{"id": "a", "prompt": "x", "checks": [{"type": "contains"}]}"#,
                "1:39: error: check 'contains' needs option 'value' (a string)"
            ),
            (
                #"{"id": "a", "prompt": "x", "checks": [{"type": 3}]}"#,
                #"1:48: error: expected "checks[0].type" to be a string, found number"#
            ),
            (
                #"{"id": "a", "input": 42}"#,
                #"1:22: error: expected "input" to be a string or an array of messages, found number"#
            ),
        ]
    )
    func fieldErrors(line: String, expected: String) throws {
        let suite = try TemporarySuite(cases: line + "\n")
        defer { suite.remove() }
        let result = suite.load()
        #expect(suite.rendered(result) == ["suite/cases.jsonl:" + expected])
        #expect(result.suite == nil)
    }

    @Test("unknown fields of suite.yaml are errors: what they say would be lost")
    func unknownSuiteFields() throws {
        let suite = try TemporarySuite(
            suiteYAML: "kind: eval\ndefaults:\n  param: {}\n  checks: [{type: contains_ideal}]\nowner: qa\n",
            cases: #"{"id": "a", "prompt": "x"}"# + "\n"
        )
        defer { suite.remove() }
        let result = suite.load()
        #expect(
            suite.rendered(result) == [
                #"suite/suite.yaml:3:3: error: unknown field "defaults.param" in "defaults"; did you mean 'params'?"#,
                #"suite/suite.yaml:5:1: error: unknown field "owner" in suite.yaml"#,
            ])
        #expect(result.suite == nil)
    }

    @Test(
        "a defaults key written at the top of suite.yaml is an error that says where it belongs",
        arguments: [
            ("checks: [{type: contains, value: x}]", "checks"),
            ("params: {max_tokens: 64}", "params"),
            ("tags: [a]", "tags"),
            ("system: Answer briefly.", "system"),
            ("check: [{type: contains, value: x}]", "checks"),
            ("parms: {max_tokens: 64}", "params"),
        ]
    )
    func topLevelDefaults(line: String, key: String) throws {
        let suite = try TemporarySuite(
            suiteYAML: "kind: eval\n\(line)\n",
            cases: #"{"id": "a", "prompt": "x", "checks": [{"type": "contains", "value": "x"}]}"# + "\n"
        )
        defer { suite.remove() }
        let result = suite.load()
        #expect(
            suite.rendered(result) == [
                "suite/suite.yaml:2:1: error: unknown field \"\(line.prefix { $0 != ":" })\" in suite.yaml; did you mean 'defaults.\(key)'?"
            ])
        #expect(result.suite == nil)
    }

    @Test("unknown fields of a case are warnings, with a suggestion when one is close; the suite still loads")
    func unknownFieldWarnings() throws {
        let suite = try TemporarySuite(
            cases: #"{"id": "a", "prompt": "x", "chekcs": [], "messages_note": "n", "zzz": 1}"# + "\n"
                + #"{"id": "b", "messages": [{"role": "user", "contnet": "x", "content": "y"}]}"# + "\n"
        )
        defer { suite.remove() }
        let result = suite.load()
        #expect(
            suite.rendered(result) == [
                #"suite/cases.jsonl:1:28: warning: unknown field "chekcs" in a case; did you mean 'checks'?"#,
                #"suite/cases.jsonl:1:42: warning: unknown field "messages_note" in a case"#,
                #"suite/cases.jsonl:1:64: warning: unknown field "zzz" in a case"#,
                // "content" is given too: "contnet" is most likely a second one, the one wording says so everywhere.
                #"suite/cases.jsonl:2:43: warning: unknown field "messages[0].contnet" in a message; did you mean 'content'?"#,
            ])
        #expect(result.suite?.cases.count == 2)
    }

    @Test("a duplicate id is reported at the second case, naming the first's line, however many repeat")
    func duplicateIDs() throws {
        let suite = try TemporarySuite(
            cases: """
                {"id": "a", "prompt": "1"}
                {"id": "b", "prompt": "2"}
                {"prompt": "3",   "id": "a"}
                {"id": "a", "prompt": "4"}
                """
        )
        defer { suite.remove() }
        #expect(
            suite.rendered(suite.load()) == [
                "suite/cases.jsonl:3:25: error: duplicate id 'a'; first used on line 1",
                "suite/cases.jsonl:4:8: error: duplicate id 'a'; first used on line 1",
            ])
    }

    // MARK: suite.yaml

    @Test(
        "suite.yaml problems are located at the YAML value",
        arguments: [
            (
                "name: x\n",
                "1:1: error: missing \"kind\"; a suite says what it is for: one of 'golden', 'eval', 'base', 'train-sample'"
            ),
            ("kind: [eval]\n", "1:7: error: expected \"kind\" to be a string, found list"),
            ("kind: 1\n", "1:7: error: expected \"kind\" to be a string, found number"),
            (
                "kind: evaluation\n",
                "1:7: error: unknown suite kind 'evaluation'; expected one of 'golden', 'eval', 'base', 'train-sample'"
            ),
            ("- kind: eval\n", "1:1: error: expected a mapping of suite fields, found list"),
            ("kind: eval\ndefaults: [1]\n", "2:11: error: expected \"defaults\" to be a mapping, found list"),
            (
                "kind: eval\ndefaults:\n  params:\n    temperature: .inf\n",
                "4:18: error: expected \"defaults.params.temperature\" to be a finite number"
            ),
            ("kind: eval\nkind: base\n", "1:1: error: duplicate key 'kind' in a mapping"),
            ("kind: eval\n  name: x\n", "2:7: error: invalid YAML: mapping values are not allowed in this context"),
            // Columns count characters: "👋🏽" is one character of two Unicode scalars (libyaml counts scalars).
            (
                "kind: eval\ndescription: [\"👋🏽\" \"x\"]\n",
                "2:19: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2)"
            ),
        ]
    )
    func suiteYAMLErrors(yaml: String, expected: String) throws {
        let suite = try TemporarySuite(suiteYAML: yaml, cases: #"{"id": "a", "prompt": "x"}"# + "\n")
        defer { suite.remove() }
        let result = suite.load()
        #expect(suite.rendered(result) == ["suite/suite.yaml:" + expected])
        #expect(result.suite == nil)
    }

    @Test("a suite without a name takes its folder's; YAML scalars keep their types")
    func suiteDefaultsFromYAML() throws {
        let suite = try TemporarySuite(
            name: "smoke-base",
            suiteYAML: """
                kind: base
                defaults:
                  params: {temperature: 1.0, top_p: 0.9, seed: 7, stop: ["\\n\\n"], response_format: {type: json_object}, logprobs: true, note: ~}
                  tags: [smoke, smoke, base]
                  checks: [{type: contains_ideal}]
                """,
            cases: #"{"id": "a", "prompt": "x", "params": {"seed": 8}}"# + "\n"
        )
        defer { suite.remove() }
        let loaded = try #require(suite.load().suite)
        #expect(loaded.name == "smoke-base")
        #expect(loaded.kind == .base)
        #expect(loaded.description == nil)
        #expect(
            loaded.defaults.params == [
                "temperature": 1, "top_p": 0.9, "seed": 7, "stop": ["\n\n"], "response_format": ["type": "json_object"],
                "logprobs": true, "note": nil,
            ])
        #expect(loaded.defaults.tags == ["smoke", "base"])
        #expect(loaded.cases[0].params["seed"] == 8)
        #expect(loaded.cases[0].params["top_p"] == 0.9)
    }

    @Test("an empty suite.yaml is an empty mapping: only the kind is missing")
    func emptySuiteYAML() throws {
        let suite = try TemporarySuite(suiteYAML: "# nothing yet\n", cases: #"{"id": "a", "prompt": "x"}"# + "\n")
        defer { suite.remove() }
        #expect(
            suite.rendered(suite.load()) == [
                "suite/suite.yaml:1:1: error: missing \"kind\"; a suite says what it is for: one of 'golden', 'eval', 'base', 'train-sample'"
            ])
    }

    @Test("each distinct check spec is validated once, however many cases use it")
    func checkValidationIsCached() throws {
        let line = #"{"id": "ID", "prompt": "x", "checks": [{"type": "contains", "value": "v"}, {"type": "nope"}]}"#
        let suite = try TemporarySuite(
            suiteYAML: "kind: eval\n",
            cases: (1...50).map { line.replacingOccurrences(of: "ID", with: "c\($0)") }.joined(separator: "\n")
        )
        defer { suite.remove() }
        var calls: [String] = []
        let result = SuiteLoader.load(directory: suite.directory) { spec in
            calls.append(spec.type)
            return TestChecks.problem(spec)
        }
        #expect(calls == ["contains", "nope"])
        #expect(result.errorCount == 50)
    }
}
