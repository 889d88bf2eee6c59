import EvalCore
import Testing

/// The one reader every configuration document is declared on: typed fields, ranges, names from a set, unknown keys
/// with one "did you mean", each problem located at its line and column (or at the file when it has no lines).
@Suite struct DocumentReaderTests {
    /// `"field" wants X, found Y`: a wording unlike any reader's, so that the tests see it is the caller's.
    static let wording = DocumentReader.Wording(
        mistyped: { field, expected, found in "\"\(field)\" wants \(expected), found \(found)" },
        outOfRange: { field, range, found in "\"\(field)\" must be \(range), found \(found)" })

    static let yaml = """
        name: demo
        count: 12
        ratio: 0.5
        flag: true
        tags: [a, b]
        mode: fast
        nested:
          limit: 3
          inner:
            deep: x
        """

    /// A reader of `yaml` (parsed with its lines) and the document's root mapping.
    static func reader(_ text: String = yaml, wording: DocumentReader.Wording = wording) throws -> (
        DocumentReader, [String: JSONValue]
    ) {
        let (parsed, syntax) = LocatedYAML.parse(text, path: "conf.yaml")
        #expect(syntax.isEmpty)
        let yaml = try #require(parsed)
        return (yaml.reader(wording: wording), try #require(yaml.root.objectValue))
    }

    static let known = ["name", "count", "ratio", "flag", "tags", "mode", "nested"]

    @Test("good input reads every type and reports nothing")
    func goodInput() throws {
        var (reader, root) = try Self.reader()
        #expect(reader.string(root["name"]!, at: ["name"], nonEmpty: true) == "demo")
        #expect(reader.int(root["count"]!, at: ["count"], in: 1...100, described: "between 1 and 100") == 12)
        #expect(reader.number(root["ratio"]!, at: ["ratio"], in: 0...1) == 0.5)
        #expect(reader.bool(root["flag"]!, at: ["flag"]) == true)
        #expect(reader.strings(root["tags"]!, at: ["tags"]) == ["a", "b"])
        #expect(reader.choice(root["mode"]!, at: ["mode"], of: ["fast", "slow"]) == "fast")
        let read = reader.object(root["nested"]!, at: ["nested"], known: ["limit", "inner"])
        let nested = try #require(read)
        #expect(reader.int(nested["limit"]!, at: ["nested", "limit"]) == 3)
        reader.unknownKeys(root, known: Self.known, at: .root)
        #expect(reader.diagnostics.isEmpty, "\(reader.diagnostics)")
        #expect(!reader.hasErrors && reader.firstError == nil)
    }

    @Test("a value of the wrong type is an error at its line and column, worded by the caller")
    func wrongType() throws {
        var (reader, root) = try Self.reader()
        #expect(reader.int(root["name"]!, at: ["name"]) == nil)
        #expect(reader.bool(root["count"]!, at: ["count"]) == nil)
        #expect(reader.string(root["tags"]!, at: ["tags"]) == nil)
        #expect(reader.object(root["flag"]!, at: ["flag"]) == nil)
        #expect(reader.strings(root["ratio"]!, at: ["ratio"], expected: "a list of tags").isEmpty)
        #expect(
            reader.diagnostics.map(\.description) == [
                #"conf.yaml:1:7: error: "name" wants an integer, found string"#,
                #"conf.yaml:2:8: error: "count" wants true or false, found integer"#,
                #"conf.yaml:5:7: error: "tags" wants a string, found array"#,
                #"conf.yaml:4:7: error: "flag" wants an object, found boolean"#,
                #"conf.yaml:3:8: error: "ratio" wants a list of tags, found number"#,
            ])
        #expect(reader.firstError == #""name" wants an integer, found string"#)
    }

