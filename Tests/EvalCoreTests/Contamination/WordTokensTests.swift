import EvalCore
import Testing

/// The words contamination compares: the byte-wise path (ASCII and basic Cyrillic) and the general one (anything
/// else, NFKC first) must give the same words for the same text.
@Suite struct WordTokensTests {
    static func words(_ text: String) -> [String] {
        let tokens = WordTokens(text)
        return tokens.ranges.indices.map { tokens.span(words: $0..<$0 + 1) }
    }

    @Test func punctuationAndSpaceSeparateWordsAndCaseAndFormsFold() {
        #expect(Self.words("E-mail, please!  Now") == ["E", "mail", "please", "Now"])
        #expect(WordTokens("E-MAIL please now").hashes == WordTokens("e mail, PLEASE — now").hashes)
        // ё is е; Cyrillic folds like Latin.
        #expect(WordTokens("ЁЛКА Ёж").hashes == WordTokens("елка еж").hashes)
        // A decomposed accent (the general path) equals the composed letter; a fullwidth letter its ASCII form.
        #expect(WordTokens("Café").hashes == WordTokens("cafe\u{301}").hashes)
        #expect(WordTokens("ＡＢＣ 12").hashes == WordTokens("abc 12").hashes)
        // A symbol outside the byte-wise path sends the text the general way: the words stay the same.
        #expect(WordTokens("привет мир ✓ hello").hashes == WordTokens("Привет, мир! Hello").hashes)
        #expect(WordTokens("привет мир ✓ hello").hashes.count == 3)
    }

    @Test func differentWordsDiffer() {
        #expect(WordTokens("return policy").hashes != WordTokens("refund policy").hashes)
        #expect(WordTokens("ab c").hashes != WordTokens("a bc").hashes)
        #expect(WordTokens("").hashes.isEmpty)
        #expect(WordTokens("... — !!!").hashes.isEmpty)
    }

    @Test func theGeneralPathKeepsRangesIntoItsOwnForm() {
        let tokens = WordTokens("née ＡＢＣ")
        #expect(tokens.span(words: 0..<2) == "née ABC")
    }
}
