import Foundation
import Testing

@testable import Scoring

/// The promise packs are compiled in from Promises/Packs/*.json by scripts/embed-resources: the JSON files stay the
/// source of truth, and this test fails when the compiled-in copy has drifted from them.
@Suite struct BuiltinPackSourcesTests {
    static let packs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "Sources/Scoring/Promises/Packs")

    @Test func theCompiledInPacksAreTheJSONFilesByteForByte() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.packs.path).filter {
            $0.hasSuffix(".json")
        }.sorted()
        #expect(!files.isEmpty)
        #expect(
            BuiltinPackSources.json.keys.sorted() == files.map { String($0.dropLast(".json".count)) },
            "a pack was added or removed: run scripts/embed-resources")
        for file in files {
            let onDisk = try Data(contentsOf: Self.packs.appendingPathComponent(file))
            let compiled = BuiltinPackSources.json[String(file.dropLast(".json".count))].map { Data($0.utf8) }
            #expect(
                compiled == onDisk,
                "Promises/Packs/\(file) changed since it was compiled in: run scripts/embed-resources")
        }
    }
}