    @Test("a number out of range names the range, or the expectation again when none is described")
    func outOfRange() throws {
        var (reader, root) = try Self.reader()
        #expect(reader.int(root["count"]!, at: ["count"], in: 1...10, described: "between 1 and 10") == nil)
        #expect(reader.number(root["ratio"]!, at: ["ratio"], expected: "a tenth at most", in: 0...0.1) == nil)
        // An empty string is not a non-empty one; 12 is in 1...100 and reads.
        #expect(reader.string(.string(""), at: ["name"], nonEmpty: true) == nil)
        #expect(reader.int(root["count"]!, at: ["count"], in: 1...100) == 12)
        #expect(
            reader.diagnostics.map(\.description) == [
                #"conf.yaml:2:8: error: "count" must be between 1 and 10, found 12"#,
                #"conf.yaml:3:8: error: "ratio" wants a tenth at most, found 0.5"#,
                #"conf.yaml:1:7: error: "name" wants a non-empty string, found string"#,
            ])
    }

    @Test("whole doubles count as integers only when allowed; NaN is outside every range")
    func numberEdges() throws {
        var (reader, _) = try Self.reader()
        #expect(reader.int(.double(3), at: ["n"]) == 3)
        #expect(reader.int(.double(3), at: ["n"], wholeDoubles: false) == nil)
        #expect(reader.int(.double(3.5), at: ["n"]) == nil)
        #expect(reader.number(.double(.nan), at: ["x"], in: 0...1, described: "between 0 and 1") == nil)
        #expect(reader.diagnostics.count == 3)
        #expect(reader.diagnostics.last?.message == #""x" must be between 0 and 1, found nan"#)
    }

    @Test("unknown keys: one wording, a suggestion only when one is close, a key not given preferred")
    func unknownKeys() throws {
        var (reader, _) = try Self.reader()
        let fields: [String: JSONValue] = ["nmae": .int(1), "zzzzzz": .int(2), "count": .int(3), "cuont": .int(4)]
        reader.unknownKeys(fields, known: Self.known, at: .root, in: "conf.yaml")
        #expect(
            reader.diagnostics.map(\.message) == [
                // "count" is given too: "cuont" is most likely a second one.
                #"unknown field "cuont" in conf.yaml; did you mean 'count'?"#,
                #"unknown field "nmae" in conf.yaml; did you mean 'name'?"#,
                #"unknown field "zzzzzz" in conf.yaml"#,
            ])
        #expect(reader.diagnostics.allSatisfy { $0.isError })
        // As close to "limit" as to "limits", but "limit" is given: the one not given is what was meant.
        var other = DocumentReader(file: "f", dialect: .plain, wording: Self.wording)
        other.unknownKeys(["limit": .int(1), "limitz": .int(2)], known: ["limit", "limits"], at: .root)
        #expect(other.diagnostics.map(\.message) == [#"unknown field "limitz"; did you mean 'limits'?"#])
    }

    @Test("an unknown key in a nested mapping is located at the key and named by its whole path")
    func nestedUnknownKey() throws {
        let text = "nested:\n  limit: 3\n  inner:\n    deap: x\n"
        var (reader, root) = try Self.reader(text)
        let read = reader.object(root["nested"]!, at: ["nested"], known: ["limit", "inner"])
        let nested = try #require(read)
        _ = reader.object(nested["inner"]!, at: ["nested", "inner"], known: ["deep"])
        #expect(
            reader.diagnostics.map(\.description) == [
                #"conf.yaml:4:5: error: unknown field "nested.inner.deap"; did you mean 'deep'?"#
            ])
    }

    @Test("unknown keys can be warnings, and the caller may suggest a key elsewhere")
    func unknownKeyWarningAndSuggestion() throws {
        var (reader, root) = try Self.reader("limit: 3\n")
        reader.unknownKeys(root, known: ["name"], at: .root, severity: .warning) { key in "nested.\(key)" }
        #expect(
            reader.diagnostics.map(\.description) == [
                #"conf.yaml:1:1: warning: unknown field "limit"; did you mean 'nested.limit'?"#
            ])
        #expect(!reader.hasErrors)
    }

    @Test("a name outside its set is refused with a did-you-mean, or the caller's synonym")
    func choice() throws {
        var (reader, _) = try Self.reader()
        #expect(reader.choice(.string("fsat"), at: ["mode"], of: ["fast", "slow"]) == nil)
        #expect(reader.choice(.string("quick"), at: ["mode"], of: ["fast", "slow"]) == nil)
        let synonym = reader.choice(.string("quick"), at: ["mode"], of: ["fast", "slow"], expected: "fast or slow") {
            $0 == "quick" ? "fast" : nil
        }
        #expect(synonym == nil)
        #expect(reader.choice(.int(1), at: ["mode"], of: ["fast", "slow"]) == nil)
        #expect(
            reader.diagnostics.map(\.message) == [
                #""mode" wants one of 'fast', 'slow', found 'fsat'; did you mean 'fast'?"#,
                #""mode" wants one of 'fast', 'slow', found 'quick'"#,
                #""mode" wants fast or slow, found 'quick'; did you mean 'fast'?"#,
                #""mode" wants one of 'fast', 'slow', found integer"#,
            ])
    }

    @Test("a missing required key is the caller's message, located at the mapping that lacks it")
    func missingRequiredKey() throws {
        var (reader, root) = try Self.reader()
        let read = reader.object(root["nested"]!, at: ["nested"])
        let nested = try #require(read)
        if nested["name"] == nil { reader.error(#"missing "nested.name""#, at: ["nested"]) }
        #expect(reader.diagnostics.map(\.description) == [#"conf.yaml:8:3: error: missing "nested.name""#])
    }

    @Test("dialects name types in JSON's, YAML's or JSONValue's words; values are shown when the wording says so")
    func dialectsAndShownValues() {
        let json = DocumentReader(file: "a.jsonl", dialect: .json, wording: Self.wording)
        let yaml = DocumentReader(file: "a.yaml", dialect: .yaml, wording: Self.wording)
        let plain = DocumentReader(file: "a.json", dialect: .plain, wording: Self.wording)
        #expect([json, yaml, plain].map { $0.typeName(.int(1)) } == ["number", "number", "integer"])
        #expect([json, yaml, plain].map { $0.typeName(.array([])) } == ["array", "list", "array"])
        #expect([json, yaml, plain].map { $0.typeName(.object([:])) } == ["object", "mapping", "object"])
        var showing = DocumentReader(
            file: "a.yaml", dialect: .yaml,
            wording: .init(showsValues: true) { field, expected, found in "\(field): \(expected) / \(found)" })
        _ = showing.bool(.string("yes"), at: ["flag"])
        _ = showing.int(.double(2.5), at: ["n"])
        // A container is named by its type even where scalars are shown.
        _ = showing.object(.int(5), at: ["section"])
        #expect(
            showing.diagnostics.map(\.message) == [
                "flag: true or false / 'yes'", "n: an integer / 2.5", "section: a mapping / number",
            ])
    }

    @Test("without lines a diagnostic names the file only; firstError reads and stops at the first problem")
    func unlocatedAndFirstError() {
        var reader = DocumentReader(file: "pack.json", dialect: .plain, wording: Self.wording)
        _ = reader.string(.int(1), at: ["rules", 0, "id"])
        #expect(
            reader.diagnostics.map(\.description) == [#"pack.json: error: "rules[0].id" wants a string, found integer"#]
        )
        let (value, error) = DocumentReader.firstError(wording: Self.wording) { reader in
            reader.int(.string("x"), at: ["a"]) ?? reader.int(.bool(true), at: ["b"]) ?? 7
        }
        #expect(value == 7)
        #expect(error == #""a" wants an integer, found string"#)
        let (good, none) = DocumentReader.firstError(wording: Self.wording) { $0.int(.int(4), at: ["a"]) }
        #expect(good == 4 && none == nil)
    }
}
