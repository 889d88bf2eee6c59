import Dispatch
public import EvalCore
import Synchronization

/// Why two runs cannot be compared.
public enum DiffError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The runs differ in settings that were not allowed (`--allow-differences`); every difference is named.
    case notComparable(base: String, candidate: String, differences: [ManifestDifference], setChanges: [SuiteChange])
    /// Both sides are the same run (the same run id): a log compared with itself proves nothing.
    case sameRun(label: String, runID: String)

    public var description: String {
        switch self {
        case .notComparable(let base, let candidate, let differences, let setChanges):
            let kinds = Set(differences.map(\.kind)).sorted()
            let named = differences.map { difference -> String in
                if difference.kind == .suites,
                    let change = setChanges.first(where: { "suites.\($0.suite)" == difference.field })
                {
                    return "\(difference.field): \(change.details)"
                }
                return difference.description
            }
            return "'\(base)' and '\(candidate)' are not comparable, their runs differ in "
                + Format.plural(differences.count, "setting") + ": " + named.joined(separator: "; ")
                + "; rerun both with the same settings, or pass --allow-differences "
                + kinds.map(\.rawValue).joined(separator: ",") + " to compare them anyway"
        case .sameRun(let label, let runID):
            return "the baseline and the candidate are the same run ('\(label)', run id \(runID)): "
                + "a log compared with itself proves nothing; give the baseline's log and the candidate's"
        }
    }
}

extension RunDiff {
    /// Reads both logs and compares them.
    public static func make(base: RunLogReader, candidate: RunLogReader, options: DiffOptions = DiffOptions()) throws
        -> RunDiff
    {
        try make(base: RunIndex.load(base), candidate: RunIndex.load(candidate), options: options)
    }

