import EvalCore
import EvalRunner
import Foundation
import Reporting
import Scoring
import Transport

/// One fuzz target per reader of untrusted bytes, chosen by `EVALGATE_FUZZ_TARGET` (see scripts/fuzz). Each must
/// return for every input: a crash, a trap or a hang is the finding.
enum FuzzTarget: String, CaseIterable {
    /// The SSE parser, fed the input in pieces cut where the input's first byte says, then finished.
    case sse
    /// Chat-completion bodies and stream chunks, as the client decodes them.
    case chatwire
    /// Run-log lines (each line of the input), as `report`, `diff` and `gate` read them, and the JSON parser.
    case runlog
    /// YAML: the located reader, evalgate.yaml and gate.yaml.
    case yaml
    /// EvalCore's `JSONScanner` through its readers: `JSONValue.parse` and `skipDocument` must agree, an error must
    /// point inside the input or just past it, and an accepted document must read back the same from its canonical
    /// text and have its spans found (`JSONSpans`, the json check's evidence).
    case json

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["EVALGATE_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("EVALGATE_FUZZ_TARGET must be one of: \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .sse:
            var parser = SSEParser()
            let step = max(1, Int(bytes.first ?? 1))
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + step)
                _ = parser.feed(bytes[start..<end])
                start = end
            }
            _ = parser.finish()
        case .chatwire:
            _ = try? ChatWire.decodeCompletion(Data(bytes))
            var accumulator = StreamAccumulator()
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                _ = try? accumulator.consume(eventData: String(decoding: line, as: UTF8.self))
            }
            _ = accumulator.result()
        case .runlog:
            _ = try? JSONValue.parse(bytes)
            for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                _ = RunLog.decode(line)
            }
        case .yaml:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = LocatedYAML.parse(text, path: "fuzz.yaml")
            _ = RunConfig.parse(text, path: "evalgate.yaml")
            _ = GatePolicy.parse(text, path: "gate.yaml")
        case .json:
            let parsed: JSONValue?
            do {
                parsed = try JSONValue.parse(bytes)
            } catch {
                precondition((0...bytes.count).contains(error.offset), "error outside the input: \(error)")
                parsed = nil
            }
            let skipped = bytes.withUnsafeBufferPointer { buffer in
                var scanner = JSONScanner(buffer)
                return (try? scanner.skipDocument()) != nil
            }
            precondition((parsed != nil) == skipped, "JSONValue.parse and JSONScanner.skipDocument disagree")
            guard let parsed else { return }
            precondition(
                (try? JSONValue.parse(CanonicalJSON.bytes(parsed))) == parsed, "the canonical text reads back otherwise")
            let text = String(decoding: bytes, as: UTF8.self)
            let spans = JSONSpans(text[...], base: 0)
            precondition(spans[""] != nil, "no span for the whole document")
        }
    }
}

/// The entry libFuzzer calls for each input (its own `main` calls it when the linker picks that one).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
    return 0
}

/// libFuzzer's driver, called from our own `main` (SwiftPM gives an executable its own entry point).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
enum EvalgateFuzz {
    static func main() {
        _ = FuzzTarget.selected
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = runFuzzerDriver(&argc, &argv) { data, count in fuzzTestOneInput(data, count) }
        exit(status)
    }
}
