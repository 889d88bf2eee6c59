import ArgumentParser
import EvalCore
import EvalRunner
import Foundation
import ScriptedEndpoint
import Synchronization
import Transport

#if canImport(Glibc)
    import Glibc
#endif

/// `evalgate bench`: throughput and CPU cost of the transport and the chat client against the scripted endpoint.
///
/// The endpoint runs in a child process (`evalgate bench-endpoint`), so the CPU time measured here with `getrusage`
/// is the client's alone: libcurl's loop thread, JSON encoding and decoding, and the Swift tasks around them.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure requests/s and CPU per request of the HTTP client against the built-in scripted endpoint."
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Concurrency levels to measure.")
    var concurrency: [Int] = [1, 16, 64, 256]

    @Option(name: .long, help: "Requests per concurrency level.")
    var requests: Int = 5000

    @Option(name: .long, help: "Requests of the latency run (the endpoint answers after --latency-ms).")
    var latencyRequests: Int = 1000

    @Option(name: .long, help: "Concurrency of the latency run.")
    var latencyConcurrency: Int = 50

    @Option(name: .long, help: "Server-side latency of the latency run, in milliseconds.")
    var latencyMs: Int = 100

    @Flag(name: .long, help: "Also measure streaming requests at each concurrency level.")
    var stream = false

    @Flag(name: .long, help: "A short run: 1,000 requests per level.")
    var quick = false

    func validate() throws {
        guard concurrency.allSatisfy({ $0 >= 1 && $0 <= 4096 }) else {
            throw ValidationError("--concurrency expects values from 1 to 4096, found \(concurrency)")
        }
        guard requests >= 1, latencyRequests >= 1, latencyConcurrency >= 1, latencyMs >= 0 else {
            throw ValidationError("--requests, --latency-requests and --latency-concurrency expect positive numbers")
        }
    }

    func run() async throws {
        let perLevel = quick ? min(requests, 1000) : requests
        print(
            "evalgate bench — libcurl \(CurlClient.libcurlVersion), \(ProcessInfo.processInfo.activeProcessorCount) cores, endpoint in a child process"
        )
        print("")
        print(BenchRow.header)
        do {
            let fast = try BenchServer(latencyMs: 0)
            defer { fast.stop() }
            let transport = try CurlClient()
            let client = try ChatClient(
                endpoint: ChatEndpoint(baseURL: fast.baseURL), transport: transport, retry: .none)
            // Warm up: connections, allocator, lazy initialisation.
            _ = try await Self.measure(client: client, requests: 200, concurrency: 16, stream: false, label: "warm-up")
            for level in concurrency {
                let row = try await Self.measure(
                    client: client, requests: perLevel, concurrency: level, stream: false, label: "\(level)")
                print(row.line)
                if stream {
                    let streamed = try await Self.measure(
                        client: client, requests: perLevel, concurrency: level, stream: true, label: "\(level) stream")
                    print(streamed.line)
                }
            }
            let slow = try BenchServer(latencyMs: latencyMs)
            defer { slow.stop() }
            let slowClient = try ChatClient(
                endpoint: ChatEndpoint(baseURL: slow.baseURL), transport: transport, retry: .none)
            let row = try await Self.measure(
                client: slowClient, requests: latencyRequests, concurrency: latencyConcurrency, stream: false,
                label: "\(latencyConcurrency) @\(latencyMs)ms"
            )
            print(row.line)
            let ideal =
                Double((latencyRequests + latencyConcurrency - 1) / latencyConcurrency) * Double(latencyMs) / 1000
            print("")
            print(
                String(
                    format:
                        "latency run: %d requests at concurrency %d, server latency %d ms: %.3f s (physical limit %.3f s, +%.1f%%)",
                    latencyRequests, latencyConcurrency, latencyMs, row.wall, ideal, (row.wall / ideal - 1) * 100))
        } catch let error as ChatError {
            throw CLIError.infrastructure(error.description).report()
        } catch let error as CLIError {
            throw error.report()
        }
    }

    static func measure(client: ChatClient, requests: Int, concurrency: Int, stream: Bool, label: String) async throws
        -> BenchRow
    {
        let next = TicketCounter()
        let cpuBefore = processCPUSeconds()
        let start = ContinuousClock.now
        let (latencies, errors) = try await withThrowingTaskGroup(of: ([Double], [String]).self) { group in
            for _ in 0..<min(concurrency, requests) {
                group.addTask {
                    var latencies: [Double] = []
                    var errors: [String] = []
                    while true {
                        let index = next.take()
                        if index >= requests { break }
                        let request = ChatRequest(
                            model: "bench", messages: [.user("request \(index)")], parameters: ChatParameters())
                        let sent = ContinuousClock.now
                        do {
                            let response = try await client.complete(request, stream: stream)
                            if response.content != "echo: request \(index)" {
                                errors.append("mismatched answer for request \(index)")
                            }
                            latencies.append(seconds(ContinuousClock.now - sent))
                        } catch {
                            errors.append("\(error)")
                        }
                    }
                    return (latencies, errors)
                }
            }
            var all: [Double] = []
            var allErrors: [String] = []
            for try await (latencies, errors) in group {
                all += latencies
                allErrors += errors
            }
            return (all, allErrors)
        }
        let wall = seconds(ContinuousClock.now - start)
        let cpu = processCPUSeconds() - cpuBefore
        if let first = errors.first {
            throw CLIError.infrastructure("\(errors.count) of \(requests) bench requests failed; first: \(first)")
        }
        return BenchRow(label: label, requests: requests, wall: wall, cpu: cpu, latencies: latencies.sorted())
    }

    /// The process's peak resident set size in MiB (`ru_maxrss` is in KiB on Linux, bytes on macOS).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576
        #endif
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) / 1e18
}

