public import EvalCore
public import Foundation
public import Transport

/// When and how long to wait before trying a failed request again: the rules of the official OpenAI Python client
/// (`_should_retry`, `_parse_retry_after_header`, `_calculate_retry_timeout`), as captured in
/// `../shared/conformance/openai/openai_python_retry_after_cases.json`.
///
/// - A server-asked delay (`retry-after-ms`, then `retry-after`) is honoured when `0 < delay <= maxRetryAfter`.
/// - Otherwise the wait is `min(initialBackoff · 2^retry, maxBackoff)` times a jitter factor.
/// - A server that asks for more than `maxRetryAfter` is not retried at all.
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts, the first one included (OpenAI's `max_retries = 2` is 3 attempts). 1 means never retry.
    public var maxAttempts: Int
    /// The wait before the first retry when the server asks for nothing usable; doubled for each later retry.
    public var initialBackoff: Duration
    /// The ceiling of the exponential backoff (before jitter).
    public var maxBackoff: Duration
    /// A server-asked delay is honoured only when `0 < delay <= maxRetryAfter`; a longer one means "don't retry".
    public var maxRetryAfter: Duration
    /// The factor drawn for each exponential backoff (never applied to server-given delays).
    /// Python's `1 - 0.25 * random()` lies in (0.75, 1].
    public var jitter: ClosedRange<Double>

    public init(
        maxAttempts: Int = 3,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(8),
        maxRetryAfter: Duration = .seconds(120),
        jitter: ClosedRange<Double> = 0.75...1.0
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// One attempt, no retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    // MARK: - Server-requested delay

    /// The delay the server asks for, in seconds: `retry-after-ms` (float milliseconds) when present and a number,
    /// else `retry-after` as float seconds, else `retry-after` as an HTTP date minus `now`.
    /// Nil when absent, unparseable or not finite. The value may be zero, negative or huge: whether it is honoured is
    /// the policy's business (`delay(beforeRetry:headers:now:using:)`).
    public static func serverRequestedDelay(_ headers: HTTPHeaders, now: Date) -> Double? {
        guard let delay = rawServerDelay(headers, now: now), delay.isFinite else { return nil }
        return delay
    }

    /// As Python reads it: a number that parses wins even when it is `inf` or `nan` (Python's `float()` takes both),
    /// which matters to `shouldRetry` (`retry-after: inf` asks for longer than we will wait).
    static func rawServerDelay(_ headers: HTTPHeaders, now: Date) -> Double? {
        if let milliseconds = headers["retry-after-ms"].flatMap(parsePythonFloat) {
            return milliseconds / 1000
        }
        guard let retryAfter = headers["retry-after"] else { return nil }
        if let seconds = parsePythonFloat(retryAfter) {
            return seconds
        }
        guard let date = HTTPDate.parse(retryAfter) else { return nil }
        return date.timeIntervalSince(now)
    }

    // MARK: - Whether to retry

    /// Whether a failed attempt that got this response should be retried at all (attempt counts aside).
    /// In Python's order: a server-asked delay longer than `maxRetryAfter` → no; then `x-should-retry: true` / `false`
    /// is obeyed; then 408, 409, 429 and >= 500 → yes; anything else → no.
    public func shouldRetry(status: Int, headers: HTTPHeaders, now: Date) -> Bool {
        // `nan > x` is false, so a `nan` delay falls through, as in Python.
        if let delay = Self.rawServerDelay(headers, now: now), delay > Self.seconds(maxRetryAfter) {
            return false
        }
        // Compared exactly (after trimming), as Python compares `== "true"` / `== "false"`.
        switch headers["x-should-retry"]?.trimmingCharacters(in: .whitespaces) {
        case "true": return true
        case "false": return false
        default: break
        }
        return status == 408 || status == 409 || status == 429 || status >= 500
    }

    /// Whether a transfer that failed below HTTP should be retried: failures to connect, timeouts and lost connections
    /// may be transient; an oversized body, a cancellation or a malformed request will fail the same way again.
    public func shouldRetry(error: TransportError) -> Bool {
        switch error.kind {
        case .connect, .connectTimeout, .totalTimeout, .idleTimeout, .connectionLost:
            return true
        case .tls, .tooLarge, .cancelled, .invalidRequest, .other:
            return false
        }
    }

    // MARK: - How long to wait

    /// The wait before retry number `retry` (0 = the first retry, i.e. after the first attempt failed).
    /// The server-asked delay when `0 < delay <= maxRetryAfter`; otherwise
    /// `min(initialBackoff · 2^retry, maxBackoff)` times a factor drawn from `jitter` with `random`.
    /// A negative `retry` counts as 0; a huge one simply reaches `maxBackoff`.
    public func delay(
        beforeRetry retry: Int,
        headers: HTTPHeaders?,
        now: Date,
        using random: inout some RandomNumberGenerator
    ) -> Duration {
        if let headers, let asked = Self.serverRequestedDelay(headers, now: now),
            asked > 0, asked <= Self.seconds(maxRetryAfter)
        {
            return .seconds(asked)
        }
        // 2^1000 is still a finite Double; beyond that the product can only stay at the cap.
        let exponent = min(max(retry, 0), 1000)
        let initial = max(Self.seconds(initialBackoff), 0)
        let cap = max(Self.seconds(maxBackoff), 0)
        let backoff = min(initial * Double(sign: .plus, exponent: exponent, significand: 1), cap)
        let factor =
            jitter.lowerBound == jitter.upperBound ? jitter.lowerBound : Double.random(in: jitter, using: &random)
        let wait = backoff * factor
        // Never negative (Python: `timeout if timeout >= 0 else 0`), never beyond what `Duration` holds.
        guard wait.isFinite, wait > 0 else { return .zero }
        return .seconds(min(wait, 1e15))
    }

    // MARK: - Helpers

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// Python's `float(text)` for ASCII input: surrounding whitespace, an optional sign, then `inf`, `infinity`, `nan`
    /// (any case) or a decimal literal with optional fraction, exponent and single underscores between digits.
    /// Hexadecimal and other forms Swift's `Double(_:)` would also take are refused.
    static func parsePythonFloat(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes = Array(trimmed.utf8)[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        switch String(decoding: bytes, as: UTF8.self).lowercased() {
        case "inf", "infinity": return negative ? -.infinity : .infinity
        case "nan": return .nan
        default: break
        }

        var literal = negative ? "-" : ""
        /// Digits with optional single underscores between them; false when an underscore is misplaced.
        func digitPart() -> (count: Int, ok: Bool) {
            var count = 0
            var afterUnderscore = false
            while let byte = bytes.first {
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    literal.unicodeScalars.append(Unicode.Scalar(byte))
                    count += 1
                    afterUnderscore = false
                } else if byte == UInt8(ascii: "_") {
                    guard count > 0, !afterUnderscore else { return (count, false) }
                    afterUnderscore = true
                } else {
                    break
                }
                bytes = bytes.dropFirst()
            }
            return (count, !afterUnderscore)
        }

        let integer = digitPart()
        guard integer.ok else { return nil }
        literal += integer.count == 0 ? "0" : ""
        var fractionCount = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            literal += "."
            let fraction = digitPart()
            guard fraction.ok else { return nil }
            fractionCount = fraction.count
            literal += fraction.count == 0 ? "0" : ""
        }
        guard integer.count + fractionCount > 0 else { return nil }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            literal += "e"
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                literal.unicodeScalars.append(Unicode.Scalar(sign))
                bytes = bytes.dropFirst()
            }
            let exponent = digitPart()
            guard exponent.ok, exponent.count > 0 else { return nil }
        }
        guard bytes.isEmpty else { return nil }
        return Double(literal)
    }
}

/// The seedable generator of retry jitter (EvalCore's SplitMix64), so that delays can be reproduced in tests.
public typealias SeededGenerator = SplitMix64