    /// Compares two runs; throws `DiffError.sameRun` for one run on both sides and `DiffError.notComparable` when
    /// their settings differ in a way `options` does not allow.
    public static func make(base: RunIndex, candidate: RunIndex, options: DiffOptions = DiffOptions()) throws(DiffError)
        -> RunDiff
    {
        if base.manifest.runID == candidate.manifest.runID {
            throw DiffError.sameRun(label: candidate.label, runID: candidate.manifest.runID)
        }
        let differences = ManifestDifference.between(base.manifest, candidate.manifest)
        let setChanges = Self.setChanges(base: base, candidate: candidate)
        let refused = differences.filter { !options.allowedDifferences.contains($0.kind) }
        if !refused.isEmpty {
            throw DiffError.notComparable(
                base: base.label, candidate: candidate.label, differences: refused, setChanges: setChanges)
        }
        let changedSuites = Set(setChanges.map(\.suite))
        var groups = DeltaTally()
        var regressed: [CaseChange] = []
        var fixed: [CaseChange] = []
        var stillFailing: [CaseChange] = []
        var flaky: [CaseChange] = []
        var errored: [CaseChange] = []
        var unchecked: [CaseChange] = []
        var missing: [CaseChange] = []
        var newFindings: [NewFinding] = []
        let show = options.showPII

        mergeJoin(base.cases, candidate.cases) { old, new in
            guard let old, let new else {
                // In one log only: a changed suite's added or removed case, or an unfinished run's missing one.
                let one = (old ?? new)!
                if !changedSuites.contains(one.suite) {
                    missing.append(CaseChange(base: old, candidate: new, evidenceFrom: nil, showPII: show))
                }
                return
            }
            if old.caseHash != new.caseHash { return }
            // "New" needs a baseline answer to the same case to compare with: a case only in the candidate, changed
            // since the baseline, or never answered by it is not evidence of a new leak (its findings are in the
            // candidate's own report). A rule is new when none of the baseline's answers had it: the same promise
            // worded differently, or a different phone number, is not new.
            if old.answeredRepeats > 0 {
                let known = Set(old.risks.map(\.rule))
                for risk in new.risks where !known.contains(risk.rule) {
                    newFindings.append(
                        NewFinding(
                            suite: new.suite, kind: new.kind, caseID: new.caseID, category: risk.category,
                            evidence: PIIMask.apply(risk.evidence, showPII: show), repeats: risk.repeats,
                            answeredRepeats: new.answeredRepeats, baseAnsweredRepeats: old.answeredRepeats))
                }
            }
            if old.isFlaky || new.isFlaky {
                flaky.append(
                    CaseChange(base: old, candidate: new, evidenceFrom: new.isFlaky ? new : old, showPII: show))
            }
            groups.add(base: old, candidate: new)
            switch (old.verdict, new.verdict) {
            case (.error, _), (_, .error):
                errored.append(CaseChange(base: old, candidate: new, evidenceFrom: nil, showPII: show))
            case (.unchecked, _), (_, .unchecked):
                unchecked.append(CaseChange(base: old, candidate: new, evidenceFrom: nil, showPII: show))
            case (.passed, .failed):
                regressed.append(CaseChange(base: old, candidate: new, evidenceFrom: new, showPII: show))
            case (.failed, .passed):
                fixed.append(CaseChange(base: old, candidate: new, evidenceFrom: old, showPII: show))
            case (.failed, .failed):
                stillFailing.append(CaseChange(base: old, candidate: new, evidenceFrom: new, showPII: show))
            case (.passed, .passed):
                break
            }
        }

        groups.finish()
        // Every group's bootstrap at once, on all cores: each is seeded by its group's name, so the order does not
        // change a bound.
        let builder = DeltaBuilder(options: options)
        let suiteNames = groups.suites.keys.sorted()
        let tagNames = groups.tags.keys.sorted()
        let kindNames = SuiteKind.allCases.map(\.rawValue).filter { groups.kinds[$0] != nil }
        let forgetting = groups.kinds[SuiteKind.base.rawValue] != nil
        let baseTagNames = forgetting ? groups.baseTags.keys.sorted() : []
        let targetTagNames = forgetting ? groups.targetTags.keys.sorted() : []
        var requests = [DeltaBuilder.Request(group: "all", name: "all", counts: groups.total, kind: nil)]
        requests += suiteNames.map {
            .init(group: "suite", name: $0, counts: groups.suites[$0]!, kind: groups.suiteKinds[$0])
        }
        requests += tagNames.map { .init(group: "tag", name: $0, counts: groups.tags[$0]!, kind: nil) }
        requests += kindNames.map { .init(group: "kind", name: $0, counts: groups.kinds[$0]!, kind: nil) }
        requests += baseTagNames.map { .init(group: "tag", name: $0, counts: groups.baseTags[$0]!, kind: nil) }
        requests += targetTagNames.map { .init(group: "tag", name: $0, counts: groups.targetTags[$0]!, kind: nil) }
        var deltas = builder.deltas(requests)[...]
        func take(_ count: Int) -> [GroupDelta] {
            defer { deltas = deltas.dropFirst(count) }
            return Array(deltas.prefix(count))
        }
        let total = take(1)[0]
        let suites = take(suiteNames.count)
        let tags = take(tagNames.count)
        let kinds = take(kindNames.count)
        let baseTags = take(baseTagNames.count)
        let targetTags = take(targetTagNames.count)
        let baseInfo = RunInfo(base)
        let candidateInfo = RunInfo(candidate)
        var warnings: [String] = []
        for change in setChanges {
            warnings.append("eval set changed, its changed cases are not compared: " + change.summary)
        }
        warnings += RunSummary.warnings(base) + RunSummary.warnings(candidate)

        return RunDiff(
            base: baseInfo, candidate: candidateInfo, differences: differences,
            scorerChanged: baseInfo.scorerVersion != candidateInfo.scorerVersion,
            setChanges: setChanges,
            total: total,
            kinds: kinds, suites: suites, tags: tags,
            regressed: goldenFirst(regressed), fixed: goldenFirst(fixed), stillFailing: goldenFirst(stillFailing),
            flaky: goldenFirst(flaky), errored: goldenFirst(errored), unchecked: goldenFirst(unchecked),
            missing: goldenFirst(missing),
            newFindings: newFindings.filter { $0.kind == .golden } + newFindings.filter { $0.kind != .golden },
            forgetting: forgetting
                ? Self.forgetting(
                    suites: suites, baseTags: baseTags, targetTags: targetTags, regressed: regressed) : nil,
            latency: Pair(
                base: LatencyStats(sorted: base.latencies), candidate: LatencyStats(sorted: candidate.latencies)),
            tokens: Pair(base: base.tokens, candidate: candidate.tokens),
            errors: Pair(base: ErrorStats(base), candidate: ErrorStats(candidate)),
            answers: Pair(base: AnswerStats(base.cases), candidate: AnswerStats(candidate.cases)),
            warnings: warnings,
            statistics: StatisticsInfo(
                alpha: options.alpha, power: options.power, resamples: options.resamples, seed: options.seed,
                confidence: 0.95),
            candidateCases: candidate.cases
        )
    }

    /// Suites whose content hash differs or that only one run has, with the cases that differ.
    static func setChanges(base: RunIndex, candidate: RunIndex) -> [SuiteChange] {
        let names = Set(base.manifest.suites.map(\.name)).union(candidate.manifest.suites.map(\.name)).sorted()
        var changes: [SuiteChange] = []
        for name in names {
            let old = base.manifest.suite(named: name)?.contentHash
            let new = candidate.manifest.suite(named: name)?.contentHash
            guard old != new else { continue }
            var change = SuiteChange(
                suite: name, baseHash: old, candidateHash: new, changed: [], onlyInBase: [], onlyInCandidate: [])
            mergeJoin(base.cases.filter { $0.suite == name }, candidate.cases.filter { $0.suite == name }) { a, b in
                switch (a, b) {
                case (let a?, let b?): if a.caseHash != b.caseHash { change.changed.append(a.caseID) }
                case (let a?, nil): change.onlyInBase.append(a.caseID)
                case (nil, let b?): change.onlyInCandidate.append(b.caseID)
                case (nil, nil): break
                }
            }
            changes.append(change)
        }
        return changes
    }

