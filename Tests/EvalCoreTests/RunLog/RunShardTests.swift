import EvalCore
import Testing

/// A case's shard depends on its suite and id only, and the shares are even.
@Suite struct RunShardTests {
    @Test func aCaseKeepsItsShardWhenCasesAreAddedAndEveryCaseHasExactlyOne() {
        let before = (1...40).map { "case-\($0)" }
        let after = (1...400).map { "case-\($0)" }
        for count in [2, 3, 7] {
            let first = before.map { RunShard.index(suite: "s", caseID: $0, count: count) }
            let second = after.prefix(40).map { RunShard.index(suite: "s", caseID: $0, count: count) }
            #expect(first == second)
            for id in after {
                let owners = (1...count).filter { RunShard(index: $0, count: count).contains(suite: "s", caseID: id) }
                #expect(owners.count == 1)
            }
        }
    }

    @Test func sharesOfSimilarIdsAreEven() {
        // 3000 ids that differ only in their last digits: each of 3 shards gets 1000 ± 10%.
        var sizes = [0, 0, 0]
        for n in 0..<3000 { sizes[RunShard.index(suite: "support", caseID: "q-\(n)", count: 3) - 1] += 1 }
        #expect(sizes.allSatisfy { (900...1100).contains($0) }, "\(sizes)")
        // Parity of the bytes must not decide shard 1/2 (FNV-1a's lowest bit would).
        let halves = (0..<1000).map { RunShard.index(suite: "s", caseID: "c\($0)", count: 2) }
        #expect((400...600).contains(halves.count { $0 == 1 }))
    }

    @Test(arguments: [("2/3", 2, 3), ("1/1", 1, 1), ("10000/10000", 10000, 10000)])
    func goodValuesParse(text: String, index: Int, count: Int) throws {
        #expect(try RunShard.parse(text).get() == RunShard(index: index, count: count))
    }

    @Test(arguments: ["0/3", "4/3", "a/b", "1/0", "", "/", "1/", "1/10001", "+1/3", "１/3", "1 /3"])
    func badValuesAreRefused(text: String) {
        #expect(throws: ShardSyntaxError.self) { try RunShard.parse(text).get() }
    }
}
