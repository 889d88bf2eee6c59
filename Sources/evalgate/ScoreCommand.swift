import ArgumentParser
import EvalCore
import Foundation
import Scoring

/// `evalgate score`: scores answers that already exist — another harness's output, a published model's answers —
/// against suites, without calling any model, and prints prompt-level and instruction-level accuracy, strict and
/// loose, as IFEval reports them.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract:
            "Score existing responses against suites without calling a model: prompt- and instruction-level accuracy.",
        discussion: """
            The responses file is JSONL: one object per line with "response" (the answer) and either "id" (a case \
            id) or "prompt" (matched exactly against the case's user message), e.g. IFEval's \
            input_response_data_*.jsonl. Every check of the case is applied. An instruction is one check; a prompt \
            is followed when all its checks pass. Loose accuracy judges each ifeval check in its loose mode (first \
            or last line dropped, '*' removed); other checks count the same in both.
            Bad lines are reported as 'path:line:column: error: message' and nothing is scored (exit 2). Cases \
            without a response are left out of the accuracy and named on standard error.
            """
    )

    @Option(name: .long, help: ArgumentHelp("A suite folder or a folder of suites (repeatable).", valueName: "path"))
    var suite: [String] = []

    @Option(name: .long, help: ArgumentHelp("The JSONL file of responses.", valueName: "file"))
    var responses: String

    @Option(name: .long, help: "Output: text or json.")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() throws {
        let suites = try SuitePaths.loadValid(suite)
        let answers = try readResponses(suites)
        guard !answers.isEmpty else {
            throw CLIError.usage(
                "\(responses): no responses to score (expected JSON lines with \"id\" or \"prompt\", and \"response\")"
            ).report()
        }
        let looseSuites = suites.map(Self.loose)
        let strictScorer: CaseScorer
        let looseScorer: CaseScorer
        do {
            strictScorer = try CaseScorer(suites: suites)
            looseScorer = try CaseScorer(suites: looseSuites)
        } catch {
            throw CLIError.usage(error.description).report()
        }
        // A judge check has no verdict without its judge's answers: scoring it here would report a failure that is not one.
        for suite in suites {
            if let judged = suite.cases.first(where: { !strictScorer.judgeChecks(of: $0).isEmpty }) {
                throw CLIError.usage(
                    "suite '\(suite.name)', case '\(judged.id)': a judge check needs a judge model's answers; score it with evalgate run (judges: in evalgate.yaml)"
                ).report()
            }
        }
        var tally = ScoreTally()
        for (suite, looseSuite) in zip(suites, looseSuites) {
            for (evalCase, looseCase) in zip(suite.cases, looseSuite.cases) {
                guard let response = answers[CaseKey(suite: suite.name, id: evalCase.id)] else {
                    tally.unanswered.append("\(suite.name)/\(evalCase.id)")
                    continue
                }
                tally.add(
                    strict: strictScorer.score(evalCase, response: response),
                    loose: looseScorer.score(looseCase, response: response))
            }
        }
        if !tally.unanswered.isEmpty {
            let shown = tally.unanswered.prefix(10).joined(separator: ", ")
            let more = tally.unanswered.count > 10 ? " and \(tally.unanswered.count - 10) more" : ""
            FileHandle.standardError.write(
                Data(
                    "evalgate: warning: \(tally.unanswered.count) case(s) have no response and are not scored: \(shown)\(more)\n"
                        .utf8))
        }
        switch format {
        case .text: print(tally.text(suites: suites.map(\.name), file: responses), terminator: "")
        case .json:
            print(
                String(decoding: tally.json(suites: suites.map(\.name), file: responses).canonicalData(), as: UTF8.self)
            )
        }
    }

    /// A suite whose ifeval checks are judged in loose mode.
    static func loose(_ suite: Suite) -> Suite {
        Suite(
            name: suite.name, kind: suite.kind, description: suite.description, defaults: suite.defaults,
            cases: suite.cases.map(loose), directory: suite.directory)
    }

    static func loose(_ evalCase: EvalCase) -> EvalCase {
        let checks = evalCase.checks.map { spec -> CheckSpec in
            guard IFEvalInstructions.isIFEval(spec.type) else { return spec }
            var loose = spec
            loose.options["mode"] = "loose"
            return loose
        }
        return EvalCase(
            id: evalCase.id, messages: evalCase.messages, tags: evalCase.tags, checks: checks,
            ideals: evalCase.ideals, params: evalCase.params, metadata: evalCase.metadata,
            facts: evalCase.facts, line: evalCase.line, format: evalCase.format)
    }

    struct CaseKey: Hashable {
        var suite: String
        var id: String
    }

    /// Reads every line, reporting each bad one; throws exit 2 when there was any.
    private func readResponses(_ suites: [Suite]) throws -> [CaseKey: String] {
        var byID: [String: [CaseKey]] = [:]
        var byPrompt: [String: [CaseKey]] = [:]
        for suite in suites {
            for evalCase in suite.cases {
                let key = CaseKey(suite: suite.name, id: evalCase.id)
                byID[evalCase.id, default: []].append(key)
                let prompt = evalCase.messages.filter { $0.role == "user" }.compactMap(\.content).joined(
                    separator: "\n")
                byPrompt[prompt, default: []].append(key)
            }
        }
        var answers: [CaseKey: String] = [:]
        var firstLine: [CaseKey: Int] = [:]
        var problems = 0
        func problem(_ line: Int, _ column: Int, _ message: String) {
            problems += 1
            FileHandle.standardError.write(Data("\(responses):\(line):\(column): error: \(message)\n".utf8))
        }
        do {
            try LineReader.forEachLine(in: responses) { lineNumber, line in
                guard let line else { return problem(lineNumber, 1, "invalid UTF-8 in this line") }
                if line.allSatisfy(\.isWhitespace) { return }
                let json: JSONValue
                do throws(JSONParseError) {
                    json = try JSONValue.parse(line.utf8)
                } catch {
                    let prefix = line.utf8.prefix(error.offset)
                    return problem(lineNumber, String(decoding: prefix, as: UTF8.self).count + 1, error.message)
                }
                guard json.objectValue != nil else {
                    return problem(lineNumber, 1, "expected a JSON object, found \(json.typeName)")
                }
                guard let responseValue = json["response"] else {
                    return problem(lineNumber, 1, "missing field \"response\"")
                }
                guard let response = responseValue.stringValue else {
                    return problem(
                        lineNumber, 1, "expected \"response\" to be a string, found \(responseValue.typeName)")
                }
                let keys: [CaseKey]
                if let idValue = json["id"] {
                    guard let id = idValue.stringValue else {
                        return problem(lineNumber, 1, "expected \"id\" to be a string, found \(idValue.typeName)")
                    }
                    guard let found = byID[id] else {
                        return problem(lineNumber, 1, "no case with id '\(id)' in the suites")
                    }
                    keys = found
                } else if let promptValue = json["prompt"] {
                    guard let prompt = promptValue.stringValue else {
                        return problem(
                            lineNumber, 1, "expected \"prompt\" to be a string, found \(promptValue.typeName)")
                    }
                    guard let found = byPrompt[prompt] else {
                        return problem(lineNumber, 1, "no case has this prompt: '\(Self.excerpt(prompt))'")
                    }
                    keys = found
                } else {
                    return problem(
                        lineNumber, 1, "missing field \"id\" or \"prompt\" (which case the response answers)")
                }
                guard keys.count == 1, let key = keys.first else {
                    let names = keys.map { "\($0.suite)/\($0.id)" }.joined(separator: ", ")
                    return problem(lineNumber, 1, "matches \(keys.count) cases (\(names)); give \"id\" to say which")
                }
                if let first = firstLine[key] {
                    return problem(
                        lineNumber, 1, "a second response for case '\(key.id)'; the first is on line \(first)")
                }
                firstLine[key] = lineNumber
                answers[key] = response
            }
        } catch {
            throw CLIError.usage("\(responses): \(LineReader.describe(error))").report()
        }
        if problems > 0 { throw ExitCode(2) }
        return answers
    }

    static func excerpt(_ text: String) -> String {
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return line.count > 60 ? String(line.prefix(60)) + "…" : line
    }
}

