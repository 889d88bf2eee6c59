import EvalCore
import Foundation
import Testing
import Transport

@testable import EvalRunner

// MARK: - Conformance with the OpenAI Python client

/// `../shared/conformance/openai/openai_python_retry_after_cases.json`, from the package root.
private let retryCasesURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // EvalRunnerTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root
    .appendingPathComponent("../shared/conformance/openai/openai_python_retry_after_cases.json")
    .standardizedFileURL

private let haveRetryCases = FileManager.default.fileExists(atPath: retryCasesURL.path)

// swift-format-ignore: AlwaysUseLowerCamelCase
// The properties are named as the conformance file's keys are.
private struct RetryCasesFile: Decodable {
    struct ParseCase: Decodable {
        var remaining_retries: Int?
        var retry_after: String?
        var timeout: Double?
        var source: String?
    }

    struct MaxDelayCase: Decodable {
        var headers: [String: String]
        var should_retry: Bool
    }

    struct Notes: Decodable {
        var mockedTime: Double
        enum CodingKeys: String, CodingKey { case mockedTime = "mocked_time.time" }
    }

    var test_parse_retry_after_header: [ParseCase]
    var test_retry_after_max_delay: [MaxDelayCase]
    var _notes: Notes
}

/// One `test_parse_retry_after_header` case, with `source` entries (`[remaining, 'retry-after', expected]`) unpacked.
struct ParseRetryAfterCase: Sendable, CustomTestStringConvertible {
    var remainingRetries: Int
    var retryAfter: String
    var expected: Double

    /// Python's `nb_retries = max_retries - remaining_retries` with `max_retries = 3`.
    var retryIndex: Int { 3 - remainingRetries }

    var testDescription: String { "remaining \(remainingRetries), retry-after '\(retryAfter)' → \(expected)" }
}

struct MaxDelayCase: Sendable, CustomTestStringConvertible {
    var headers: [String: String]
    var shouldRetry: Bool
    var testDescription: String { "\(headers) → \(shouldRetry)" }
}

private func loadRetryCases() throws -> RetryCasesFile {
    try JSONDecoder().decode(RetryCasesFile.self, from: Data(contentsOf: retryCasesURL))
}

/// Reads a `source` entry such as `[2, '', 0.5 * 2.0]`: an int, a quoted string, and a product of numbers.
func parseSourceCase(_ source: String) -> ParseRetryAfterCase? {
    guard source.hasPrefix("["), source.hasSuffix("]"),
        let open = source.firstIndex(of: "'"),
        let close = source[source.index(after: open)...].firstIndex(of: "'")
    else { return nil }
    let head = source[source.index(after: source.startIndex)..<open]
        .trimmingCharacters(in: .whitespaces)
    guard head.hasSuffix(","), let remaining = Int(head.dropLast().trimmingCharacters(in: .whitespaces)) else {
        return nil
    }
    let retryAfter = String(source[source.index(after: open)..<close])
    var tail = source[source.index(after: close)..<source.index(before: source.endIndex)]
        .trimmingCharacters(in: .whitespaces)
    guard tail.hasPrefix(",") else { return nil }
    tail.removeFirst()
    var product = 1.0
    for factor in tail.split(separator: "*") {
        guard let value = Double(factor.trimmingCharacters(in: .whitespaces)) else { return nil }
        product *= value
    }
    return ParseRetryAfterCase(remainingRetries: remaining, retryAfter: retryAfter, expected: product)
}

private func parseCases() -> [ParseRetryAfterCase] {
    guard haveRetryCases, let file = try? loadRetryCases() else { return [] }
    return file.test_parse_retry_after_header.compactMap { entry in
        if let source = entry.source { return parseSourceCase(source) }
        guard let remaining = entry.remaining_retries, let retryAfter = entry.retry_after, let timeout = entry.timeout
        else { return nil }
        return ParseRetryAfterCase(remainingRetries: remaining, retryAfter: retryAfter, expected: timeout)
    }
}

private func maxDelayCases() -> [MaxDelayCase] {
    guard haveRetryCases, let file = try? loadRetryCases() else { return [] }
    return file.test_retry_after_max_delay.map { MaxDelayCase(headers: $0.headers, shouldRetry: $0.should_retry) }
}

/// The instant the reference tests freeze `time.time()` at: Fri, 29 Sep 2023 16:26:37 GMT.
private let mockedNow = Date(timeIntervalSince1970: 1_696_004_797)

private func seconds(_ duration: Duration) -> Double {
    let (whole, atto) = duration.components
    return Double(whole) + Double(atto) * 1e-18
}

