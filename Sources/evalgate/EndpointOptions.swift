import ArgumentParser
import EvalRunner
import Foundation
import Transport

/// The flags that say where an OpenAI-compatible server is and how to talk to it. Shared by every command that sends.
struct EndpointOptions: ParsableArguments {
    @Option(name: .long, help: "API root that /chat/completions hangs off, e.g. http://localhost:8000/v1.")
    var baseURL: String

    @OptionGroup var access: AccessOptions

    @OptionGroup var connection: ConnectionOptions<EndpointTimeoutOptions>

    static func split(_ pair: String) -> (String, String)? {
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else { return nil }
        return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
    }

    static func pairs(_ values: [String]) -> [String: String] {
        Dictionary(values.compactMap(split), uniquingKeysWith: { _, last in last })
    }

    var endpoint: ChatEndpoint {
        var fields = RunConfig.TargetFields()
        access.apply(to: &fields)
        connection.apply(to: &fields)
        return ChatEndpoint(fields: fields, baseURL: baseURL, maxResponseBytes: connection.maxResponseBytes)
    }

    func makeClient() throws -> ChatClient {
        let transport = try connection.makeTransport()
        do {
            return try ChatClient(endpoint: endpoint, transport: transport, retry: connection.retry)
        } catch {
            // The only message that is about a flag's value without naming it: the URL's.
            throw CLIError.usage(error.message.hasPrefix("base URL") ? "--base-url: \(error.message)" : error.message)
        }
    }
}

/// The three timeouts of a command that sends, in seconds. `run` takes them from evalgate.yaml too, so a timeout not
/// given is nil there (the config file's, else `ChatEndpoint.defaultTimeouts`) and its help names the default;
/// `chat` and `models` declare the defaults themselves and ArgumentParser shows them, `(default: 600.0)`.
protocol TimeoutOptions: ParsableArguments {
    /// The timeouts as given; nil where a flag was not given and has no default of its own.
    var seconds: (total: Double?, connect: Double?, idle: Double?) { get }
    /// The help of `--max-attempts`, worded as the command's timeouts are.
    static var maxAttemptsHelp: ArgumentHelp { get }
}

extension TimeoutOptions {
    func validate() throws {
        for (flag, value) in [
            ("--timeout", seconds.total), ("--connect-timeout", seconds.connect), ("--idle-timeout", seconds.idle),
        ] {
            try NumericLimits.check(flag, value, in: RunLimits.seconds, unit: "seconds")
        }
    }

    /// The timeouts given, on a target's fields.
    func apply(to fields: inout RunConfig.TargetFields) {
        (fields.timeout, fields.connectTimeout, fields.idleTimeout) = seconds
    }
}

/// The timeouts of `run`: nil when not given.
struct RunTimeoutOptions: TimeoutOptions {
    @Option(
        name: .long, parsing: .unconditional,
        help: "Seconds a whole request may take, a streamed answer included (default 600; 0.001 to 86400).")
    var timeout: Double?

    @Option(
        name: .long, parsing: .unconditional, help: "Seconds to establish a connection (default 10; 0.001 to 86400).")
    var connectTimeout: Double?

    @Option(
        name: .long, parsing: .unconditional,
        help: "Seconds of silence allowed inside a streamed answer (default 120; 0.001 to 86400).")
    var idleTimeout: Double?

    static let maxAttemptsHelp: ArgumentHelp = "Attempts per request, the first included (default 3; at most 100)."

    var seconds: (total: Double?, connect: Double?, idle: Double?) { (timeout, connectTimeout, idleTimeout) }
}

/// The timeouts of `chat` and `models`: their defaults declared here.
struct EndpointTimeoutOptions: TimeoutOptions {
    @Option(
        name: .long, parsing: .unconditional,
        help: "Seconds a whole request may take, a streamed answer included (0.001 to 86400).")
    var timeout: Double = ChatEndpoint.defaultTimeouts.total

    @Option(name: .long, parsing: .unconditional, help: "Seconds to establish a connection (0.001 to 86400).")
    var connectTimeout: Double = ChatEndpoint.defaultTimeouts.connect

    @Option(
        name: .long, parsing: .unconditional,
        help: "Seconds of silence allowed inside a response (streams; 0.001 to 86400).")
    var idleTimeout: Double = ChatEndpoint.defaultTimeouts.idle

    static let maxAttemptsHelp: ArgumentHelp =
        "Attempts per request, the first included (1 = no retries; at most 100)."

    var seconds: (total: Double?, connect: Double?, idle: Double?) { (timeout, connectTimeout, idleTimeout) }
}

/// How a command talks to a server once it knows where it is: timeouts, retries, the largest body, TLS. Declared
/// once for every command that sends; `Timeouts` says whether the timeouts have defaults of their own.
struct ConnectionOptions<Timeouts: TimeoutOptions>: ParsableArguments {
    @OptionGroup var timeouts: Timeouts

    @Option(name: .long, parsing: .unconditional, help: Timeouts.maxAttemptsHelp)
    var maxAttempts: Int = 3

    @Option(name: .long, parsing: .unconditional, help: "Largest response body accepted, in bytes (1024 to 1 GiB).")
    var maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes

    @Option(name: .long, help: "PEM file of CA certificates to trust instead of the system's.")
    var caFile: String?

    @Flag(name: .long, help: "Do not verify TLS certificates (self-signed test servers only).")
    var insecure = false

    func validate() throws {
        try NumericLimits.check("--max-attempts", maxAttempts, in: RunLimits.maxAttempts)
        try NumericLimits.check("--max-response-bytes", maxResponseBytes, in: RunLimits.responseBytes, unit: "bytes")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file: cannot read '\(caFile)'")
        }
    }

    /// The timeouts given, on a target's fields.
    func apply(to fields: inout RunConfig.TargetFields) {
        timeouts.apply(to: &fields)
    }

    var retry: RetryPolicy {
        var policy = RetryPolicy()
        policy.maxAttempts = maxAttempts
        return policy
    }

    /// libcurl with the TLS settings of the flags; a failure to start it is the machine's (exit 3).
    func makeTransport() throws(CLIError) -> CurlClient {
        do {
            return try CurlClient(configuration: .init(verifyTLS: !insecure, caFile: caFile))
        } catch {
            throw .infrastructure("cannot start libcurl: \(error)")
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

    /// The access flags given, on a target's fields.
    func apply(to fields: inout RunConfig.TargetFields) {
        fields.apiKeyEnv = apiKeyEnv
        fields.headers = EndpointOptions.pairs(headers)
        fields.secretHeaders = EndpointOptions.pairs(secretHeaders)
        fields.query = EndpointOptions.pairs(queryItems)
        fields.secretQuery = EndpointOptions.pairs(secretQueryItems)
    }

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
    init(_ error: RunError) {
        switch error.kind {
        case .badInput: self = .usage(error.message)
        case .infrastructure: self = .infrastructure(error.message)
        }
    }

    /// Prints the error on stderr as one line and returns the exit code to throw.
    func report() -> ExitCode {
        FileHandle.standardError.write(Data("evalgate: error: \(description)\n".utf8))
        return exitCode
    }
}
