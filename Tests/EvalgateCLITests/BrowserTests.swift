import Foundation
import Testing

/// The demo's HTML report in a real browser (headless Chromium), as a reviewer opens it from disk: its own script runs
/// under its Content-Security-Policy, nothing is logged to the console (no policy violation, no script error), nothing
/// is fetched, the verdict is on top, golden cases come first, both answers are there with the findings marked, and
/// the filters, the search box and the folded prompts work.
///
/// Opt-in: it needs Chromium, so it runs with `EVALGATE_BROWSER_TESTS=1` (`scripts/browser-test` installs Chromium
/// with apt when it is missing and runs it; CI runs that script). `EVALGATE_CHROMIUM` names the browser (default: the
/// first of chromium, chromium-browser, google-chrome on the PATH); `EVALGATE_BROWSER_ARTIFACTS=DIR` also saves a
/// screenshot of the page there.
///
/// The page is driven from a harness page that loads the report, unchanged, in an `<iframe>` (Chromium started with
/// `--allow-file-access-from-files`, so the harness may reach into it): the report keeps its own policy, and the
/// harness writes what it found into its own DOM, which `--dump-dom` prints.
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["EVALGATE_BROWSER_TESTS"] == "1",
        "set EVALGATE_BROWSER_TESTS=1 (scripts/browser-test)"))
struct BrowserTests {
    static let harness = """
        <!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre id="result">not run</pre>
        <iframe id="report" src="index.html" width="1200" height="800"></iframe>
        <script>
        window.addEventListener("load", function () {
          var out = [];
          function say(key, value) { out.push(key + "=" + value); }
          try {
            var frame = document.getElementById("report");
            var doc = frame.contentDocument;
            var cases = Array.prototype.slice.call(doc.querySelectorAll("article.case"));
            function shown() { return cases.filter(function (c) { return !c.hidden; }); }
            function set(id, value, type) {
              var field = doc.getElementById(id);
              field.value = value;
              field.dispatchEvent(new Event(type, { bubbles: true }));
            }
            say("filters-visible", !doc.getElementById("filters").hidden);
            var first = doc.body.querySelector("section, article");
            say("first-section", first ? first.className : "none");
            say("gate-text", doc.querySelector("section.gate h2") ? doc.querySelector("section.gate h2").textContent.replace(/\\s+/g, " ") : "none");
            say("cases", cases.length);
            var kinds = cases.map(function (c) { return c.dataset.kind; });
            var firstOther = kinds.findIndex(function (k) { return k !== "golden"; });
            say("golden-first", firstOther > 0 && kinds.slice(firstOther).indexOf("golden") < 0);
            var regressed = cases.filter(function (c) { return c.dataset.kind === "golden" && c.dataset.status.split(" ").indexOf("regressed") >= 0; });
            say("golden-regressed", regressed.length);
            say("both-answers", regressed.length > 0 && regressed.every(function (c) { return c.querySelectorAll(".side pre.answer").length === 2; }));
            var marks = Array.prototype.slice.call(doc.querySelectorAll("pre.answer mark[title]"));
            say("marks", marks.length);
            say("marks-titled", marks.every(function (m) { return /^[a-z_]+\\.[a-z_.]+/.test(m.title); }));
            say("count-text", doc.getElementById("filter-count").textContent);

            set("filter-kind", "golden", "change");
            var golden = shown();
            say("kind-golden", golden.length + "/" + golden.every(function (c) { return c.dataset.kind === "golden"; }));
            say("count-text-golden", doc.getElementById("filter-count").textContent);
            set("filter-kind", "", "change");
            set("filter-status", "regressed", "change");
            say("status-regressed", shown().every(function (c) { return c.dataset.status.split(" ").indexOf("regressed") >= 0; }) + "/" + shown().length);
            set("filter-status", "", "change");
            var target = regressed[0].querySelector("h3 code").textContent;
            set("filter-text", target, "input");
            say("search", shown().length + "/" + shown().every(function (c) { return c.textContent.indexOf(target) >= 0; }));
            set("filter-text", "no case says this 7f3a", "input");
            say("search-none", shown().length);
            set("filter-text", "", "input");
            say("reset", shown().length === cases.length);

            var prompt = doc.querySelector("details.prompt");
            var message = prompt.querySelector(".message");
            var closed = message.checkVisibility();
            prompt.open = true;
            say("prompt-toggle", !closed && message.checkVisibility());
            say("requests", frame.contentWindow.performance.getEntriesByType("resource").length);
          } catch (error) {
            say("error", error);
          }
          document.getElementById("result").textContent = out.join("\\n");
        });
        </script></body></html>
        """

    /// The browser: `EVALGATE_CHROMIUM`, else the first Chromium on the PATH.
    static func browser() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let named = environment["EVALGATE_CHROMIUM"], !named.isEmpty { return named }
        for folder in (environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"]
            where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        Issue.record(
            "EVALGATE_BROWSER_TESTS=1 but no Chromium on the PATH: run scripts/browser-test, or set EVALGATE_CHROMIUM")
        throw CancellationError()
    }

