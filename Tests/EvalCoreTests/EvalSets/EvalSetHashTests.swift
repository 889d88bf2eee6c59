import EvalCore
import Foundation
import Testing

/// SHA-256 against the standard's vectors, canonical JSON, and the suite and case hashes: stable across runs and
/// formatting, sensitive to every change of content.
@Suite("Content hashes")
struct EvalSetHashTests {
    @Test(
        "SHA-256 matches the FIPS 180-4 test vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ]
    )
    func sha256Vectors(message: String, digest: String) {
        #expect(SHA256.hex(Array(message.utf8)) == digest)
    }

    @Test("SHA-256 of a million 'a's, fed in uneven pieces, and of every length around a block boundary")
    func sha256Streaming() {
        var hasher = SHA256()
        var fed = 0
        var piece = 1
        while fed < 1_000_000 {
            let count = min(piece, 1_000_000 - fed)
            hasher.update(repeatElement(UInt8(ascii: "a"), count: count))
            fed += count
            piece = piece * 7 % 997 + 1
        }
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Lengths 55, 56 and 64 are where padding spills into a second block.
        #expect(
            SHA256.hex(repeatElement(UInt8(ascii: "a"), count: 55))
                == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(
            SHA256.hex(repeatElement(UInt8(ascii: "a"), count: 56))
                == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(
            SHA256.hex(repeatElement(UInt8(ascii: "a"), count: 64))
                == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test("a copied hasher goes on independently, and finalizing leaves a hasher as it was")
    func sha256ValueSemantics() {
        var first = SHA256()
        first.update(Array("ab".utf8))
        var second = first
        second.update(Array("c".utf8))
        #expect(first.finalizeHex() == SHA256.hex(Array("ab".utf8)))
        #expect(second.finalizeHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        first.update(Array("c".utf8))
        #expect(first.finalizeHex() == second.finalizeHex())
        #expect(
            SHA256.hex(digest: SHA256().finalize())
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("the streamed canonical hash is the hash of the canonical text, for values much larger than one block")
    func streamedCanonicalHash() {
        var generator = SplitMix64(seed: 7)
        let value: JSONValue = .array(
            (0..<3_000).map { index in
                [
                    "id": .string("case-\(index)"),
                    "prompt": .string(
                        String(repeating: "Привет \"мир\"\n\t", count: Int.random(in: 0...40, using: &generator))),
                    "n": .int(index), "x": .double(Double(index) / 7), "ok": .bool(index % 2 == 0), "none": nil,
                ]
            })
        let text = CanonicalJSON.bytes(value)
        #expect(text.count > 200_000)
        #expect(CanonicalJSON.sha256(value) == SHA256.hex(text))
        #expect(CanonicalJSON.sha256("short") == SHA256.hex(Array(#""short""#.utf8)))
    }

    /// Computed by the hand-written SHA-256 and canonical writer this code replaced (the demo's and a run's
    /// manifests before the change): a content hash recorded in a run log must never change with the implementation.
    @Test(
        "the content hashes of the shipped suites are what they were",
        arguments: [
            ("base-skills", "e83d512bc3d507c1fbf2da5bd4547f2e300bdf033b861d3aa3cf5ce5947018a1"),
            ("ifeval", "2d2d7691cce75da0668c2c1eab6c096a195c36c632fa874e2e282f0770536192"),
            ("support-en-eval", "796c5b74635e001d9fe80b7804b61a85d70fa6b8a3f8b68fb2208923d33cf33c"),
            ("support-ru-eval", "8eae783c412609b75e3c25878b80c1a42dbe666a0d6a8451088c569bfa511ac1"),
            ("support-ru-golden", "d285c983d9a2432bbbf973b2954413347ef22147af3304c2b05c2083404077e5"),
        ])
    func shippedSuiteHashes(name: String, hash: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("EvalSets/\(name)").path
        let eager = try #require(SuiteLoader.load(directory: folder, validateCheck: { _ in nil }).suite)
        #expect(eager.contentHash == hash)
        let lazy = try #require(SuiteLoader.loadLazily(directory: folder, validateCheck: { _ in nil }).suite)
        #expect(lazy.contentHash == hash)
    }

    @Test("canonical JSON sorts keys by UTF-8 bytes, escapes only what JSON requires, keeps non-ASCII as is")
    func canonicalJSON() {
        let value: JSONValue = [
            "b": [1, 2.5, -0.25, true, nil],
            "a": "quote \" backslash \\ newline \n tab \t bell \u{07} slash / Привет 👋",
            "B": ["z": 1, "é": 2, "e": 3],
        ]
        #expect(
            CanonicalJSON.string(value)
                == #"{"B":{"e":3,"z":1,"é":2},"a":"quote \" backslash \\ newline \n tab \t bell \u0007 slash / Привет 👋","b":[1,2.5,-0.25,true,null]}"#
        )
    }

    // MARK: Suite and case hashes

    static let suiteYAML = """
        name: hashing
        kind: eval
        defaults:
          checks:
            - type: max_length
              chars: 100
          params: {temperature: 0}
        """
    static let cases = """
        {"id": "a", "prompt": "Привет", "tags": ["x"]}
        {"id": "b", "messages": [{"role": "user", "content": "Hi"}], "ideal": "Hello", "params": {"seed": 1}}
        """

    static func load(suiteYAML: String = suiteYAML, cases: String = cases, folder: String = "suite") throws -> Suite {
        let suite = try TemporarySuite(name: folder, suiteYAML: suiteYAML, cases: cases)
        defer { suite.remove() }
        let result = suite.load()
        #expect(result.diagnostics == [])
        return try #require(result.suite)
    }

    @Test("the same files give the same hashes, loaded again or from another folder")
    func stable() throws {
        let first = try Self.load()
        let again = try Self.load(folder: "elsewhere")
        #expect(first.contentHash == again.contentHash)
        #expect(first.cases.map(\.contentHash) == again.cases.map(\.contentHash))
        #expect(first.contentHash.count == 64)
        #expect(first.cases.allSatisfy { $0.contentHash.count == 64 })
        #expect(first.contentHash != first.cases[0].contentHash)
    }

    @Test(
        "whitespace, key order, blank lines, CRLF, YAML style, \\u escapes and the description do not change the hash")
    func insensitiveToFormatting() throws {
        let reference = try Self.load()
        let reformatted = try Self.load(
            suiteYAML: """
                # comments and flow style are formatting too
                kind: "eval"
                defaults: {params: {temperature: 0.0}, checks: [{chars: 100, type: max_length}]}
                description: added later
                name: 'hashing'
                """,
            cases:
                "\r\n{ \"tags\":[\"x\"],\"prompt\" : \"\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442\",\"id\":\"a\" }\r\n\n"
                + "{\"params\": {\"seed\": 1.0}, \"ideal\": \"Hello\", \"messages\": [{\"content\": \"Hi\", \"role\": \"user\"}], \"id\": \"b\"}"
        )
        #expect(reformatted.contentHash == reference.contentHash)
        #expect(reformatted.cases.map(\.contentHash) == reference.cases.map(\.contentHash))
        // Only the line numbers moved.
        #expect(reformatted.cases.map(\.line) == [2, 4])
    }

    @Test(
        "any change of a case changes that case's hash and the suite's, and no other case's",
        arguments: [
            #"{"id": "a2", "prompt": "Привет", "tags": ["x"]}"#,
            #"{"id": "a", "prompt": "Привет!", "tags": ["x"]}"#,
            #"{"id": "a", "prompt": "Привет", "tags": ["y"]}"#,
            #"{"id": "a", "prompt": "Привет", "tags": ["x"], "system": "Be brief."}"#,
            #"{"id": "a", "prompt": "Привет", "tags": ["x"], "ideal": "Здравствуйте"}"#,
            #"{"id": "a", "prompt": "Привет", "tags": ["x"], "params": {"temperature": 0.5}}"#,
            #"{"id": "a", "prompt": "Привет", "tags": ["x"], "checks": [{"type": "contains", "value": "a"}]}"#,
            #"{"id": "a", "prompt": "Привет", "tags": ["x"], "inherit_checks": false, "checks": [{"type": "contains", "value": "x"}]}"#,
            #"{"id": "a", "prompt": "Привет", "tags": ["x"], "metadata": {"source": "ticket 12"}}"#,
            #"{"id": "a", "messages": [{"role": "developer", "content": "Привет"}], "tags": ["x"]}"#,
        ]
    )
    func sensitiveToCases(changedLine: String) throws {
        let reference = try Self.load()
        let lines = Self.cases.split(separator: "\n").map(String.init)
        let changed = try Self.load(cases: ([changedLine] + lines.dropFirst()).joined(separator: "\n"))
        #expect(changed.contentHash != reference.contentHash)
        #expect(changed.cases[0].contentHash != reference.cases[0].contentHash)
        #expect(changed.cases[1].contentHash == reference.cases[1].contentHash)
    }

    @Test("case order is part of the suite's hash but not of the cases'")
    func sensitiveToOrder() throws {
        let reference = try Self.load()
        let lines = Self.cases.split(separator: "\n").map(String.init)
        let swapped = try Self.load(cases: lines.reversed().joined(separator: "\n"))
        #expect(swapped.contentHash != reference.contentHash)
        #expect(Set(swapped.cases.map(\.contentHash)) == Set(reference.cases.map(\.contentHash)))
    }

    @Test(
        "a change of the name, kind or defaults changes the suite's hash",
        arguments: [
            ("name: hashing", "name: hashing-2"),
            ("kind: eval", "kind: golden"),
            ("chars: 100", "chars: 101"),
            ("{temperature: 0}", "{temperature: 0.1}"),
            ("{temperature: 0}", "{temperature: 0}\n  tags: [t]"),
        ]
    )
    func sensitiveToSuite(original: String, replacement: String) throws {
        let reference = try Self.load()
        let changed = try Self.load(suiteYAML: Self.suiteYAML.replacingOccurrences(of: original, with: replacement))
        #expect(changed.contentHash != reference.contentHash)
    }

    @Test("a default that reaches a case changes that case's hash: the hash covers what the case will run with")
    func defaultsReachCaseHashes() throws {
        let reference = try Self.load()
        let changed = try Self.load(
            suiteYAML: Self.suiteYAML.replacingOccurrences(of: "chars: 100", with: "chars: 200"))
        #expect(zip(changed.cases, reference.cases).allSatisfy { $0.contentHash != $1.contentHash })
    }

    @Test("the hash of a known suite is pinned, so a change of the canonical form is noticed and made on purpose")
    func pinned() throws {
        let evalCase = EvalCase(
            id: "a", messages: [.user("hi")], tags: ["t"],
            checks: [CheckSpec(type: "contains", options: ["value": "h"])])
        #expect(
            CanonicalJSON.string(evalCase.canonicalJSON)
                == #"{"checks":[{"type":"contains","value":"h"}],"id":"a","ideals":[],"messages":[{"content":"hi","role":"user"}],"metadata":{},"params":{},"tags":["t"]}"#
        )
        #expect(evalCase.contentHash == SHA256.hex(CanonicalJSON.bytes(evalCase.canonicalJSON)))
        let suite = Suite(name: "s", kind: .eval, cases: [evalCase], directory: "anywhere")
        let canonical =
            #"{"cases":["\#(evalCase.contentHash)"],"defaults":{"checks":[],"params":{},"tags":[]},"format":1,"kind":"eval","name":"s"}"#
        #expect(suite.contentHash == SHA256.hex(Array(canonical.utf8)))
    }
}
