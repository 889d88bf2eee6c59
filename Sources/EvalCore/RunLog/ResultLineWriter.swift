/// A result line of a run log, written by hand with `JSONWriter`: byte for byte what `JSONEncoder` (keys sorted,
/// slashes not escaped) writes for `RunLogLine.result`, at a fraction of its cost. A run appends one such line per
/// answer; `ResultLineWriterTests` compares the two writers on varied results.
///
/// The fields of each record are written in the sorted order of their keys, and an optional field is left out when
/// nil, as the synthesised `Codable` conformances do. Nil when a number is not finite: `JSONEncoder` throws there,
/// and `RunLog.encode` keeps its behaviour for that case.
enum ResultLineWriter {
    static func bytes(_ result: CaseResult) -> [UInt8]? {
        var out = JSONWriter(numbers: .foundation, capacity: 512 + (result.response?.content.utf8.count ?? 0))
        out.firstKey("case")
        out.string(result.caseID)
        out.nextKey("case_hash")
        out.string(result.caseHash)
        out.nextKey("checks")
        out.byte(UInt8(ascii: "["))
        for (index, check) in result.checks.enumerated() {
            if index > 0 { out.byte(UInt8(ascii: ",")) }
            write(check, to: &out)
        }
        out.byte(UInt8(ascii: "]"))
        if let error = result.error {
            out.nextKey("error")
            out.firstKey("attempts")
            out.int(error.attempts)
            out.nextKey("class")
            out.string(error.errorClass)
            out.nextKey("message")
            out.string(error.message)
            if let status = error.status {
                out.nextKey("status")
                out.int(status)
            }
            out.byte(UInt8(ascii: "}"))
        }
        out.nextKey("finished_at")
        out.string(result.finishedAt)
        out.nextKey("kind")
        out.string(result.kind.rawValue)
        if let params = result.params {
            out.nextKey("params")
            out.object(params)
        }
        out.nextKey("record")
        out.raw("\"result\"")
        out.nextKey("repeat")
        out.int(result.repeatIndex)
        if let response = result.response {
            out.nextKey("response")
            write(response, to: &out)
        }
        out.nextKey("status")
        out.string(result.status.rawValue)
        out.nextKey("suite")
        out.string(result.suite)
        out.nextKey("tags")
        out.strings(result.tags)
        out.raw("}\n")
        return out.invalidNumber ? nil : out.bytes
    }

    private static func write(_ check: CheckRecord, to out: inout JSONWriter) {
        out.byte(UInt8(ascii: "{"))
        if !check.findings.isEmpty {
            out.key("findings")
            write(check.findings, to: &out)
            out.byte(UInt8(ascii: ","))
        }
        if let judge = check.judge {
            out.key("judge")
            write(judge, to: &out)
            out.byte(UInt8(ascii: ","))
        }
        if !check.notes.isEmpty {
            out.key("notes")
            write(check.notes, to: &out)
            out.byte(UInt8(ascii: ","))
        }
        out.key("passed")
        out.bool(check.passed)
        out.nextKey("type")
        out.string(check.type)
        out.byte(UInt8(ascii: "}"))
    }

    private static func write(_ findings: [Finding], to out: inout JSONWriter) {
        out.byte(UInt8(ascii: "["))
        for (index, finding) in findings.enumerated() {
            if index > 0 { out.byte(UInt8(ascii: ",")) }
            out.firstKey("message")
            out.string(finding.message)
            out.nextKey("rule")
            out.string(finding.ruleID)
            if let span = finding.span {
                out.nextKey("span")
                out.firstKey("end")
                out.int(span.end)
                out.nextKey("start")
                out.int(span.start)
                out.byte(UInt8(ascii: "}"))
            }
            if let text = finding.text {
                out.nextKey("text")
                out.string(text)
            }
            out.byte(UInt8(ascii: "}"))
        }
        out.byte(UInt8(ascii: "]"))
    }

    private static func write(_ judge: JudgeRecord, to out: inout JSONWriter) {
        out.firstKey("cached")
        out.bool(judge.cached)
        if let tokens = judge.completionTokens {
            out.nextKey("completion_tokens")
            out.int(tokens)
        }
        out.nextKey("latency_ms")
        out.double(judge.latencyMs)
        out.nextKey("model")
        out.string(judge.model)
        if let tokens = judge.promptTokens {
            out.nextKey("prompt_tokens")
            out.int(tokens)
        }
        if let quote = judge.quote {
            out.nextKey("quote")
            out.string(quote)
        }
        out.nextKey("raw")
        out.strings(judge.raw)
        if let reason = judge.reason {
            out.nextKey("reason")
            out.string(reason)
        }
        out.nextKey("rubric")
        out.string(judge.rubric)
        out.nextKey("rubric_hash")
        out.string(judge.rubricHash)
        if let score = judge.score {
            out.nextKey("score")
            out.double(score)
        }
        if let settingsHash = judge.settingsHash {
            out.nextKey("settings_hash")
            out.string(settingsHash)
        }
        out.nextKey("target")
        out.string(judge.target)
        out.nextKey("votes")
        out.strings(judge.votes)
        out.byte(UInt8(ascii: "}"))
    }

    static func write(_ response: ResponseRecord, to out: inout JSONWriter) {
        out.firstKey("attempts")
        out.int(response.attempts)
        out.nextKey("cached")
        out.bool(response.cached)
        if let tokens = response.completionTokens {
            out.nextKey("completion_tokens")
            out.int(tokens)
        }
        out.nextKey("content")
        out.string(response.content)
        if let reason = response.finishReason {
            out.nextKey("finish_reason")
            out.string(reason)
        }
        out.nextKey("latency_ms")
        out.double(response.latencyMs)
        if let model = response.model {
            out.nextKey("model")
            out.string(model)
        }
        if let tokens = response.promptTokens {
            out.nextKey("prompt_tokens")
            out.int(tokens)
        }
        if let fingerprint = response.systemFingerprint {
            out.nextKey("system_fingerprint")
            out.string(fingerprint)
        }
        if let ttft = response.timeToFirstTokenMs {
            out.nextKey("ttft_ms")
            out.double(ttft)
        }
        out.byte(UInt8(ascii: "}"))
    }
}

extension ResponseRecord {
    /// The record's JSON, byte for byte what `JSONEncoder` (keys sorted, slashes not escaped) writes; nil when a
    /// number is not finite.
    public func encodedJSON() -> [UInt8]? {
        var out = JSONWriter(numbers: .foundation, capacity: 256 + content.utf8.count)
        ResultLineWriter.write(self, to: &out)
        return out.invalidNumber ? nil : out.bytes
    }
}
