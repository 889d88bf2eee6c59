import ArgumentParser
import EvalCore
import Foundation
import Scoring

/// Suites named on the command line: each path is a suite folder or a folder of suites. Shared by every command that
/// reads eval sets, so that they all find, load and report them the same way.
struct SuitePaths {
    var directories: [String] = []
    var suites: [Suite] = []
    /// With `lazily`: the suites, their cases left in cases.jsonl.
    var lazySuites: [LazySuite] = []
    var caseCount = 0
    var diagnostics: [Diagnostic] = []

    var errorCount: Int { diagnostics.filter(\.isError).count }

    /// Finds and loads every suite under `paths`, collecting every problem; a folder named twice is loaded once.
    static func load(_ paths: [String], maxLineBytes: Int = SuiteLoader.defaultMaxLineBytes, lazily: Bool = false)
        -> SuitePaths
    {
        var loaded = SuitePaths()
        var seen: Set<String> = []
        for path in paths {
            guard FileManager.default.fileExists(atPath: path) else {
                loaded.diagnostics.append(.error("no such file or directory", path: path))
                continue
            }
            let discovery = SuiteLoader.discover(path)
            loaded.diagnostics += discovery.diagnostics
            for directory in discovery.directories {
                let key = URL(fileURLWithPath: directory).standardizedFileURL.path
                if seen.insert(key).inserted { loaded.directories.append(directory) }
            }
        }
        for directory in loaded.directories {
            if lazily {
                let result = SuiteLoader.loadLazily(
                    directory: directory, maxLineBytes: maxLineBytes, validateCheck: checkProblem)
                loaded.diagnostics += result.diagnostics
                loaded.caseCount += result.caseCount
                if let suite = result.suite { loaded.lazySuites.append(suite) }
            } else {
                let result = SuiteLoader.load(
                    directory: directory, maxLineBytes: maxLineBytes, validateCheck: checkProblem)
                loaded.diagnostics += result.diagnostics
                loaded.caseCount += result.caseCount
                if let suite = result.suite { loaded.suites.append(suite) }
            }
        }
        loaded.diagnostics += SuiteLoader.duplicateNames(lazily ? loaded.lazySuites : loaded.suites)
        return loaded
    }

    /// Loads suites for a command that needs them all to be valid: prints every diagnostic and exits 2 on errors.
    static func loadValid(_ paths: [String]) throws -> [Suite] {
        try loadValid(paths, lazily: false).suites
    }

    /// As `loadValid`, keeping the cases in their files: for `run`, whose suites may have 100,000 cases.
    static func loadValidLazily(_ paths: [String]) throws -> [LazySuite] {
        try loadValid(paths, lazily: true).lazySuites
    }

    private static func loadValid(_ paths: [String], lazily: Bool) throws -> SuitePaths {
        guard !paths.isEmpty else {
            throw CLIError.usage("no suites given: name suite folders (or set `suites:` in the config file)").report()
        }
        let loaded = load(paths, lazily: lazily)
        if !loaded.diagnostics.isEmpty {
            FileHandle.standardError.write(Data(loaded.diagnostics.map { "\($0)\n" }.joined().utf8))
        }
        if loaded.errorCount > 0 { throw ExitCode(2) }
        guard !(lazily ? loaded.lazySuites.isEmpty : loaded.suites.isEmpty) else {
            throw CLIError.usage("no suites found under \(paths.joined(separator: ", "))").report()
        }
        return loaded
    }

    /// Why the standard check registry cannot build a spec, or nil when it can.
    static func checkProblem(_ spec: CheckSpec) -> String? {
        do {
            _ = try CheckRegistry.standard.make(spec)
            return nil
        } catch {
            return error.message
        }
    }
}
