import Foundation
import Testing

/// `evalgate import`: OpenAI Evals, promptfoo, Inspect and CSV become a valid suite; what cannot be mapped is listed
/// and kept in metadata, never dropped silently.
@Suite struct ImportCommandTests {
    static func folder(_ files: [String: String]) throws -> String {
        let folder = try InitCommandTests.emptyFolder()
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }
        return folder
    }

    static func cases(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func openAIEvalsAndInspectMapTheirTargetToAnIdealCheck() throws {
        let folder = try Self.folder([
            "evals.jsonl": """
            {"input": [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "2+2?"}], "ideal": "4"}
            {"input": "Capital of France?", "ideal": ["Paris", "Paris, France"], "source": "geo"}
            {"input": "Say hi", "ideal": {"odd": 1}}

            """,
            "inspect.jsonl": #"{"input": "Q1", "target": "A", "id": "x1", "metadata": {"k": 1}, "choices": ["A", "B"]}"#
                + "\n",
        ])
        let evals = try CLITests.run(["import", "openai-evals", "evals.jsonl", "--out", "EvalSets/evals"], in: folder)
        #expect(evals.status == 0, "\(evals.stderr)")
        let imported = try Self.cases(folder + "/EvalSets/evals/cases.jsonl")
        #expect(imported.count == 3)
        #expect((imported[0]["checks"] as? [[String: String]]) == [["type": "ideal", "match": "normalized"]])
        #expect((imported[0]["messages"] as? [[String: String]])?.count == 2)
        #expect(imported[1]["ideal"] as? [String] == ["Paris", "Paris, France"])
        #expect(
            (imported[1]["metadata"] as? [String: Any])?["source"] as? String == "geo",
            "an unknown field is kept in metadata")
        #expect(imported[2]["unchecked"] as? Bool == true, "a case with nothing to check is never counted as passed")
        #expect(
            ((imported[2]["metadata"] as? [String: Any])?["ideal"] as? [String: Int]) == ["odd": 1],
            "the unmappable ideal is kept")
        #expect(evals.stderr.contains(#"not imported: evals.jsonl:2: field "source" (kept in metadata)"#))
        #expect(
            evals.stderr.contains(
                "not imported: evals.jsonl:3: case 'case-3' has nothing to check; written as unchecked"))
        #expect(evals.stdout.contains("3 cases → EvalSets/evals (1 unchecked"))
        #expect(try CLITests.run(["validate", "EvalSets/evals"], in: folder).status == 0)

        let inspect = try CLITests.run(
            ["import", "inspect", "inspect.jsonl", "--out", "EvalSets/inspect", "--match", "exact"], in: folder)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let one = try #require(try Self.cases(folder + "/EvalSets/inspect/cases.jsonl").first)
        #expect(one["id"] as? String == "x1" && one["ideal"] as? String == "A")
        #expect((one["checks"] as? [[String: String]]) == [["type": "ideal", "match": "exact"]])
        #expect(inspect.stderr.contains(#"field "choices" (kept in metadata)"#))
    }

    @Test func promptfooVarsAndCommonAssertsBecomeChecksAndCodeAssertsAreListed() throws {
        let folder = try Self.folder([
            "promptfooconfig.yaml": """
            prompts: ["Answer the customer: {{question}}"]
            providers: [openai:gpt-4o-mini]
            defaultTest:
              assert: [{type: not-icontains, value: guarantee}]
            tests:
              - description: Refund question
                vars: {question: "Can I get a refund?"}
                assert:
                  - {type: icontains, value: refund}
                  - {type: javascript, value: "output.length < 500"}
              - vars: {question: "JSON please"}
                assert:
                  - {type: is-json}
                  - {type: regex, value: "\\\\d+"}
                  - {type: contains-any, value: [sure, certainly]}
                  - {type: contains-all, value: [1, 2]}
                  - {type: python, value: "len(output) < 5"}

            """
        ])
        let outcome = try CLITests.run(
            ["import", "promptfoo", "promptfooconfig.yaml", "--out", "EvalSets/pf"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let imported = try Self.cases(folder + "/EvalSets/pf/cases.jsonl")
        #expect(imported.map { $0["id"] as? String } == ["refund-question", "test-2"])
        #expect(imported[0]["prompt"] as? String == "Answer the customer: {{question}}")
        #expect(imported[0]["vars"] as? [String: String] == ["question": "Can I get a refund?"])
        #expect(
            (imported[0]["checks"] as? [[String: Any]])?.compactMap { $0["type"] as? String } == [
                "not-contains", "icontains",
            ])
        #expect(
            (imported[1]["checks"] as? [[String: Any]])?.compactMap { $0["type"] as? String } == [
                "not-contains", "json", "regex", "contains-any",
            ])
        for listed in [
            "tests[0]: assert[1] type 'javascript' (needs code or a model to judge)",
            "tests[1]: assert[3] type 'contains-all' (its value is not text or a list of text)",
            "tests[1]: assert[4] type 'python' (needs code or a model to judge)",
            "top-level 'providers' (targets go in evalgate.yaml)",
        ] {
            #expect(outcome.stderr.contains(listed), "not listed: \(listed)")
        }
        // The suite runs as imported: the template is filled from the vars.
        let validate = try CLITests.run(["validate", "EvalSets/pf"], in: folder)
        #expect(validate.status == 0, "\(validate.stderr)")
    }

    @Test func csvWithAColumnMapping() throws {
        let folder = try Self.folder([
            "data.csv":
                "qid,question,answer,category,notes\n1,\"What is 2+2?\",4,math,easy\n2,\"Say \"\"hi\"\", please\",hi,\"greet;chat\",\n"
        ])
        let outcome = try CLITests.run(
            [
                "import", "csv", "data.csv", "--out", "EvalSets/csv", "--map",
                "input=question,ideal=answer,id=qid,tags=category",
            ], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let imported = try Self.cases(folder + "/EvalSets/csv/cases.jsonl")
        #expect(imported.map { $0["prompt"] as? String } == ["What is 2+2?", #"Say "hi", please"#])
        #expect(imported[1]["tags"] as? [String] == ["greet", "chat"])
        #expect((imported[0]["metadata"] as? [String: Any])?["notes"] as? String == "easy")
        #expect(outcome.stderr.contains("columns notes are not mapped (kept in each case's metadata)"))
    }

    @Test(arguments: [
        (
            ["csv", "data.csv", "--map", "input=questoin"],
            "data.csv:1: --map input=questoin: no such column (columns: qid, question); did you mean 'question'?"
        ),
        (["csv", "data.csv", "--map", "inptu=question"], "did you mean 'input'?"),
        (["csv", "data.csv"], "csv needs --map input=COLUMN"),
        (["csv", "bad.csv", "--map", "input=question"], "bad.csv:2: a quoted field is not closed"),
        (["openai-evals", "bad.jsonl"], "bad.jsonl:2: expected \"input\""),
        (["promptfoo", "files.yaml"], "prompts: expected the prompt template as a string"),
        (["openai-evals", "missing.jsonl"], "missing.jsonl: cannot read the file"),
    ])
    func badInputIsAUsageErrorAndWritesNothing(arguments: [String], message: String) throws {
        let folder = try Self.folder([
            "data.csv": "qid,question\n1,hi\n", "bad.csv": "qid,question\n1,\"open\n",
            "bad.jsonl": "{\"input\": \"ok\", \"ideal\": \"x\"}\n{\"prompt\": \"no input\"}\n",
            "files.yaml": "prompts: [\"file://prompt.txt\"]\ntests: []\n",
        ])
        let outcome = try CLITests.run(["import"] + arguments + ["--out", "EvalSets/x"], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/EvalSets/x"))
    }
}