@Suite("RetryPolicy conformance (openai-python)", .enabled(if: haveRetryCases, "../shared/conformance is absent"))
struct RetryPolicyConformanceTests {
    @Test func fileIsReadCompletely() throws {
        let file = try loadRetryCases()
        #expect(file._notes.mockedTime == mockedNow.timeIntervalSince1970)
        // Every entry, `source` ones included, must turn into a case; none may be skipped silently.
        #expect(parseCases().count == file.test_parse_retry_after_header.count)
        #expect(parseCases().count == 23)
        #expect(maxDelayCases().count == file.test_retry_after_max_delay.count)
        #expect(maxDelayCases().count == 6)
    }

    /// pytest.approx(timeout, rel=0.4375) with the default jitter, over many draws.
    @Test(arguments: parseCases())
    func parseRetryAfterWithinReferenceTolerance(_ testCase: ParseRetryAfterCase) {
        let policy = RetryPolicy()
        let headers = HTTPHeaders([("retry-after", testCase.retryAfter)])
        var random = SeededGenerator(seed: 0x5EED)
        for _ in 0..<200 {
            let delay = seconds(
                policy.delay(beforeRetry: testCase.retryIndex, headers: headers, now: mockedNow, using: &random))
            #expect(abs(delay - testCase.expected) <= 0.4375 * testCase.expected)
            // Tighter than the reference's tolerance: jitter only ever shortens the wait, by at most a quarter.
            #expect(delay >= 0.75 * testCase.expected - 1e-9 && delay <= testCase.expected + 1e-9)
        }
    }

    /// With the jitter pinned to 1, every expected value is reproduced exactly (server delays and backoffs alike).
    @Test(arguments: parseCases())
    func parseRetryAfterExactWithoutJitter(_ testCase: ParseRetryAfterCase) {
        let policy = RetryPolicy(jitter: 1...1)
        let headers = HTTPHeaders([("Retry-After", testCase.retryAfter)])
        var random = SeededGenerator(seed: 1)
        let delay = policy.delay(beforeRetry: testCase.retryIndex, headers: headers, now: mockedNow, using: &random)
        #expect(delay == .seconds(testCase.expected))
    }

    @Test(arguments: maxDelayCases())
    func retryAfterMaxDelay(_ testCase: MaxDelayCase) {
        let headers = HTTPHeaders(testCase.headers.map { ($0.key, $0.value) })
        #expect(RetryPolicy().shouldRetry(status: 429, headers: headers, now: mockedNow) == testCase.shouldRetry)
    }
}

// MARK: - Unit tests

@Suite("RetryPolicy")
struct RetryPolicyTests {
    let now = Date(timeIntervalSince1970: 1_696_004_797)

    @Test func defaultsMatchTheOpenAIClient() {
        let policy = RetryPolicy()
        #expect(policy.maxAttempts == 3)
        #expect(policy.initialBackoff == .milliseconds(500))
        #expect(policy.maxBackoff == .seconds(8))
        #expect(policy.maxRetryAfter == .seconds(120))
        #expect(policy.jitter == 0.75...1.0)
        #expect(RetryPolicy.none.maxAttempts == 1)
    }

    @Test func sourceEntriesAreRead() {
        let parsed = parseSourceCase("[2, '', 0.5 * 2.0]")
        #expect(parsed?.remainingRetries == 2)
        #expect(parsed?.retryAfter == "")
        #expect(parsed?.expected == 1.0)
        #expect(parsed?.retryIndex == 1)
        #expect(parseSourceCase("[1, 'x, y', 4]")?.retryAfter == "x, y")
        #expect(parseSourceCase("garbage") == nil)
    }

    @Test(arguments: [400, 401, 403, 404, 422, 200, 301])
    func statusesNotRetried(_ status: Int) {
        #expect(!RetryPolicy().shouldRetry(status: status, headers: HTTPHeaders(), now: now))
    }

    @Test(arguments: [408, 409, 429, 500, 502, 503, 504, 599])
    func statusesRetried(_ status: Int) {
        #expect(RetryPolicy().shouldRetry(status: status, headers: HTTPHeaders(), now: now))
    }

