import Foundation

/// The git commit of the repository that holds a folder, for the run manifest: which version of the eval sets ran.
enum GitInfo {
    /// (commit, dirty) for `folder`, or nil when it is not in a git work tree or git is not installed.
    static func describe(folder: String) -> (commit: String, dirty: Bool)? {
        guard
            let commit = run(["-C", folder, "rev-parse", "HEAD"], folder: folder)?
                .trimmingCharacters(in: .whitespacesAndNewlines),
            commit.count >= 40, commit.allSatisfy(\.isHexDigit)
        else { return nil }
        let status = run(["-C", folder, "status", "--porcelain", "--", "."], folder: folder) ?? ""
        return (commit, !status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    private static func run(_ arguments: [String], folder: String) -> String? {
        let candidates = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"]
        guard let git = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: git)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