struct BenchRow {
    let label: String
    let requests: Int
    let wall: Double
    let cpu: Double
    let latencies: [Double]

    static let header = "concurrency        requests    wall s     req/s   client CPU µs/req   p50 ms   p99 ms"

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let index = min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)
        return latencies[max(0, index)] * 1000
    }

    var line: String {
        label.padding(toLength: 16, withPad: " ", startingAt: 0)
            + String(
                format: " %10d %9.3f %9.0f %19.1f %8.2f %8.2f", requests, wall, Double(requests) / wall,
                cpu / Double(requests) * 1e6,
                percentile(0.5), percentile(0.99))
    }
}

/// The scripted endpoint in a child process of this executable, answering `echo: <prompt>`.
final class BenchServer {
    let baseURL: String
    private let process: Process
    private let input: Pipe

    init(latencyMs: Int) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["bench-endpoint", "--latency-ms", "\(latencyMs)"]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The child prints its base URL on one line once it listens.
        var buffer = Data()
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("http://") else {
            process.terminate()
            throw CLIError.infrastructure("the bench endpoint did not start: '\(line)'")
        }
        baseURL = line
    }

    func stop() {
        // Closing its standard input tells the child to shut down.
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// `evalgate bench-endpoint`: the scripted echo endpoint for `bench`, in its own process. Not for users.
struct BenchEndpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-endpoint",
        abstract: "Serve the scripted echo endpoint on loopback until standard input closes (used by bench).",
        shouldDisplay: false
    )

    @Option(name: .long) var latencyMs: Int = 0

    func run() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo(latency: .milliseconds(latencyMs)))
        // Unbuffered: the parent reads this line before it sends anything.
        FileHandle.standardOutput.write(Data((endpoint.baseURL + "\n").utf8))
        // Wait on a thread of its own (not one of the few concurrency-pool threads) until the parent closes stdin.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                while !FileHandle.standardInput.availableData.isEmpty {}
                continuation.resume()
            }.start()
        }
        try await endpoint.shutdown()
    }
}

/// Hands out 0, 1, 2... to concurrent workers.
final class TicketCounter: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.add(1, ordering: .relaxed).oldValue }
}
