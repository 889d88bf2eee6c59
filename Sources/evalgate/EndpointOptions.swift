import ArgumentParser
import EvalRunner
import Foundation
import Transport

/// The flags that say where an OpenAI-compatible server is and how to talk to it. Shared by every command that sends.
struct EndpointOptions: ParsableArguments {
    @Option(name: .long, help: "API root that /chat/completions hangs off, e.g. http://localhost:8000/v1.")
    var baseURL: String

    @OptionGroup var access: AccessOptions

    @Option(
        name: .long, parsing: .unconditional,
        help: "Seconds a whole request may take, a streamed answer included (0.001 to 86400).")
    var timeout: Double = 600

    @Option(name: .long, parsing: .unconditional, help: "Seconds to establish a connection (0.001 to 86400).")
    var connectTimeout: Double = 10

    @Option(
        name: .long, parsing: .unconditional,
        help: "Seconds of silence allowed inside a response (streams; 0.001 to 86400).")
    var idleTimeout: Double = 120

    @Option(
        name: .long, parsing: .unconditional,
        help: "Attempts per request, the first included (1 = no retries; at most 100).")
    var maxAttempts: Int = 3

    @Option(name: .long, parsing: .unconditional, help: "Largest response body accepted, in bytes (1024 to 1 GiB).")
    var maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes

    @Option(name: .long, help: "PEM file of CA certificates to trust instead of the system's.")
    var caFile: String?

    @Flag(name: .long, help: "Do not verify TLS certificates (self-signed test servers only).")
    var insecure = false

    func validate() throws {
        for (flag, seconds) in [
            ("--timeout", timeout), ("--connect-timeout", connectTimeout), ("--idle-timeout", idleTimeout),
        ] {
            try NumericLimits.check(flag, seconds, in: RunLimits.seconds, unit: "seconds")
        }
        try NumericLimits.check("--max-attempts", maxAttempts, in: RunLimits.maxAttempts)
        try NumericLimits.check("--max-response-bytes", maxResponseBytes, in: RunLimits.responseBytes, unit: "bytes")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file: cannot read '\(caFile)'")
        }
    }

    static func split(_ pair: String) -> (String, String)? {
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else { return nil }
        return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
    }

    static func pairs(_ values: [String]) -> [String: String] {
        Dictionary(values.compactMap(split), uniquingKeysWith: { _, last in last })
    }

    var endpoint: ChatEndpoint {
        ChatEndpoint(
            baseURL: baseURL,
            apiKeyEnvironmentVariable: access.apiKeyEnv,
            headers: Self.pairs(access.headers),
            secretHeaders: Self.pairs(access.secretHeaders),
            queryItems: Self.pairs(access.queryItems),
            secretQueryItems: Self.pairs(access.secretQueryItems),
            timeouts: HTTPTimeouts(
                total: NumericLimits.duration(seconds: timeout),
                connect: NumericLimits.duration(seconds: connectTimeout),
                idle: NumericLimits.duration(seconds: idleTimeout)
            ),
            maxResponseBytes: maxResponseBytes
        )
    }

    var retry: RetryPolicy {
        var policy = RetryPolicy()
        policy.maxAttempts = maxAttempts
        return policy
    }

    func makeClient() throws -> ChatClient {
        let transport: CurlClient
        do {
            transport = try CurlClient(configuration: .init(verifyTLS: !insecure, caFile: caFile))
        } catch {
            throw CLIError.infrastructure("cannot start libcurl: \(error)")
        }
        do {
            return try ChatClient(endpoint: endpoint, transport: transport, retry: retry)
        } catch {
            // The only message that is about a flag's value without naming it: the URL's.
            throw CLIError.usage(error.message.hasPrefix("base URL") ? "--base-url: \(error.message)" : error.message)
        }
    }
}

/// How requests authenticate and what they carry besides the body: shared by every command that sends.
struct AccessOptions: ParsableArguments {
    @Option(name: .long, help: "Environment variable holding the API key, sent as 'Authorization: Bearer <key>'.")
    var apiKeyEnv: String?

    @Option(
        name: .customLong("header"),
        help: ArgumentHelp("Extra header, NAME=VALUE (repeatable). Not for secrets.", valueName: "name=value"))
    var headers: [String] = []

    @Option(
        name: .customLong("secret-header"),
        help: ArgumentHelp(
            "Header whose value is read from an environment variable, NAME=VARIABLE (repeatable), e.g. api-key=AZURE_OPENAI_API_KEY.",
            valueName: "name=variable"))
    var secretHeaders: [String] = []

    @Option(
        name: .customLong("query"),
        help: ArgumentHelp(
            "Query item added to every URL, NAME=VALUE (repeatable), e.g. api-version=2024-10-21.",
            valueName: "name=value"))
    var queryItems: [String] = []

    @Option(
        name: .customLong("secret-query"),
        help: ArgumentHelp(
            "Query item whose value is read from an environment variable, NAME=VARIABLE (repeatable), e.g. key=GEMINI_API_KEY; masked and redacted like a key.",
            valueName: "name=variable"))
    var secretQueryItems: [String] = []

    func validate() throws {
        for (flag, values) in [
            ("--header", headers), ("--secret-header", secretHeaders), ("--query", queryItems),
            ("--secret-query", secretQueryItems),
        ] {
            for value in values where EndpointOptions.split(value) == nil {
                throw ValidationError("\(flag) expects NAME=VALUE, found '\(value)'")
            }
        }
    }
}

/// A failure the CLI reports in one line and turns into the documented exit code.
enum CLIError: Error, CustomStringConvertible {
    /// Bad input or usage: exit 2.
    case usage(String)
    /// The endpoint or the machine failed: exit 3.
    case infrastructure(String)

    var description: String {
        switch self {
        case .usage(let message), .infrastructure(let message): return message
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .usage: return ExitCode(2)
        case .infrastructure: return ExitCode(3)
        }
    }
}

extension CLIError {
    /// Prints the error on stderr as one line and returns the exit code to throw.
    func report() -> ExitCode {
        FileHandle.standardError.write(Data("evalgate: error: \(description)\n".utf8))
        return exitCode
    }
}