    /// The forgetting view from the suites' deltas and the tags' deltas counted over base-suite cases and over the
    /// others.
    static func forgetting(
        suites: [GroupDelta], baseTags: [GroupDelta], targetTags: [GroupDelta], regressed: [CaseChange]
    ) -> Forgetting {
        let baseGroups = suites.filter { $0.kind == .base } + baseTags
        let targetGroups = suites.filter { $0.kind != .base } + targetTags
        let improved = targetGroups.filter { $0.fixed > $0.regressed }
        let lost = baseGroups.filter { $0.regressed > $0.fixed }
        let cases = regressed.filter { $0.kind == .base }
        let detected = !improved.isEmpty && !lost.isEmpty
        func names(_ deltas: [GroupDelta]) -> String {
            deltas.prefix(5).map { "\($0.name) (\(Format.points($0.delta)))" }.joined(separator: ", ")
                + (deltas.count > 5 ? " and \(deltas.count - 5) more" : "")
        }
        let summary: String
        if detected {
            summary =
                "Forgetting: the candidate improves on \(names(improved)) while regressing on base skills: "
                + "\(names(lost)); \(cases.count) base case\(cases.count == 1 ? "" : "s") regressed."
        } else if !lost.isEmpty {
            summary =
                "Base skills regressed: \(names(lost)); \(cases.count) base case\(cases.count == 1 ? "" : "s") regressed."
        } else {
            summary = "No forgetting: no base suite or base tag lost more cases than it gained."
        }
        return Forgetting(detected: detected, improved: improved, regressed: lost, cases: cases, summary: summary)
    }
}

/// Golden cases first, each part in its order: golden regressions and failures lead every list.
func goldenFirst(_ changes: [CaseChange]) -> [CaseChange] {
    changes.filter { $0.kind == .golden } + changes.filter { $0.kind != .golden }
}

/// Calls `body` for each key of two arrays sorted by key, with the element of each side (nil when absent).
func mergeJoin(_ left: [CaseOutcome], _ right: [CaseOutcome], _ body: (CaseOutcome?, CaseOutcome?) -> Void) {
    var i = 0
    var j = 0
    while i < left.count || j < right.count {
        if j == right.count || (i < left.count && left[i].key < right[j].key) {
            body(left[i], nil)
            i += 1
        } else if i == left.count || right[j].key < left[i].key {
            body(nil, right[j])
            j += 1
        } else {
            body(left[i], right[j])
            i += 1
            j += 1
        }
    }
}

/// Paired counts of a group.
struct PairedCounts {
    var paired = 0
    var basePassed = 0
    var candidatePassed = 0
    var regressed = 0
    var fixed = 0
    var errors = 0
    var unchecked = 0
    var base = StatusCounts()
    var candidate = StatusCounts()

    mutating func add(base old: CaseOutcome, candidate new: CaseOutcome) {
        guard old.verdict != .error, new.verdict != .error else {
            errors += 1
            return
        }
        guard old.verdict != .unchecked, new.verdict != .unchecked else {
            unchecked += 1
            return
        }
        paired += 1
        base.add(old.verdict)
        candidate.add(new.verdict)
        switch (old.verdict, new.verdict) {
        case (.passed, .failed): regressed += 1
        case (.failed, .passed): fixed += 1
        default: break
        }
    }
}

/// The paired counts of the whole diff and of each kind, suite and tag. A diff visits its cases sorted by suite, and
/// a log's cases share their tags arrays, so most cases find their groups by comparing with the last case's instead
/// of hashing names; `finish()` lays the counts out by name.
struct DeltaTally {
    var total = PairedCounts()
    private(set) var kinds: [String: PairedCounts] = [:]
    private(set) var suites: [String: PairedCounts] = [:]
    private(set) var suiteKinds: [String: SuiteKind] = [:]
    private(set) var tags: [String: PairedCounts] = [:]
    /// Tags counted over base-suite cases only, and over the other cases only: the forgetting view.
    private(set) var baseTags: [String: PairedCounts] = [:]
    private(set) var targetTags: [String: PairedCounts] = [:]