/// Counts of passed prompts and instructions, strict and loose, overall and per check type.
struct ScoreTally {
    struct Counts {
        var total = 0
        var strict = 0
        var loose = 0
    }

    var prompts = Counts()
    var instructions = Counts()
    var byType: [String: Counts] = [:]
    var unanswered: [String] = []

    mutating func add(strict: [CheckRecord], loose: [CheckRecord]) {
        prompts.total += 1
        if strict.allSatisfy(\.passed) { prompts.strict += 1 }
        if loose.allSatisfy(\.passed) { prompts.loose += 1 }
        for (strictRecord, looseRecord) in zip(strict, loose) {
            instructions.total += 1
            byType[strictRecord.type, default: Counts()].total += 1
            if strictRecord.passed {
                instructions.strict += 1
                byType[strictRecord.type, default: Counts()].strict += 1
            }
            if looseRecord.passed {
                instructions.loose += 1
                byType[strictRecord.type, default: Counts()].loose += 1
            }
        }
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "-" : String(format: "%.2f%%", Double(part) * 100 / Double(whole))
    }

    static func ratio(_ part: Int, _ whole: Int) -> String { "\(part)/\(whole) \(percent(part, whole))" }

    func text(suites: [String], file: String) -> String {
        func pad(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: max(0, width - text.count))
        }
        var lines = [
            "scored \(prompts.total) responses from \(file) against \(suites.joined(separator: ", "))",
            "",
            pad("", 19) + pad("strict", 22) + "loose",
            pad("prompt-level", 19) + pad(Self.ratio(prompts.strict, prompts.total), 22)
                + Self.ratio(prompts.loose, prompts.total),
            pad("instruction-level", 19) + pad(Self.ratio(instructions.strict, instructions.total), 22)
                + Self.ratio(instructions.loose, instructions.total),
            "",
            "per check type (passed/total):",
        ]
        let width = (byType.keys.map(\.count).max() ?? 0) + 2
        for type in byType.keys.sorted() {
            let counts = byType[type]!
            lines.append(
                "  " + pad(type, width) + pad("strict \(counts.strict)/\(counts.total)", 16)
                    + "loose \(counts.loose)/\(counts.total)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func json(suites: [String], file: String) -> JSONValue {
        func level(_ counts: Counts) -> JSONValue {
            func accuracy(_ passed: Int) -> JSONValue {
                .object([
                    "passed": .int(Int64(passed)), "total": .int(Int64(counts.total)),
                    "accuracy": .double(counts.total == 0 ? 0 : Double(passed) / Double(counts.total)),
                ])
            }
            return .object(["strict": accuracy(counts.strict), "loose": accuracy(counts.loose)])
        }
        return .object([
            "responses": .string(file),
            "suites": .array(suites.map(JSONValue.string)),
            "prompt_level": level(prompts),
            "instruction_level": level(instructions),
            "checks": .object(byType.mapValues(level)),
            "unanswered": .array(unanswered.map(JSONValue.string)),
        ])
    }
}
