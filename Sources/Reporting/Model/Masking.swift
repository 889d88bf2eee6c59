import EvalCore
import Foundation

/// How evidence of personal data is shown: reports are pasted into PR comments and CI logs, so PII found in an
/// answer is masked unless the reader asks for it, and secrets (API keys, tokens, private keys) always are.
public enum PIIMask {
    /// `+79161234567` → `+7••••••••67`: the first and last two characters kept, one dot per hidden character; four
    /// characters or fewer are hidden whole.
    public static func mask(_ text: String) -> String {
        let count = text.count
        guard count > 4 else { return String(repeating: "•", count: count) }
        return String(text.prefix(2)) + String(repeating: "•", count: count - 4) + String(text.suffix(2))
    }

    /// A secret keeps at most its first four characters (a quarter of it when shorter), enough to tell an `sk-p…`
    /// key from a `ghp_…` token, and never shows its length.
    public static func maskSecret(_ text: String) -> String {
        String(text.prefix(min(4, text.count / 4))) + "••••••••"
    }

    /// The evidence as a report may show it: `pii.*` findings masked unless `showPII`, secrets always. The finding's
    /// message quotes the text too, so its quoted part is masked the same way.
    ///
    /// Any evidence also has the personal data and secrets that `pii` findings found in the same answer masked
    /// wherever it quotes them: a check that quotes the whole answer must not show what the `pii` check hides.
    public static func apply(_ evidence: Evidence, showPII: Bool) -> Evidence {
        var masked = maskingOwnFinding(evidence, showPII: showPII)
        masked.text = masked.text.map { apply($0, sensitive: evidence.sensitive, showPII: showPII) }
        masked.message = apply(masked.message, sensitive: evidence.sensitive, showPII: showPII)
        let pieces = ownPiece(evidence).map { evidence.sensitive + [$0] } ?? evidence.sensitive
        masked.excerpt = evidence.excerpt?.masked(pieces, showPII: showPII)
        return masked
    }

    /// `text` with every occurrence of each sensitive piece masked (personal data unless `showPII`, secrets always).
    public static func apply(_ text: String, sensitive: [SensitiveText], showPII: Bool) -> String {
        var text = text
        // Longest first, so that a phone number inside a longer secret is not masked on its own first.
        for item in sensitive.sorted(by: { $0.text.count > $1.text.count })
        where (item.isSecret || !showPII) && PlainText.bytesContain(item.text, in: text) != false {
            text = text.replacingOccurrences(
                of: item.text, with: item.isSecret ? maskSecret(item.text) : mask(item.text))
        }
        return text
    }

    /// A `pii.*` finding's own text as a piece to mask wherever it is quoted (its excerpt holds it).
    private static func ownPiece(_ evidence: Evidence) -> SensitiveText? {
        SensitiveText(category: evidence.category, text: evidence.text)
    }

    /// A `pii.*` finding's own text and the part of its message that quotes it.
    private static func maskingOwnFinding(_ evidence: Evidence, showPII: Bool) -> Evidence {
        guard evidence.category.isSensitive else { return evidence }
        let secret = evidence.category == .secret
        guard secret || !showPII else { return evidence }
        var masked = evidence
        let hide: (String) -> String = { secret ? maskSecret($0) : mask($0) }
        masked.text = evidence.text.map(hide)
        if let first = evidence.message.firstIndex(of: "'"), let last = evidence.message.lastIndex(of: "'"),
            first < last
        {
            let quoted = String(evidence.message[evidence.message.index(after: first)..<last])
            masked.message =
                String(evidence.message[...first]) + (evidence.text.map(hide) ?? hide(quoted))
                + String(evidence.message[last...])
        } else if let text = evidence.text, !text.isEmpty {
            masked.message = evidence.message.replacingOccurrences(of: text, with: hide(text))
        }
        return masked
    }
}