    private var kindGroups = Groups()
    private var suiteGroups = Groups()
    /// The kind of each suite slot's last case.
    private var suiteKindList: [SuiteKind] = []
    private var tagGroups = Groups()
    private var baseTagGroups = Groups()
    private var targetTagGroups = Groups()
    private var lastSuite: (name: String, kind: SuiteKind, suite: Int, kindSlot: Int)?
    /// The last case's tags, and the slots of its distinct tags in `tagGroups` and in the base or target groups.
    private var lastTags: (tags: [String], base: Bool, slots: [(all: Int, side: Int)])?

    /// Counts by name in first-seen order.
    struct Groups {
        var names: [String] = []
        var counts: [PairedCounts] = []
        var slots: [String: Int] = [:]

        mutating func slot(_ name: String) -> Int {
            if let slot = slots[name] { return slot }
            names.append(name)
            counts.append(PairedCounts())
            slots[name] = names.count - 1
            return names.count - 1
        }

        var byName: [String: PairedCounts] { Dictionary(uniqueKeysWithValues: zip(names, counts)) }
    }

    mutating func add(base old: CaseOutcome, candidate new: CaseOutcome) {
        total.add(base: old, candidate: new)
        let groups: (name: String, kind: SuiteKind, suite: Int, kindSlot: Int)
        if let last = lastSuite, last.name == new.suite, last.kind == new.kind {
            groups = last
        } else {
            let suite = suiteGroups.slot(new.suite)
            if suite == suiteKindList.count { suiteKindList.append(new.kind) }
            groups = (new.suite, new.kind, suite, kindGroups.slot(new.kind.rawValue))
            lastSuite = groups
        }
        suiteKindList[groups.suite] = new.kind
        kindGroups.counts[groups.kindSlot].add(base: old, candidate: new)
        suiteGroups.counts[groups.suite].add(base: old, candidate: new)
        let base = new.kind == .base
        let slots: [(all: Int, side: Int)]
        if let last = lastTags, last.base == base, last.tags == new.tags {
            slots = last.slots
        } else {
            var seen: Set<String> = []
            var found: [(all: Int, side: Int)] = []
            for tag in new.tags where seen.insert(tag).inserted {
                found.append((tagGroups.slot(tag), base ? baseTagGroups.slot(tag) : targetTagGroups.slot(tag)))
            }
            slots = found
            lastTags = (new.tags, base, found)
        }
        for slot in slots {
            tagGroups.counts[slot.all].add(base: old, candidate: new)
            if base {
                baseTagGroups.counts[slot.side].add(base: old, candidate: new)
            } else {
                targetTagGroups.counts[slot.side].add(base: old, candidate: new)
            }
        }
    }

    /// Lays the counts out by name, after the last case.
    mutating func finish() {
        kinds = kindGroups.byName
        suites = suiteGroups.byName
        suiteKinds = Dictionary(uniqueKeysWithValues: zip(suiteGroups.names, suiteKindList))
        tags = tagGroups.byName
        baseTags = baseTagGroups.byName
        targetTags = targetTagGroups.byName
    }
}

struct DeltaBuilder {
    var options: DiffOptions

    /// One group to compare.
    struct Request {
        var group: String
        var name: String
        var counts: PairedCounts
        var kind: SuiteKind?
    }

    /// The delta of each request, in their order; several at once, one thread each.
    func deltas(_ requests: [Request]) -> [GroupDelta] {
        let results = Mutex([GroupDelta?](repeating: nil, count: requests.count))
        DispatchQueue.concurrentPerform(iterations: requests.count) { position in
            let request = requests[position]
            let delta = delta(request.group, request.name, request.counts, kind: request.kind)
            results.withLock { $0[position] = delta }
        }
        return results.withLock { $0 }.map { $0! }
    }

    func delta(_ group: String, _ name: String, _ counts: PairedCounts, kind: SuiteKind? = nil) -> GroupDelta {
        let n = counts.paired
        let delta = n == 0 ? 0 : Double(counts.fixed - counts.regressed) / Double(n)
        let seed = options.seed ^ StableHash.hash("\(group):\(name)".utf8)
        var bootstrap = PairedBootstrap(
            cases: n, regressed: counts.regressed, fixed: counts.fixed, resamples: options.resamples, seed: seed)
        bootstrap.lower = rounded(bootstrap.lower)
        bootstrap.upper = rounded(bootstrap.upper)
        return GroupDelta(
            name: name, kind: kind, paired: n,
            base: GroupRate(name: name, kind: kind, counts: counts.base),
            candidate: GroupRate(name: name, kind: kind, counts: counts.candidate),
            delta: rounded(delta), regressed: counts.regressed, fixed: counts.fixed, errors: counts.errors,
            unchecked: counts.unchecked,
            pValue: rounded(McNemar.pValue(regressed: counts.regressed, fixed: counts.fixed)),
            bootstrap: bootstrap,
            detectable: rounded(
                DetectableEffect.minimum(
                    cases: n, discordant: counts.regressed + counts.fixed, alpha: options.alpha, power: options.power))
        )
    }
}
