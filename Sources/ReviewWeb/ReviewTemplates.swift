import Mustache

/// The review page's templates (swift-mustache; `{{x}}` is HTML-escaped), style sheet and script. They are
/// compiled into the program so the server needs no files beside it. The page runs no inline script (the
/// Content-Security-Policy forbids it): the script reads its settings from `data-` attributes.
enum ReviewTemplates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        try library.register(header, named: "header")
        try library.register(footer, named: "footer")
        try library.register(login, named: "login")
        try library.register(worklist, named: "worklist")
        try library.register(casePage, named: "case")
        try library.register(message, named: "message")
        return library
    }

    static let header = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · radiomics review</title>
        <link rel="stylesheet" href="/static/review.css">
        <script src="/static/review.js" defer></script>
        </head>
        <body data-page="{{page}}"{{#nextHref}} data-next="{{nextHref}}"{{/nextHref}}>
        <header>
          <span class="brand">Vascularization review</span>
          {{#blinded}}<span class="badge" id="blinded">blinded</span>{{/blinded}}
          {{#reader}}
          <nav>
            <a href="/worklist" id="worklist-link">Worklist</a>
            <span class="reader">Reader: <b id="reader-name">{{reader}}</b></span>
            <form method="post" action="/logout" class="inline">
              <input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit" id="logout">Log out</button>
            </form>
          </nav>
          {{/reader}}
        </header>
        <main>
        """

    static let footer = """
        </main>
        </body>
        </html>
        """

    static let login = """
        {{> header}}
        <h1>Log in</h1>
        {{#error}}<p class="error" id="login-error">{{error}}</p>{{/error}}
        <form method="post" action="/login" class="login">
          <input type="hidden" name="csrf" value="{{loginToken}}">
          <label>Reader <input name="reader" id="reader" autocomplete="username" autofocus required></label>
          <label>Password <input name="password" id="password" type="password" autocomplete="current-password" required></label>
          <button type="submit" id="login">Log in</button>
        </form>
        {{> footer}}
        """

    static let worklist = """
        {{> header}}
        <h1>Worklist <small>{{doneCount}} of {{caseCount}} done</small></h1>
        <form method="get" action="/worklist" class="filters" id="filters">
          <label>State <select name="state" id="filter-state">
            {{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}
          </select></label>
          <label>{{typeFilterLabel}} <select name="type" id="filter-type">
            {{#typeFilters}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/typeFilters}}
          </select></label>
          <button type="submit">Filter</button>
          <span class="hint">Keys: ↑/↓ or j/k move, Enter opens, n opens the next case to do.</span>
        </form>
        <table class="worklist" id="worklist">
          <thead><tr><th>Case</th><th>State</th><th>Automatic type</th><th>Your type</th><th>Confidence</th></tr></thead>
          <tbody>
          {{#rows}}
            <tr class="case-row {{stateClass}}" data-href="{{href}}" data-case="{{caseID}}">
              <td><a href="{{href}}" class="case-link">{{caseID}}</a></td>
              <td class="state">{{state}}</td>
              <td class="automatic">{{automatic}}</td>
              <td class="mine">{{mine}}</td>
              <td>{{confidence}}</td>
            </tr>
          {{/rows}}
          {{^rows}}<tr><td colspan="5">No case matches the filters.</td></tr>{{/rows}}
          </tbody>
        </table>
        {{> footer}}
        """

    static let casePage = """
        {{> header}}
        <h1>Case <span id="case-id">{{caseID}}</span> <small>{{state}}</small></h1>
        {{#saved}}<p class="saved" id="saved">Verdict saved.</p>{{/saved}}
        {{#formError}}<p class="error" id="form-error">{{formError}}</p>{{/formError}}
        {{#loadError}}<p class="error" id="load-error">The images cannot be shown: {{loadError}}</p>{{/loadError}}
        <div class="layout">
        {{#viewer}}
        <section class="viewer" id="viewer" data-base="{{base}}" data-slices="{{sliceCount}}">
          <div class="controls">
            <label>Slice <input type="range" id="slice" min="0" max="{{maxSlice}}" value="{{slice}}"></label>
            <output id="slice-number">{{sliceLabel}}</output>
            <label>Window <select id="window">
              {{#windows}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/windows}}
            </select></label>
            {{#hasMaps}}
            <label><input type="checkbox" id="overlay"> rim/core</label>
            <label><input type="checkbox" id="septa"> septa</label>
            {{/hasMaps}}
          </div>
          <div class="phases">
            {{#phases}}
            <figure>
              <img class="slice" id="img-{{name}}" data-phase="{{name}}" alt="{{label}} phase, slice {{slice}}"
                   src="{{base}}/slice/{{name}}/{{slice}}?window={{window}}">
              <figcaption>{{label}}</figcaption>
            </figure>
            {{/phases}}
          </div>
          <p class="legend"><span class="red">red</span>: tumour outline · <span class="cyan">cyan</span>: edge of the core, the inner half by depth (rim/core) · <span class="yellow">yellow</span>: voxels the septum measure counts (top-hat response)</p>
          <p class="hint">Keys: ↑/↓ or j/k slice · w window · o rim/core · s septa · 1-4 type · n next case · Esc worklist</p>
          {{#warnings}}<p class="warning">{{.}}</p>{{/warnings}}
        </section>
        {{/viewer}}
        <aside>
        <section class="verdict">
          <h2>Your verdict</h2>
          <form method="post" action="{{base}}/verdict" id="verdict-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <fieldset><legend>Type</legend>
              {{#types}}<label><input type="radio" name="type" value="{{value}}" id="type-{{value}}"{{#checked}} checked{{/checked}}> {{value}}</label>{{/types}}
            </fieldset>
            <label>Confidence <select name="confidence" id="confidence">
              {{#confidences}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/confidences}}
            </select></label>
            <label>Not assessable <select name="not_assessable" id="not-assessable">
              {{#reasons}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/reasons}}
            </select></label>
            <label>Comment <textarea name="comment" id="comment" rows="3">{{comment}}</textarea></label>
            <button type="submit" id="save">Save verdict</button>
          </form>
          {{#hasHistory}}
          <h3>Your verdicts on this case</h3>
          <table class="history" id="history"><thead><tr><th>Time (UTC)</th><th>Type</th><th>Confidence</th><th>Not assessable</th><th>Comment</th></tr></thead>
          <tbody>{{#history}}<tr><td>{{time}}</td><td>{{type}}</td><td>{{confidence}}</td><td>{{notAssessable}}</td><td>{{comment}}</td></tr>{{/history}}</tbody></table>
          {{/hasHistory}}
        </section>
        <section class="automatic" id="automatic-section">
          <h2>Automatic call</h2>
          {{#automaticShown}}
          <p>Type <b id="automatic-type">{{automatic}}</b>{{#rule}} by the rule <code>{{rule}}</code>{{/rule}}</p>
          {{#hasQuantities}}
          <table class="quantities" id="quantities"><tbody>
            {{#quantities}}<tr><th>{{name}}</th><td>{{value}}</td></tr>{{/quantities}}
          </tbody></table>
          {{/hasQuantities}}
          {{/automaticShown}}
          {{^automaticShown}}<p id="automatic-hidden">Hidden until you give your verdict (blinded read).</p>{{/automaticShown}}
        </section>
        </aside>
        </div>
        {{> footer}}
        """

    static let message = """
        {{> header}}
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        <p><a href="/worklist">Back to the worklist</a></p>
        {{> footer}}
        """

    static let css = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #111; color: #ddd; }
        header { display: flex; gap: 1em; align-items: center; padding: .5em 1em; background: #222; }
        header nav { margin-left: auto; display: flex; gap: 1em; align-items: center; }
        a { color: #8cf; }
        main { padding: 0 1em 2em; }
        .brand { font-weight: bold; }
        .badge { background: #a60; color: #fff; padding: 0 .5em; border-radius: 3px; }
        form.inline { display: inline; }
        .error { color: #f88; } .saved { color: #8f8; }
        .login { display: grid; gap: .6em; max-width: 20em; }
        table { border-collapse: collapse; }
        td, th { padding: .2em .6em; border-bottom: 1px solid #333; text-align: left; }
        tr.case-row { cursor: pointer; }
        tr.case-row.selected { background: #345; }
        tr.done .state { color: #8f8; }
        .filters { margin: .5em 0 1em; display: flex; gap: 1em; align-items: center; }
        .hint { color: #888; font-size: 12px; }
        .controls { display: flex; gap: 1em; align-items: center; flex-wrap: wrap; margin: .5em 0; }
        #slice { width: 20em; }
        .phases { display: flex; gap: .5em; flex-wrap: wrap; }
        figure { margin: 0; }
        img.slice { width: 340px; image-rendering: pixelated; background: #000; display: block; }
        figcaption { text-align: center; color: #aaa; }
        .legend { color: #888; font-size: 12px; } .red { color: #f44; } .cyan { color: #0df; } .yellow { color: #fe0; }
        .warning { color: #fc6; font-size: 12px; }
        .layout { display: flex; gap: 2em; flex-wrap: wrap; align-items: flex-start; }
        aside { flex: 1 1 22em; max-width: 30em; }
        aside h2 { margin-top: .3em; }
        .quantities { font-size: 12px; }
        .verdict form { display: grid; gap: .5em; max-width: 26em; }
        fieldset { border: 1px solid #444; }
        textarea { width: 100%; }
        .quantities th { font-weight: normal; color: #aaa; }
        """

    static let script = """
        "use strict";
        document.addEventListener("DOMContentLoaded", () => {
          const page = document.body.dataset.page;
          const typing = (e) => e.target.closest("input, textarea, select") !== null;
          const next = document.body.dataset.next;
          if (page === "worklist") {
            const rows = Array.from(document.querySelectorAll("tr.case-row"));
            let at = -1;
            const select = (i) => {
              if (rows.length === 0) return;
              at = Math.max(0, Math.min(rows.length - 1, i));
              rows.forEach((r, j) => r.classList.toggle("selected", j === at));
              rows[at].scrollIntoView({ block: "nearest" });
            };
            rows.forEach((r, j) => r.addEventListener("click", () => { window.location = r.dataset.href; }));
            document.addEventListener("keydown", (e) => {
              if (typing(e)) return;
              if (e.key === "ArrowDown" || e.key === "j") { select(at + 1); e.preventDefault(); }
              else if (e.key === "ArrowUp" || e.key === "k") { select(at - 1); e.preventDefault(); }
              else if (e.key === "Enter" && at >= 0) { window.location = rows[at].dataset.href; }
              else if (e.key === "n" && next) { window.location = next; }
            });
          }
          if (page === "case") {
            const viewer = document.getElementById("viewer");
            const slider = document.getElementById("slice");
            const windowSelect = document.getElementById("window");
            const overlay = document.getElementById("overlay");
            const septa = document.getElementById("septa");
            const label = document.getElementById("slice-number");
            const images = Array.from(document.querySelectorAll("img.slice"));
            const show = () => {
              if (!viewer) return;
              const k = slider.value;
              const query = "?window=" + encodeURIComponent(windowSelect.value) + (overlay && overlay.checked ? "&overlay=1" : "")
                + (septa && septa.checked ? "&septa=1" : "");
              images.forEach((img) => {
                img.src = viewer.dataset.base + "/slice/" + img.dataset.phase + "/" + k + query;
                img.alt = img.dataset.phase + " phase, slice " + k;
              });
              label.textContent = (Number(k) + 1) + " / " + viewer.dataset.slices;
            };
            if (viewer) {
              slider.addEventListener("input", show);
              windowSelect.addEventListener("change", show);
              if (overlay) overlay.addEventListener("change", show);
              if (septa) septa.addEventListener("change", show);
              viewer.addEventListener("wheel", (e) => {
                slider.value = Number(slider.value) + (e.deltaY > 0 ? 1 : -1);
                show();
                e.preventDefault();
              }, { passive: false });
            }
            document.addEventListener("keydown", (e) => {
              if (typing(e) && e.target !== slider) return;
              if (viewer && (e.key === "ArrowUp" || e.key === "k")) { slider.value = Number(slider.value) + 1; show(); e.preventDefault(); }
              else if (viewer && (e.key === "ArrowDown" || e.key === "j")) { slider.value = Number(slider.value) - 1; show(); e.preventDefault(); }
              else if (viewer && e.key === "w") { windowSelect.selectedIndex = (windowSelect.selectedIndex + 1) % windowSelect.options.length; show(); }
              else if (viewer && overlay && e.key === "o") { overlay.checked = !overlay.checked; show(); }
              else if (viewer && septa && e.key === "s") { septa.checked = !septa.checked; show(); }
              else if (["1", "2", "3", "4"].includes(e.key)) { const r = document.getElementById("type-" + e.key); if (r) r.checked = true; }
              else if (e.key === "n" && next) { window.location = next; }
              else if (e.key === "Escape") { window.location = "/worklist"; }
            });
          }
        });
        """
}