    /// Runs the browser headless on `url` with `flags`, at most two minutes.
    static func chromium(_ flags: [String], url: String, profile: String) throws -> CLITests.Outcome {
        try CLITests.run(
            [
                "120", try browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0",
            ] + flags + [url],
            executable: URL(fileURLWithPath: "/usr/bin/timeout"))
    }

    @Test func theDemoReportWorksInChromium() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-browser-\(UUID().uuidString)")
            .path
        let demo = try CLITests.run(DemoCommandTests.arguments(out: out))
        try #require(demo.status == 0, "\(demo.stderr)")
        try Self.harness.write(toFile: out + "/harness.html", atomically: true, encoding: .utf8)

        let run = try Self.chromium(
            ["--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom"],
            url: "file://\(out)/harness.html",
            profile: out + "/profile")
        #expect(run.status == 0, "\(run.stderr)")
        let dom = run.stdout
        let start = try #require(dom.range(of: "<pre id=\"result\">"), "\(dom.prefix(500))")
        let end = try #require(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
        var found: [String: String] = [:]
        for line in dom[start.upperBound..<end.lowerBound].split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { found[parts[0]] = parts[1].replacingOccurrences(of: "&amp;", with: "&") }
        }
        #expect(found["error"] == nil, "the harness failed: \(found["error"] ?? "")")
        // The page's own script ran: the policy let it, and it showed the filter bar.
        #expect(found["filters-visible"] == "true")
        #expect(found["first-section"] == "gate fail", "the verdict comes first")
        #expect(found["gate-text"]?.contains("FAIL") == true, "\(found["gate-text"] ?? "")")
        let cases = try #require(Int(found["cases"] ?? ""))
        #expect(cases > 10)
        #expect(found["golden-first"] == "true")
        #expect((Int(found["golden-regressed"] ?? "") ?? 0) >= 2, "the demo's two planted golden regressions")
        #expect(found["both-answers"] == "true")
        #expect((Int(found["marks"] ?? "") ?? 0) > 0 && found["marks-titled"] == "true")
        #expect(found["count-text"] == "\(cases) of \(cases) cases shown")
        let golden = try #require(found["kind-golden"]?.split(separator: "/"))
        #expect(golden.count == 2 && (Int(golden[0]) ?? 0) > 0 && (Int(golden[0]) ?? 0) < cases && golden[1] == "true")
        #expect(found["count-text-golden"] == "\(golden[0]) of \(cases) cases shown")
        #expect(found["status-regressed"]?.hasPrefix("true/") == true && found["status-regressed"] != "true/0")
        #expect(found["search"] == "1/true", "searching a case id finds that case: \(found["search"] ?? "")")
        #expect(found["search-none"] == "0")
        #expect(found["reset"] == "true")
        #expect(found["prompt-toggle"] == "true", "a folded prompt opens")
        #expect(found["requests"] == "0", "the page fetches nothing")
        // Nothing on the console: no policy violation, no script error, no warning.
        let console = run.stderr.split(separator: "\n").filter {
            $0.contains(":CONSOLE") || $0.contains("Content Security Policy")
        }
        #expect(console.isEmpty, "console: \(console.joined(separator: "\n"))")

        if let artifacts = ProcessInfo.processInfo.environment["EVALGATE_BROWSER_ARTIFACTS"], !artifacts.isEmpty {
            try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
            let path = (artifacts as NSString).standardizingPath + "/demo-report.png"
            try? FileManager.default.removeItem(atPath: path)
            let shot = try Self.chromium(
                ["--window-size=1280,2400", "--hide-scrollbars", "--screenshot=" + path],
                url: "file://\(out)/index.html", profile: out + "/profile")
            #expect(shot.status == 0, "\(shot.stderr)")
            let png = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG screenshot at \(path)")
        }
    }

    /// The check above can fail: a page whose script does not match its policy's hash is refused, and the refusal
    /// reaches the console, where the test looks.
    @Test func aScriptOutsideThePolicyIsRefusedAndLogged() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-browser-\(UUID().uuidString)")
            .path
        let demo = try CLITests.run(DemoCommandTests.arguments(out: out))
        try #require(demo.status == 0, "\(demo.stderr)")
        let page = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        let tampered = page.replacingOccurrences(of: "form.hidden = false;", with: "form.hidden = false; ")
        try #require(tampered != page)
        try tampered.write(toFile: out + "/index.html", atomically: true, encoding: .utf8)
        try Self.harness.write(toFile: out + "/harness.html", atomically: true, encoding: .utf8)
        let run = try Self.chromium(
            ["--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom"],
            url: "file://\(out)/harness.html",
            profile: out + "/profile")
        #expect(run.stdout.contains("filters-visible=false"))
        #expect(run.stderr.contains("Content Security Policy"), "\(run.stderr)")
    }
}
