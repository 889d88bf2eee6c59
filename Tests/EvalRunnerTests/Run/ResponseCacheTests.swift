import EvalCore
import EvalRunner
import Foundation
import Testing

/// The response cache's one append-only file: entries survive the process, the last record of a key wins, a torn
/// last record (a run killed mid-write) costs only that entry, concurrent writers lose nothing, and caches of the
/// one-file-per-entry format are still read.
@Suite("Response cache file")
struct ResponseCacheTests {
    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-cache-\(UUID().uuidString)").path
    }

    static func key(_ name: String) -> String { SHA256.hex(Array(name.utf8)) }

    static func answer(_ text: String) -> ResponseRecord {
        ResponseRecord(
            content: text, finishReason: "stop", model: "m", promptTokens: 3, completionTokens: 5, latencyMs: 12.5,
            attempts: 2, systemFingerprint: "fp")
    }

    @Test("an entry stored is found by another cache on the same folder, as a cached record; the file is owner-only")
    func roundTrip() throws {
        let folder = Self.folder()
        let writer = ResponseCache(directory: folder, mode: .use)
        #expect(writer.load(key: Self.key("a")) == nil)
        #expect(writer.store(Self.answer("Привет\nмир"), key: Self.key("a")))
        #expect(writer.load(key: Self.key("a"))?.content == "Привет\nмир", "the writer's own index learns the entry")

        let reader = ResponseCache(directory: folder, mode: .use)
        #expect(reader.contains(key: Self.key("a")))
        #expect(!reader.contains(key: Self.key("b")))
        var expected = Self.answer("Привет\nмир")
        expected.cached = true
        expected.attempts = 0
        #expect(reader.load(key: Self.key("a")) == expected)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/responses.v3.jsonl")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(ResponseCache(directory: folder, mode: .off).load(key: Self.key("a")) == nil)
        #expect(ResponseCache(directory: folder, mode: .refresh).load(key: Self.key("a")) == nil)
        #expect(reader.load(key: "not a key") == nil)
        #expect(!reader.store(Self.answer("x"), key: "NOT-HEX"))
    }

    @Test("a refreshed entry replaces the old one for every later reader")
    func lastRecordWins() {
        let folder = Self.folder()
        ResponseCache(directory: folder, mode: .use).store(Self.answer("old"), key: Self.key("a"))
        let refresh = ResponseCache(directory: folder, mode: .refresh)
        #expect(refresh.store(Self.answer("new"), key: Self.key("a")))
        #expect(ResponseCache(directory: folder, mode: .use).load(key: Self.key("a"))?.content == "new")
    }

    @Test("a record torn by a kill is skipped, and the records written after it are read")
    func tornRecord() throws {
        let folder = Self.folder()
        ResponseCache(directory: folder, mode: .use).store(Self.answer("kept"), key: Self.key("a"))
        // What a kill in the middle of write(2) leaves: the start of a record and no newline.
        let handle = try #require(FileHandle(forWritingAtPath: folder + "/responses.v3.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(("\n" + Self.key("torn") + #" {"attempts":1,"cont"#).utf8))
        try handle.close()

        let afterKill = ResponseCache(directory: folder, mode: .use)
        #expect(afterKill.load(key: Self.key("a"))?.content == "kept")
        #expect(afterKill.load(key: Self.key("torn")) == nil)
        #expect(afterKill.store(Self.answer("later"), key: Self.key("b")))

        let reader = ResponseCache(directory: folder, mode: .use)
        #expect(reader.load(key: Self.key("a"))?.content == "kept")
        #expect(reader.load(key: Self.key("torn")) == nil)
        #expect(reader.load(key: Self.key("b"))?.content == "later")
    }

    @Test("lines that are not records (garbage, a key without an entry, an entry that does not decode) are skipped")
    func foreignLines() throws {
        let folder = Self.folder()
        ResponseCache(directory: folder, mode: .use).store(Self.answer("kept"), key: Self.key("a"))
        let handle = try #require(FileHandle(forWritingAtPath: folder + "/responses.v3.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data("garbage\n\n\(Self.key("b"))\n\(Self.key("c")) {\"content\":1}\n".utf8))
        try handle.close()
        let reader = ResponseCache(directory: folder, mode: .use)
        #expect(reader.load(key: Self.key("a"))?.content == "kept")
        #expect(reader.load(key: Self.key("b")) == nil)
        #expect(reader.load(key: Self.key("c")) == nil)
    }

    @Test("two caches on one folder written from many tasks at once keep every entry whole")
    func concurrentWriters() async {
        let folder = Self.folder()
        let caches = [ResponseCache(directory: folder, mode: .use), ResponseCache(directory: folder, mode: .use)]
        let long = String(repeating: "ответ ", count: 2_000)
        await withTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask { caches[index % 2].store(Self.answer("\(index) \(long)"), key: Self.key("\(index)")) }
            }
            for await stored in group { #expect(stored) }
        }
        let reader = ResponseCache(directory: folder, mode: .use)
        for index in 0..<200 { #expect(reader.load(key: Self.key("\(index)"))?.content == "\(index) \(long)") }
    }

    @Test("a cache of the one-file-per-entry format is still read; new entries go to the file")
    func legacyEntries() throws {
        let folder = Self.folder()
        let key = Self.key("legacy")
        try FileManager.default.createDirectory(atPath: folder + "/" + key.prefix(2), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(Self.answer("from the old format")).write(
            to: URL(fileURLWithPath: "\(folder)/\(key.prefix(2))/\(key).json"))

        let cache = ResponseCache(directory: folder, mode: .use)
        #expect(cache.contains(key: key))
        #expect(cache.load(key: key)?.content == "from the old format")
        #expect(cache.load(key: Self.key("other")) == nil)
        #expect(cache.store(Self.answer("new"), key: Self.key("other")))
        #expect(FileManager.default.fileExists(atPath: folder + "/responses.v3.jsonl"))
        #expect(ResponseCache(directory: folder, mode: .use).load(key: Self.key("other"))?.content == "new")
    }
}
