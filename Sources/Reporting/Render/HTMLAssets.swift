/// The inline style and script of the HTML reports. The page's Content-Security-Policy allows exactly these bytes
/// (by their SHA-256), so any change here is picked up by the hash at render time.
enum HTMLAssets {
    static let style = """

        :root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--mark:#fff3b0;--pass:#1a7f37;--fail:#cf222e;\
        --warn:#9a6700;--badge:#eaeef2}
        @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;\
        --mark:#5c4b00;--pass:#3fb950;--fail:#f85149;--warn:#d29922;--badge:#262c36}}
        *{box-sizing:border-box}
        body{margin:0 auto;max-width:1400px;padding:1rem 1.5rem;background:var(--bg);color:var(--fg);\
        font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
        h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem;margin:0 0 .4rem}h4{font-size:.9rem;margin:0 0 .3rem}
        code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
        [hidden]{display:none!important}
        table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
        th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
        table.numbers td:not(:first-child){text-align:right;font-variant-numeric:tabular-nums}
        .alert{border-left:4px solid var(--warn);background:var(--card);padding:.25rem 1rem;margin:.5rem 0}
        .alert.caution{border-color:var(--fail)}.alert.note{border-color:var(--muted)}
        .gate{border:2px solid var(--line);padding:0 1rem 1rem;border-radius:6px}
        .gate.fail{border-color:var(--fail)}.gate.pass{border-color:var(--pass)}.gate.error{border-color:var(--warn)}
        tr.fail td:first-child,.verdict-failed,.checks .fail{color:var(--fail)}
        tr.pass td:first-child,.verdict-passed,.checks .pass{color:var(--pass)}
        tr.warn td:first-child,.verdict-error,.verdict-unchecked{color:var(--warn)}
        .filters{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;padding:.5rem;\
        background:var(--bg);border-bottom:1px solid var(--line)}
        input,select{font:inherit;color:inherit;background:var(--card);border:1px solid var(--line);border-radius:4px;padding:.1rem .3rem}
        .case{border:1px solid var(--line);border-radius:6px;padding:.75rem;margin:.75rem 0;background:var(--card)}
        .suite,.tags,.meta,.note,.where{color:var(--muted)}.tags,.meta,.note{font-size:.85rem;margin:.2rem 0}
        .badge{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .4rem;border-radius:1rem;background:var(--badge)}
        .kind-golden{outline:1px solid var(--warn)}.status-regressed,.status-new-finding{color:var(--fail)}.status-fixed{color:var(--pass)}
        .sides{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
        .sides.one{grid-template-columns:1fr}
        @media (max-width:800px){.sides{grid-template-columns:1fr}}
        .side{min-width:0}
        pre.answer,pre.changes{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;padding:.5rem;background:var(--bg);border:1px solid var(--line);\
        border-radius:4px;max-height:28rem;overflow:auto}
        mark{background:var(--mark);color:inherit;border-bottom:2px solid var(--fail)}
        .masked{letter-spacing:.05em}
        .evidence{margin:.25rem 0 .5rem;padding-left:1.25rem;font-size:.9rem}.evidence .new{color:var(--fail)}
        .checks{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.5rem;font-size:.85rem}
        .error{color:var(--fail)}
        .worddiff{margin-top:.5rem}.worddiff summary{cursor:pointer;color:var(--muted)}
        del{background:rgba(207,34,46,.18);text-decoration:line-through}ins{background:rgba(26,127,55,.22);text-decoration:none}
        .prompt{margin:.25rem 0 .5rem}.prompt summary{cursor:pointer;color:var(--muted)}
        .message{margin:.3rem 0}.message .role{font-size:.75rem;font-weight:600;text-transform:uppercase;color:var(--muted)}
        .message pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.1rem 0;padding:.4rem;border-left:3px solid var(--line)}
        .trend svg{max-width:100%;height:auto}
        footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
        @media print{.filters{display:none!important}body{max-width:none;font-size:11pt}.case{break-inside:avoid}\
        pre.answer{max-height:none;overflow:visible}mark{border-bottom:2px solid #000}details{display:block}}

        """

    /// Shows the filter bar and hides the cases that do not match; the page is whole without it.
    static let script = """

        (function () {
          var form = document.getElementById("filters");
          if (!form) return;
          var text = document.getElementById("filter-text");
          var suite = document.getElementById("filter-suite");
          var kind = document.getElementById("filter-kind");
          var status = document.getElementById("filter-status");
          var tag = document.getElementById("filter-tag");
          var rule = document.getElementById("filter-rule");
          var count = document.getElementById("filter-count");
          var cases = Array.prototype.slice.call(document.querySelectorAll("article.case"));
          function apply() {
            var query = text.value.trim().toLowerCase();
            var shown = 0;
            cases.forEach(function (item) {
              var match = (!suite.value || item.dataset.suite === suite.value) &&
                (!kind.value || item.dataset.kind === kind.value) &&
                (!status.value || item.dataset.status.split(" ").indexOf(status.value) >= 0) &&
                (!tag || !tag.value || item.dataset.tags.split("\\n").indexOf(tag.value) >= 0) &&
                (!rule || !rule.value || item.dataset.rules.split("\\n").indexOf(rule.value) >= 0) &&
                (!query || item.textContent.toLowerCase().indexOf(query) >= 0);
              item.hidden = !match;
              if (match) shown += 1;
            });
            count.textContent = shown + " of " + cases.length + " cases shown";
          }
          form.addEventListener("input", apply);
          form.addEventListener("change", apply);
          form.addEventListener("submit", function (event) { event.preventDefault(); });
          form.hidden = false;
          apply();
        })();

        """
}
