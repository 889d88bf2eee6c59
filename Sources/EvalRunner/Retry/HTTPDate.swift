import Foundation

/// Parses the dates a server may put in `Retry-After` (RFC 9110 §5.6.7), written by hand.
///
/// Why not `DateFormatter` (or `Date.ParseStrategy`): its result depends on things a header must not depend on — the
/// process locale (month and weekday names are localised unless the locale is pinned to `en_US_POSIX`), the user's
/// calendar (Buddhist, Japanese...), its lenient mode, and which Foundation is underneath (Darwin and
/// swift-corelibs-foundation on Linux disagree at the edges). It is also one format per formatter, while the reference
/// — the OpenAI Python client, which calls `email.utils.parsedate_tz` — accepts several forms with one rule set.
/// This parser accepts what `parsedate_tz` accepts for the forms HTTP uses:
///
/// - IMF-fixdate: `Fri, 29 Sep 2023 16:26:57 GMT`
/// - RFC 850:     `Friday, 29-Sep-23 16:26:57 GMT` (two-digit years: 69...99 → 19xx, 00...68 → 20xx, as Python does)
/// - asctime:     `Fri Sep 29 16:26:57 2023` (no zone: read as GMT, as HTTP says; Python would use local time)
///
/// It also takes, like `parsedate_tz`, a missing weekday, full month names, a missing space after the weekday's comma,
/// `hh:mm` without seconds, and the zones `GMT`, `UT`, `UTC`, `Z` and `±hhmm`.
///
/// Where it is stricter than `parsedate_tz`, on purpose: a weekday, when present, must be a real weekday name
/// (`parsedate_tz` skips any word ending in a comma, so it takes `Zun,`); fields must be in range (day within its
/// month, hour 0...23, minute 0...59, second 0...60 — `parsedate_tz` lets `calendar.timegm` roll them over); the year
/// has two or four digits (so `100000` is rejected: Python's `timegm` cannot represent it either). The reference's
/// conformance cases give the same results under both readings.
enum HTTPDate {
    /// The instant written in `text`, or nil when it is not one of the accepted forms.
    static func parse(_ text: String) -> Date? {
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).map(
            String.init)
        guard let first = tokens.first else { return nil }

        // An optional weekday, first.
        if first.hasSuffix(",") {
            guard isWeekday(first.dropLast()) else { return nil }
            tokens.removeFirst()
        } else if let comma = first.firstIndex(of: ",") {
            // "Fri,29 Sep ..." — the space after the comma is optional in RFC 5322.
            guard isWeekday(first[..<comma]) else { return nil }
            tokens[0] = String(first[first.index(after: comma)...])
        } else if isWeekday(first[...]) {
            tokens.removeFirst()  // asctime: "Fri Sep 29 16:26:57 2023"
        }

        let day: String
        let month: String
        let year: String
        let time: String
        let zone: String?
        switch tokens.count {
        case 5:  // IMF-fixdate (after the weekday): 29 Sep 2023 16:26:57 GMT
            (day, month, year, time, zone) = (tokens[0], tokens[1], tokens[2], tokens[3], tokens[4])
        case 3:  // RFC 850: 29-Sep-23 16:26:57 GMT
            let parts = tokens[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { return nil }
            (day, month, year, time, zone) = (parts[0], parts[1], parts[2], tokens[1], tokens[2])
        case 4:  // asctime: Sep 29 16:26:57 2023
            (month, day, time, year, zone) = (tokens[0], tokens[1], tokens[2], tokens[3], nil)
        default:
            return nil
        }

        guard let monthNumber = monthNumber(month),
            let dayNumber = number(day, digits: 1...2),
            let yearNumber = fullYear(year),
            let (hour, minute, second) = clock(time)
        else { return nil }
        var offset = 0
        if let zone {
            guard let zoneOffset = zoneOffset(zone) else { return nil }
            offset = zoneOffset
        }
        guard (1...daysIn(month: monthNumber, year: yearNumber)).contains(dayNumber) else { return nil }

        let days = daysSinceEpoch(year: yearNumber, month: monthNumber, day: dayNumber)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static let weekdays: Set<String> = [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ]

    private static let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    private static let fullMonths = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ]

    private static func isWeekday(_ word: Substring) -> Bool {
        weekdays.contains(word.lowercased())
    }

    private static func monthNumber(_ word: String) -> Int? {
        let lower = word.lowercased()
        if let index = months.firstIndex(of: lower) ?? fullMonths.firstIndex(of: lower) { return index + 1 }
        return nil
    }

    /// A run of ASCII digits whose length is in `digits` (`Int("+5")` would take a sign; headers must not).
    private static func number(_ text: some StringProtocol, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return text.utf8.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// Four digits as written, or two digits with `parsedate_tz`'s pivot (> 68 → 19xx, else 20xx).
    private static func fullYear(_ text: String) -> Int? {
        if let twoDigits = number(text, digits: 2...2) {
            return twoDigits > 68 ? 1900 + twoDigits : 2000 + twoDigits
        }
        guard let year = number(text, digits: 4...4), year >= 1 else { return nil }
        return year
    }

    /// `hh:mm:ss` or `hh:mm`, in range; a leap second (60) is allowed and rolls into the next minute.
    private static func clock(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
            let hour = number(parts[0], digits: 1...2), hour <= 23,
            let minute = number(parts[1], digits: 1...2), minute <= 59
        else { return nil }
        guard parts.count == 3 else { return (hour, minute, 0) }
        guard let second = number(parts[2], digits: 1...2), second <= 60 else { return nil }
        return (hour, minute, second)
    }

    /// Seconds east of UTC.
    private static func zoneOffset(_ text: String) -> Int? {
        switch text.uppercased() {
        case "GMT", "UT", "UTC", "Z": return 0
        default: break
        }
        guard let sign = text.first, sign == "+" || sign == "-",
            let hhmm = number(text.dropFirst(), digits: 4...4)
        else { return nil }
        let hours = hhmm / 100
        let minutes = hhmm % 100
        guard hours <= 23, minutes <= 59 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3_600 + minutes * 60)
    }

    private static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 0001-01-01 to the first of January of `year` (proleptic Gregorian, year >= 1).
    private static func daysBefore(year: Int) -> Int {
        let y = year - 1
        return 365 * y + y / 4 - y / 100 + y / 400
    }

    private static let daysBeforeMonth = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]

    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let leapDay = month > 2 && isLeap(year) ? 1 : 0
        return daysBefore(year: year) - daysBefore(year: 1970) + daysBeforeMonth[month - 1] + leapDay + day - 1
    }
}
