import EvalCore
import Foundation
import Scoring
import Testing

/// IFEval's reference data (../shared/conformance/ifeval, Apache-2.0): 541 prompts, GPT-4's answers, and the
/// reference checker's verdict on every instruction, strict and loose.
enum IFEvalConformance {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/conformance/ifeval")

    static var available: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("gpt4_reference_verdicts.jsonl").path)
    }

    struct DataError: Error, CustomStringConvertible {
        var description: String
    }

    static func rows(_ file: String) throws -> [JSONValue] {
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        var rows: [JSONValue] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            rows.append(try JSONValue.parse(String(line)))
        }
        return rows
    }

    static func string(_ row: JSONValue, _ key: String) throws -> String {
        guard let value = row[key]?.stringValue else { throw DataError(description: "no string '\(key)' in \(row)") }
        return value
    }

    static func array(_ row: JSONValue, _ key: String) throws -> [JSONValue] {
        guard let value = row[key]?.arrayValue else { throw DataError(description: "no array '\(key)' in \(row)") }
        return value
    }

    static func key(_ row: JSONValue) throws -> Int {
        guard let value = row["key"]?.intValue else { throw DataError(description: "no key in \(row)") }
        return Int(value)
    }

    struct Example {
        var key: Int
        var response: String
        var specs: [CheckSpec]
        var strict: [Bool]
        var loose: [Bool]
        var nondeterministic: Bool
    }

    static func examples() throws -> [Example] {
        var responses: [String: String] = [:]
        for row in try rows("input_response_data_gpt4_20231107_145030.jsonl") {
            responses[try string(row, "prompt")] = try string(row, "response")
        }
        var verdicts: [Int: JSONValue] = [:]
        for row in try rows("gpt4_reference_verdicts.jsonl") {
            verdicts[try key(row)] = row
        }
        var examples: [Example] = []
        for row in try rows("input_data.jsonl") {
            let key = try key(row)
            let prompt = try string(row, "prompt")
            guard let response = responses[prompt], let verdict = verdicts[key] else {
                throw DataError(description: "no response or verdict for key \(key)")
            }
            let ids = try array(row, "instruction_id_list").compactMap(\.stringValue)
            let kwargs = try array(row, "kwargs").compactMap(\.objectValue)
            var specs: [CheckSpec] = []
            for (id, options) in zip(ids, kwargs) {
                specs.append(
                    CheckSpec(type: IFEvalInstructions.checkType(id), options: options.filter { !$0.value.isNull }))
            }
            let strict = try array(verdict, "strict_follow_instruction_list").compactMap(\.boolValue)
            let loose = try array(verdict, "loose_follow_instruction_list").compactMap(\.boolValue)
            let nondeterministic = verdict["nondeterministic_in_reference"]?.boolValue ?? false
            examples.append(
                Example(
                    key: key, response: response, specs: specs, strict: strict, loose: loose,
                    nondeterministic: nondeterministic))
        }
        return examples
    }
}

/// Prompt-level and instruction-level counts of followed instructions.
struct IFEvalTotals: Equatable, CustomStringConvertible {
    var strictPrompts = 0
    var strictInstructions = 0
    var loosePrompts = 0
    var looseInstructions = 0

    mutating func add(strict: [Bool], loose: [Bool]) {
        if !strict.contains(false) { strictPrompts += 1 }
        if !loose.contains(false) { loosePrompts += 1 }
        strictInstructions += strict.filter { $0 }.count
        looseInstructions += loose.filter { $0 }.count
    }

    var description: String {
        "strict \(strictPrompts)/541 \(strictInstructions)/834, loose \(loosePrompts)/541 \(looseInstructions)/834"
    }
}

@Suite struct IFEvalConformanceTests {
    /// Verdicts on deterministic instructions that differ from the reference, with the reason: none. (Keys 1122
    /// and 1129 ask for the "letter" `#` and `!`, which the reference replaces by a random letter: any verdict is
    /// accepted there.)
    static let acceptedDisagreements: [String: String] = [:]

    @Test(
        "all 541 GPT-4 answers agree with the reference checker, strict and loose",
        .enabled(if: IFEvalConformance.available, "skipped: conformance data absent (../shared/conformance/ifeval)")
    )
    func agreesWithReference() throws {
        let examples = try IFEvalConformance.examples()
        #expect(examples.count == 541)
        var ours = IFEvalTotals()
        var reference = IFEvalTotals()
        var instructions = 0
        var disagreements: [String] = []
        for example in examples {
            let input = CheckInput(response: example.response)
            var strictVerdicts: [Bool] = []
            var looseVerdicts: [Bool] = []
            for (index, spec) in example.specs.enumerated() {
                var looseSpec = spec
                looseSpec.options["mode"] = "loose"
                let strict = try CheckRegistry.standard.make(spec).evaluate(input)
                let loose = try CheckRegistry.standard.make(looseSpec).evaluate(input)
                instructions += 1
                strictVerdicts.append(strict.passed)
                looseVerdicts.append(loose.passed)
                if !strict.passed && strict.findings.isEmpty {
                    disagreements.append("\(example.key) \(spec.type): failed without a finding")
                }
                let label = "\(example.key) \(spec.type)"
                if example.nondeterministic || Self.acceptedDisagreements[label] != nil { continue }
                if strict.passed != example.strict[index] {
                    disagreements.append(
                        "\(label) strict: ours \(strict.passed), reference \(example.strict[index]) \(strict.findings.map(\.message))"
                    )
                }
                if loose.passed != example.loose[index] {
                    disagreements.append(
                        "\(label) loose: ours \(loose.passed), reference \(example.loose[index]) \(loose.findings.map(\.message))"
                    )
                }
            }
            ours.add(strict: strictVerdicts, loose: looseVerdicts)
            reference.add(strict: example.strict, loose: example.loose)
        }
        #expect(
            disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.joined(separator: "\n"))")
        #expect(instructions == 834)
        // The reference's own totals (its verdict file), as the IFEval paper reports them for GPT-4.
        #expect(
            reference
                == IFEvalTotals(strictPrompts: 416, strictInstructions: 697, loosePrompts: 429, looseInstructions: 712))
        // Every deterministic verdict agrees, so the totals differ only at the two random keys, where these checks
        // count the character asked for:
        // - 1122 asks for at least 4 '#' and the answer has exactly 4 (#playboy #freedom #diversity
        //   #selfexpression): passed, where the reference's random letter failed it; the prompt's other
        //   instruction passes, so the prompt passes too: +1 prompt and +1 instruction, strict and loose;
        // - 1129 asks for at least 6 '!' and the answer has 10: passed, as the reference's random letter passed it
        //   strict but not loose: +1 prompt and +1 instruction, loose only.
        #expect(
            ours == IFEvalTotals(strictPrompts: 417, strictInstructions: 698, loosePrompts: 431, looseInstructions: 714)
        )
    }
}
