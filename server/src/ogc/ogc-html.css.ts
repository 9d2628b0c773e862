/**
 * The one stylesheet of the OGC API – Features HTML pages (server/src/ogc/ogc-html.ts). The pages carry
 * it in a <style> element: the Content-Security-Policy allows inline styles, not inline scripts
 * (server/src/http/app.ts); there are no style attributes. Light or dark by the reader's preference, the
 * system font, colours at WCAG AA contrast or better (text ≥ 7:1, muted text and links ≥ 4.5:1 on both
 * the page and the striped table rows).
 */
export const OGC_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff;
  --bg-alt: #f3f5f7;
  --text: #1b1f24;
  --muted: #545d68;
  --line: #d0d7de;
  --link: #0a56ad;
  --focus: #0a56ad;
  --font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif;
  --mono: ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15181c;
    --bg-alt: #1d2126;
    --text: #e6e8eb;
    --muted: #a7b0ba;
    --line: #363d45;
    --link: #86b9ff;
    --focus: #86b9ff;
  }
}
* { box-sizing: border-box; }
html { font-size: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font-family: var(--font);
  line-height: 1.5;
  font-variant-numeric: tabular-nums;
}
a { color: var(--link); text-underline-offset: 0.15em; }
a:focus-visible, input:focus-visible, button:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
code, pre { font-family: var(--mono); font-size: 0.9em; }
pre { white-space: pre-wrap; word-break: break-all; margin: 0.5rem 0; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 0.5rem; background: var(--bg); padding: 0.25rem 0.5rem; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1rem; border-bottom: 1px solid var(--line); }
.brand { margin: 0; font-weight: 600; }
.brand a { color: var(--text); text-decoration: none; }
.crumbs ol { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem; margin: 0.25rem 0 0.75rem; padding: 0; color: var(--muted); }
.crumbs li + li::before { content: "›"; margin-right: 0.25rem; }
.crumbs [aria-current] { color: var(--text); }
h1 { font-size: 1.6rem; margin: 1.25rem 0 0.5rem; line-height: 1.25; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 0.5rem; }
.lead { max-width: 48rem; }
.muted, .rel, .kind { color: var(--muted); }
.formats { margin: 0.5rem 0 1rem; }
.formats a { margin-right: 1rem; }
.links { padding-left: 1.25rem; }
.links li { margin: 0.2rem 0; }
.rel, .kind { font-size: 0.875em; margin-left: 0.5rem; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
caption { text-align: left; color: var(--muted); padding: 0.25rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); }
thead th { border-bottom: 2px solid var(--line); white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--bg-alt); }
td.num { text-align: right; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
form.query { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin: 0.5rem 0 1rem; }
form.query label { display: flex; flex-direction: column; font-size: 0.875em; color: var(--muted); }
form.query input { font: inherit; color: var(--text); background: var(--bg); border: 1px solid var(--line); border-radius: 3px; padding: 0.25rem 0.4rem; min-width: 12rem; }
form.query button { font: inherit; color: var(--bg); background: var(--link); border: 0; border-radius: 3px; padding: 0.35rem 0.9rem; cursor: pointer; }
.pager { display: flex; gap: 1.5rem; margin: 0.5rem 0 1rem; }
footer { border-top: 1px solid var(--line); margin-top: 2rem; padding-top: 0.75rem; padding-bottom: 1.5rem; color: var(--muted); font-size: 0.875rem; }
footer p { margin: 0.25rem 0; }
`