    @Test func xShouldRetryOverridesStatus() {
        let policy = RetryPolicy()
        #expect(policy.shouldRetry(status: 400, headers: HTTPHeaders([("x-should-retry", "true")]), now: now))
        #expect(policy.shouldRetry(status: 200, headers: HTTPHeaders([("X-Should-Retry", "true")]), now: now))
        #expect(!policy.shouldRetry(status: 503, headers: HTTPHeaders([("x-should-retry", "false")]), now: now))
        #expect(!policy.shouldRetry(status: 429, headers: HTTPHeaders([("X-SHOULD-RETRY", "false")]), now: now))
        // Other values are not a verdict: the status decides (Python compares to "true"/"false" exactly).
        #expect(policy.shouldRetry(status: 503, headers: HTTPHeaders([("x-should-retry", "maybe")]), now: now))
        #expect(!policy.shouldRetry(status: 400, headers: HTTPHeaders([("x-should-retry", "TRUE")]), now: now))
    }

    @Test func tooLongServerDelayBeatsXShouldRetry() {
        let headers = HTTPHeaders([("x-should-retry", "true"), ("retry-after", "121")])
        #expect(!RetryPolicy().shouldRetry(status: 503, headers: headers, now: now))
        // A longer limit changes the verdict.
        #expect(RetryPolicy(maxRetryAfter: .seconds(300)).shouldRetry(status: 503, headers: headers, now: now))
    }

