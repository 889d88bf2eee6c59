public import EvalCore
import Foundation

extension RecordedAnswer {
    /// The answers stored in a run log, keyed by the prompts of the suites it ran, so that the endpoint can replay a
    /// model version exactly. Errors have no answer and are left out; repeats keep their order.
    ///
    /// - Parameter model: the model name to serve them under (default: the one in the log's manifest).
    /// - Returns: the answers, and how many results had no case in `suites` (their prompt is unknown).
    public static func fromRunLog(
        _ reader: RunLogReader,
        suites: [Suite],
        model: String? = nil
    ) throws(RunLogError) -> (answers: [RecordedAnswer], unmatched: Int) {
        var prompts: [String: [String: String]] = [:]
        for suite in suites {
            var bySuite: [String: String] = [:]
            for evalCase in suite.cases {
                bySuite[evalCase.id] = evalCase.messages.last { $0.role == "user" }?.text ?? ""
            }
            prompts[suite.name] = bySuite
        }
        let served = model ?? reader.manifest.target.model
        var found: [(ResultKey, RecordedAnswer)] = []
        var unmatched = 0
        try reader.forEach { line in
            guard case .result(let result) = line, let response = result.response else { return }
            guard let prompt = prompts[result.suite]?[result.caseID] else {
                unmatched += 1
                return
            }
            found.append(
                (
                    result.key,
                    RecordedAnswer(
                        model: served, lastUserText: prompt, content: response.content,
                        finishReason: response.finishReason ?? "stop", promptTokens: response.promptTokens,
                        completionTokens: response.completionTokens
                    )
                ))
        }
        return (found.sorted { $0.0 < $1.0 }.map(\.1), unmatched)
    }

    /// Reads answers written one per line (`{"model":…,"last_user_text":…,"content":…}`); every bad line is a
    /// located diagnostic.
    public static func load(path: String) -> (answers: [RecordedAnswer], diagnostics: [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return ([], [.error("cannot read the answers file", path: path)])
        }
        var answers: [RecordedAnswer] = []
        var diagnostics: [Diagnostic] = []
        let decoder = JSONDecoder()
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            do {
                answers.append(try decoder.decode(RecordedAnswer.self, from: Data(line)))
            } catch DecodingError.keyNotFound(let key, _) {
                diagnostics.append(
                    .error(
                        "missing field \"\(key.stringValue)\" (expected model, last_user_text and content)", path: path,
                        line: index + 1))
            } catch DecodingError.typeMismatch(_, let context) {
                diagnostics.append(
                    .error(
                        "field \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type",
                        path: path, line: index + 1))
            } catch {
                diagnostics.append(
                    .error("not a JSON object with model, last_user_text and content", path: path, line: index + 1))
            }
        }
        return (answers, diagnostics)
    }
}