    @Test func serverDelaysThatDoNotStopRetrying() {
        let policy = RetryPolicy()
        for value in ["0", "-10", "nan", "garbage", "", "Fri, 29 Sep 2023 16:26:27 GMT"] {
            #expect(
                policy.shouldRetry(status: 429, headers: HTTPHeaders([("retry-after", value)]), now: now), "\(value)")
        }
        // Asking for forever, or for more than we wait, ends the retries (Python: `inf > 120`).
        for value in ["inf", "99999999999999999999999999999999999", "121"] {
            #expect(
                !policy.shouldRetry(status: 429, headers: HTTPHeaders([("retry-after", value)]), now: now), "\(value)")
        }
    }

    @Test func retryAfterMsTakesPrecedence() throws {
        let headers = HTTPHeaders([("retry-after", "30"), ("retry-after-ms", "1500")])
        #expect(RetryPolicy.serverRequestedDelay(headers, now: now) == 1.5)
        var random = SeededGenerator(seed: 7)
        #expect(RetryPolicy().delay(beforeRetry: 0, headers: headers, now: now, using: &random) == .milliseconds(1500))
        // Unparseable milliseconds fall back to retry-after.
        let fallback = HTTPHeaders([("Retry-After-Ms", "soon"), ("Retry-After", "30")])
        #expect(RetryPolicy.serverRequestedDelay(fallback, now: now) == 30)
        // A parseable but unusable retry-after-ms still wins (as in Python): the backoff is used, not retry-after.
        let negative = HTTPHeaders([("retry-after-ms", "-5"), ("retry-after", "30")])
        #expect(RetryPolicy.serverRequestedDelay(negative, now: now) == -0.005)
        let delay = RetryPolicy(jitter: 1...1).delay(beforeRetry: 0, headers: negative, now: now, using: &random)
        #expect(delay == .milliseconds(500))
        // So does a non-finite one (Python's float() takes "nan" and "inf"): no server delay, and retry-after is ignored.
        for value in ["nan", "inf"] {
            let nonFinite = HTTPHeaders([("retry-after-ms", value), ("retry-after", "30")])
            #expect(RetryPolicy.serverRequestedDelay(nonFinite, now: now) == nil, "\(value)")
            let wait = RetryPolicy(jitter: 1...1).delay(beforeRetry: 1, headers: nonFinite, now: now, using: &random)
            #expect(wait == .seconds(1), "\(value)")
        }
        // Fractional milliseconds and seconds.
        #expect(RetryPolicy.serverRequestedDelay(HTTPHeaders([("retry-after-ms", "250.5")]), now: now) == 0.2505)
        #expect(RetryPolicy.serverRequestedDelay(HTTPHeaders([("retry-after", "2.5")]), now: now) == 2.5)
    }

    @Test func serverRequestedDelayRejectsWhatItCannotUse() {
        for value in [
            "", "  ", "inf", "-inf", "nan", "Infinity", "1e400", "0x10", "soon", "1_", "_1", "1__0", "1.2.3",
            "e5", ".", "+", "20s", "Zun, 29 Sep 2023 16:26:57 GMT", "Fri, 29 Sep 100000 16:26:57 GMT",
        ] {
            #expect(
                RetryPolicy.serverRequestedDelay(HTTPHeaders([("retry-after", value)]), now: now) == nil, "\(value)")
        }
        #expect(RetryPolicy.serverRequestedDelay(HTTPHeaders(), now: now) == nil)
        #expect(RetryPolicy.serverRequestedDelay(HTTPHeaders([("retry-after-ms", "inf")]), now: now) == nil)
    }

    @Test func serverRequestedDelayAcceptsPythonFloats() {
        let cases: [(String, Double)] = [
            ("20", 20), (" 20 ", 20), ("+3", 3), ("-10", -10), ("1.5", 1.5), (".5", 0.5), ("5.", 5), ("1e1", 10),
            ("1E+1", 10), ("1_0", 10), ("2.5e-1", 0.25), ("99999999999999999999999999999999999", 1e35),
        ]
        for (text, expected) in cases {
            #expect(
                RetryPolicy.serverRequestedDelay(HTTPHeaders([("retry-after", text)]), now: now) == expected, "\(text)")
        }
    }

    @Test(arguments: [
        TransportError.Kind.connect, .connectTimeout, .totalTimeout, .idleTimeout, .connectionLost,
    ])
    func transientTransportErrorsAreRetried(_ kind: TransportError.Kind) {
        #expect(RetryPolicy().shouldRetry(error: TransportError(kind: kind, message: "x")))
    }

    @Test(arguments: [TransportError.Kind.tooLarge, .cancelled, .invalidRequest, .other])
    func permanentTransportErrorsAreNotRetried(_ kind: TransportError.Kind) {
        #expect(!RetryPolicy().shouldRetry(error: TransportError(kind: kind, message: "x")))
    }

    @Test func exponentialBackoffWithoutJitter() {
        let policy = RetryPolicy(jitter: 1...1)
        var random = SeededGenerator(seed: 3)
        let delays = (0..<7).map { policy.delay(beforeRetry: $0, headers: nil, now: now, using: &random) }
        #expect(
            delays == [
                .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8),
            ])
        // A negative index counts as the first retry.
        #expect(policy.delay(beforeRetry: -4, headers: nil, now: now, using: &random) == .milliseconds(500))
    }

    @Test(arguments: [64, 1_000, 1_023, 1_024, 1_103, 100_000, Int.max])
    func hugeRetryIndexIsCappedWithoutOverflow(_ retry: Int) {
        var random = SeededGenerator(seed: 11)
        #expect(
            RetryPolicy(jitter: 1...1).delay(beforeRetry: retry, headers: nil, now: now, using: &random) == .seconds(8))
        let jittered = RetryPolicy().delay(beforeRetry: retry, headers: HTTPHeaders(), now: now, using: &random)
        #expect(jittered >= .seconds(6) && jittered <= .seconds(8))
    }

    @Test func tinyInitialBackoffStillReachesTheCap() {
        let policy = RetryPolicy(initialBackoff: .nanoseconds(1), maxBackoff: .seconds(30), jitter: 1...1)
        var random = SeededGenerator(seed: 5)
        #expect(policy.delay(beforeRetry: 200, headers: nil, now: now, using: &random) == .seconds(30))
        #expect(policy.delay(beforeRetry: 0, headers: nil, now: now, using: &random) == .nanoseconds(1))
    }

    @Test func jitterRangeIsRespectedOverManyDraws() {
        let policy = RetryPolicy()
        var random = SeededGenerator(seed: 42)
        var lowest = Double.infinity
        var highest = -Double.infinity
        for draw in 0..<10_000 {
            let delay = seconds(policy.delay(beforeRetry: draw % 6, headers: nil, now: now, using: &random))
            let base = min(0.5 * Double(1 << (draw % 6)), 8)
            let factor = delay / base
            lowest = min(lowest, factor)
            highest = max(highest, factor)
        }
        #expect(lowest >= 0.75 && highest <= 1.0)
        // The draws actually spread over the range rather than sitting at one end.
        #expect(lowest < 0.76 && highest > 0.99)
    }

    @Test func customJitterRangeIsRespected() {
        let policy = RetryPolicy(initialBackoff: .seconds(1), maxBackoff: .seconds(1), jitter: 0.5...1.5)
        var random = SeededGenerator(seed: 9)
        for _ in 0..<2_000 {
            let delay = policy.delay(beforeRetry: 0, headers: nil, now: now, using: &random)
            #expect(delay >= .milliseconds(500) && delay <= .milliseconds(1500))
        }
    }

    @Test func serverDelayIsNotJittered() {
        var random = SeededGenerator(seed: 8)
        let headers = HTTPHeaders([("retry-after", "7")])
        for _ in 0..<100 {
            #expect(RetryPolicy().delay(beforeRetry: 2, headers: headers, now: now, using: &random) == .seconds(7))
        }
    }

    @Test func seededGeneratorIsReproducible() {
        var a = SeededGenerator(seed: 123)
        var b = SeededGenerator(seed: 123)
        var c = SeededGenerator(seed: 124)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
        // SplitMix64's published first output for seed 0.
        var zero = SeededGenerator(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }
}

@Suite("HTTPDate")
struct HTTPDateTests {
    /// Fri, 29 Sep 2023 16:26:57 GMT
    let expected = Date(timeIntervalSince1970: 1_696_004_817)

    @Test(arguments: [
        "Fri, 29 Sep 2023 16:26:57 GMT",  // IMF-fixdate
        "Friday, 29-Sep-23 16:26:57 GMT",  // RFC 850
        "Fri Sep 29 16:26:57 2023",  // asctime
        "Fri  Sep 29  16:26:57  2023",
        "29 Sep 2023 16:26:57 GMT",  // no weekday
        "Fri,29 Sep 2023 16:26:57 GMT",
        "fri, 29 sep 2023 16:26:57 gmt",
        "Fri, 29 September 2023 16:26:57 UTC",
        "Fri, 29 Sep 2023 18:26:57 +0200",
        "Fri, 29 Sep 2023 11:26:57 -0500",
        "  Fri,  29 Sep 2023 16:26:57 GMT  ",
    ])
    func acceptedForms(_ text: String) {
        #expect(HTTPDate.parse(text) == expected)
    }

    @Test(arguments: [
        "",
        "Zun, 29 Sep 2023 16:26:57 GMT",  // not a weekday
        "Fri, 29 Sep 100000 16:26:57 GMT",  // absurd year
        "Fri, 29 Sep 202 16:26:57 GMT",
        "Fri, 31 Sep 2023 16:26:57 GMT",  // September has 30 days
        "Fri, 29 Feb 2023 16:26:57 GMT",  // not a leap year
        "Fri, 0 Sep 2023 16:26:57 GMT",
        "Fri, 29 Sep 2023 24:00:00 GMT",
        "Fri, 29 Sep 2023 16:60:00 GMT",
        "Fri, 29 Sep 2023 16:26:61 GMT",
        "Fri, 29 Foo 2023 16:26:57 GMT",
        "Fri, 29 Sep 2023 16:26:57 XYZ",
        "Fri, 29 Sep 2023 16:26:57 +2400",
        "Fri, +29 Sep 2023 16:26:57 GMT",
        "Fri, 29 Sep 2023 16-26-57 GMT",
        "Friday, 29-Sep 16:26:57 GMT",
        "Fri, 29 Sep 2023",
        "tomorrow",
    ])
    func rejectedForms(_ text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test func calendarArithmetic() {
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        #expect(HTTPDate.parse("Tue, 29 Feb 2000 00:00:00 GMT") == Date(timeIntervalSince1970: 951_782_400))
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Fri, 31 Dec 9999 23:59:59 GMT") == Date(timeIntervalSince1970: 253_402_300_799))
        #expect(HTTPDate.parse("Wed, 31 Dec 1969 23:59:59 GMT") == Date(timeIntervalSince1970: -1))
        // Two-digit years pivot as in Python's parsedate_tz: 69...99 → 19xx, 00...68 → 20xx.
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Thursday, 01-Jan-70 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        #expect(HTTPDate.parse("Sat, 01-Jan-00 00:00:00 GMT") == Date(timeIntervalSince1970: 946_684_800))
        // A leap second rolls into the next minute.
        #expect(HTTPDate.parse("Sat, 31 Dec 2016 23:59:60 GMT") == Date(timeIntervalSince1970: 1_483_228_800))
        // Seconds may be omitted.
        #expect(HTTPDate.parse("Fri, 29 Sep 2023 16:26 GMT") == Date(timeIntervalSince1970: 1_696_004_760))
    }

    /// A deliberate difference from `parsedate_tz`, which skips any first word ending in a comma: a future date
    /// behind a false weekday is not honoured. The conformance case (a past date) comes out the same either way.
    @Test func invalidWeekdayIsNotHonouredEvenForAFutureDate() {
        let now = Date(timeIntervalSince1970: 1_696_004_797)
        let headers = HTTPHeaders([("retry-after", "Zun, 29 Sep 2023 16:26:57 GMT")])
        #expect(RetryPolicy.serverRequestedDelay(headers, now: now) == nil)
        let valid = HTTPHeaders([("retry-after", "Fri, 29 Sep 2023 16:26:57 GMT")])
        #expect(RetryPolicy.serverRequestedDelay(valid, now: now) == 20)
    }
}
