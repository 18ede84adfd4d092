package dev.sandboxed.report;

/**
 * The report's only styling, inlined so the file stays one self-contained document that opens the same offline, in
 * a CI artifact viewer or attached to a review, and that a content security policy of {@code default-src 'none'}
 * can lock down. It uses only fonts every system has; light and dark follow the reader's setting, and printing
 * drops the navigation.
 */
final class Stylesheet {

    static final String CSS = """
            :root {
              --bg: #f4f5f7; --surface: #ffffff; --surface-2: #f6f7f9; --text: #1a1f26; --muted: #5c6675;
              --border: #e1e4e9; --accent: #4338ca; --accent-soft: #eef0ff; --code-bg: #f1f3f6;
              --crit: #b42318; --crit-soft: #fdeceb; --high: #c2410c; --high-soft: #fff1e6;
              --med: #946200; --med-soft: #fdf6dd; --ok: #05734a; --ok-soft: #e7f8ef;
              --add: #0f6a2c; --add-soft: #e6f6ea; --del: #a1122b; --del-soft: #fdecee;
              --p-file: #2563eb; --p-memory: #7c3aed; --p-process: #0f8a7e; --p-network: #4d9a0f;
              --p-ipc: #c026d3; --p-time: #d97706; --p-security: #dc2626; --p-other: #7b8794;
              --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
              --mono: ui-monospace, "SFMono-Regular", "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace;
              color-scheme: light dark;
            }
            @media (prefers-color-scheme: dark) {
              :root {
                --bg: #0e1117; --surface: #161b22; --surface-2: #1c222b; --text: #e6e9ee; --muted: #9aa4b2;
                --border: #2b323c; --accent: #a5b4fc; --accent-soft: #23264a; --code-bg: #1f252e;
                --crit: #ff8a80; --crit-soft: #3a1717; --high: #ffab70; --high-soft: #3a2414;
                --med: #f5cf63; --med-soft: #342b10; --ok: #5fd39a; --ok-soft: #10301f;
                --add: #7ee2a0; --add-soft: #12301d; --del: #ff9aa5; --del-soft: #3a161b;
                --shadow: 0 1px 2px rgba(0, 0, 0, .4);
              }
            }
            * { box-sizing: border-box; }
            html { -webkit-text-size-adjust: 100%; }
            body {
              margin: 0; background: var(--bg); color: var(--text);
              font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans",
                "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
            }
            a { color: var(--accent); text-decoration: none; }
            a:hover { text-decoration: underline; }
            code, pre, .mono { font-family: var(--mono); font-size: .88em; }
            code { background: var(--code-bg); padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
            .wrap { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
            .masthead {
              background: linear-gradient(135deg, #0f172a 0%, #1e1b4b 55%, #312e81 100%); color: #f8fafc;
              padding: 34px 0 30px;
            }
            .eyebrow { text-transform: uppercase; letter-spacing: .12em; font-size: 12px; font-weight: 600; color: #a5b4fc; }
            .masthead h1 { margin: 6px 0 8px; font-size: 32px; line-height: 1.2; font-weight: 700; overflow-wrap: anywhere; }
            .lede { margin: 0; color: #cbd5e1; display: flex; flex-wrap: wrap; gap: 6px 18px; }
            .lede span { white-space: nowrap; }
            .lede code { background: rgba(255, 255, 255, .12); color: #f8fafc; }
            nav.toc {
              position: sticky; top: 0; z-index: 10; background: var(--surface); border-bottom: 1px solid var(--border);
              box-shadow: var(--shadow);
            }
            nav.toc .wrap { display: flex; flex-wrap: wrap; gap: 4px; padding-top: 8px; padding-bottom: 8px; }
            nav.toc a {
              color: var(--muted); font-weight: 600; font-size: 13px; padding: 5px 11px; border-radius: 999px;
            }
            nav.toc a:hover { background: var(--surface-2); color: var(--text); text-decoration: none; }
            .pill {
              display: inline-block; min-width: 20px; padding: 0 6px; margin-left: 4px; border-radius: 999px;
              background: var(--surface-2); border: 1px solid var(--border); font-size: 11px; text-align: center;
              color: var(--muted);
            }
            .pill.bad { background: var(--crit-soft); color: var(--crit); border-color: transparent; }
            .pill.warn { background: var(--high-soft); color: var(--high); border-color: transparent; }
            main { padding-bottom: 48px; }
            section { margin-top: 36px; scroll-margin-top: 64px; }
            h2 { font-size: 22px; margin: 0 0 4px; display: flex; align-items: baseline; gap: 10px; }
            h2 .pill { font-size: 12px; }
            h3 { font-size: 17px; margin: 22px 0 8px; }
            .intro { color: var(--muted); margin: 0 0 16px; max-width: 860px; }
            .panel {
              background: var(--surface); border: 1px solid var(--border); border-radius: 12px; box-shadow: var(--shadow);
              padding: 18px 20px; margin-top: 14px;
            }
            .verdict {
              display: flex; gap: 14px; align-items: flex-start; border-radius: 12px; padding: 16px 20px;
              border: 1px solid transparent; margin-top: 22px;
            }
            .verdict .mark {
              flex: none; width: 30px; height: 30px; border-radius: 50%; color: #fff; font-weight: 700;
              display: flex; align-items: center; justify-content: center; font-size: 16px;
            }
            .verdict strong { display: block; font-size: 16px; }
            .verdict p { margin: 2px 0 0; color: var(--muted); }
            .verdict.bad { background: var(--crit-soft); border-color: rgba(180, 35, 24, .25); }
            .verdict.bad .mark { background: var(--crit); }
            .verdict.warn { background: var(--med-soft); border-color: rgba(148, 98, 0, .25); }
            .verdict.warn .mark { background: var(--med); }
            .verdict.good { background: var(--ok-soft); border-color: rgba(5, 115, 74, .25); }
            .verdict.good .mark { background: var(--ok); }
            .verdict.info { background: var(--accent-soft); border-color: rgba(67, 56, 202, .2); }
            .verdict.info .mark { background: var(--accent); }
            .cards { display: flex; flex-wrap: wrap; gap: 14px; margin-top: 16px; }
            .card {
              flex: 1 1 220px; background: var(--surface); border: 1px solid var(--border); border-radius: 12px;
              padding: 14px 18px 16px; box-shadow: var(--shadow); min-width: 0;
            }
            .card .label { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
            .card .value { font-size: 30px; font-weight: 700; line-height: 1.15; margin-top: 6px; font-variant-numeric: tabular-nums; }
            .card .value small { font-size: 13px; font-weight: 600; color: var(--muted); margin-left: 6px; }
            .card .rows { margin-top: 6px; }
            .card .rows div { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
            .card .rows b { font-size: 24px; font-variant-numeric: tabular-nums; }
            .card .rows span { color: var(--muted); font-size: 13px; font-weight: 600; }
            .card .detail { color: var(--muted); font-size: 13px; margin-top: 4px; }
            .card.bad { border-top: 3px solid var(--crit); }
            .card.warn { border-top: 3px solid var(--high); }
            .card.good { border-top: 3px solid var(--ok); }
            .card.neutral { border-top: 3px solid var(--accent); }
            .scroll { overflow-x: auto; }
            table { width: 100%; border-collapse: collapse; font-size: 14px; }
            table.fixed { table-layout: fixed; }
            th {
              text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
              font-weight: 600; padding: 6px 10px; border-bottom: 1px solid var(--border); white-space: nowrap;
            }
            td { padding: 7px 10px; border-bottom: 1px solid var(--border); vertical-align: top; overflow-wrap: anywhere; }
            tbody tr:last-child td { border-bottom: none; }
            tbody tr:hover td { background: var(--surface-2); }
            .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            td.sys { white-space: nowrap; width: 1%; }
            td.sys code, td.name code { background: none; padding: 0; font-weight: 600; font-size: 13.5px; }
            td.name .badge { margin-top: 1px; }
            .muted { color: var(--muted); }
            .small { font-size: 13px; }
            .badge {
              display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 11.5px; font-weight: 700;
              line-height: 19px; white-space: nowrap; vertical-align: 1px; border: 1px solid transparent;
            }
            .badge.critical { background: var(--crit-soft); color: var(--crit); border-color: rgba(180, 35, 24, .3); }
            .badge.high { background: var(--high-soft); color: var(--high); border-color: rgba(194, 65, 12, .3); }
            .badge.medium { background: var(--med-soft); color: var(--med); border-color: rgba(148, 98, 0, .3); }
            .badge.ok { background: var(--ok-soft); color: var(--ok); }
            .badge.refused { background: var(--crit); color: #fff; }
            .badge.flaky { background: var(--med-soft); color: var(--med); }
            .badge.plain { background: var(--surface-2); color: var(--muted); border-color: var(--border); }
            .badge.narrowed { background: var(--accent-soft); color: var(--accent); }
            tr.risk-critical td:first-child { box-shadow: inset 3px 0 0 var(--crit); }
            tr.risk-high td:first-child { box-shadow: inset 3px 0 0 var(--high); }
            tr.risk-medium td:first-child { box-shadow: inset 3px 0 0 var(--med); }
            .why { display: block; color: var(--muted); font-size: 12.5px; margin-top: 2px; white-space: normal; }
            .cond { display: block; font-family: var(--mono); font-size: 12.5px; overflow-wrap: anywhere; }
            .cond + .cond { margin-top: 2px; }
            .args { font-family: var(--mono); font-size: 12.5px; }
            .args div { display: grid; grid-template-columns: 36px minmax(0, 1fr); align-items: baseline; }
            .args div + div { margin-top: 4px; }
            .args .idx { color: var(--muted); }
            .args .vals { display: flex; flex-wrap: wrap; gap: 3px 5px; min-width: 0; }
            .args .v {
              background: var(--code-bg); border-radius: 4px; padding: 0 5px; max-width: 100%; overflow-wrap: anywhere;
            }
            details.component {
              background: var(--surface); border: 1px solid var(--border); border-radius: 12px; box-shadow: var(--shadow);
              margin-top: 16px; overflow: hidden;
            }
            details.component > summary {
              list-style: none; cursor: pointer; padding: 16px 20px; display: flex; flex-wrap: wrap; gap: 6px 14px;
              align-items: baseline; border-bottom: 1px solid transparent;
            }
            details.component[open] > summary { border-bottom-color: var(--border); background: var(--surface-2); }
            details.component > summary::-webkit-details-marker { display: none; }
            details.component > summary::before {
              content: ""; width: 0; height: 0; border-style: solid; border-width: 5px 0 5px 7px;
              border-color: transparent transparent transparent var(--muted); transition: transform .15s;
              align-self: center;
            }
            details.component[open] > summary::before { transform: rotate(90deg); }
            .exe { font-family: var(--mono); font-weight: 700; font-size: 16px; overflow-wrap: anywhere; }
            .exe.title { font-family: inherit; }
            details.unrecorded { border-style: dashed; }
            .facts { color: var(--muted); font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 14px; }
            .facts b { color: var(--text); font-variant-numeric: tabular-nums; }
            .body { padding: 16px 20px 20px; }
            .bar { display: flex; height: 10px; border-radius: 999px; overflow: hidden; background: var(--surface-2); }
            .bar span { display: block; height: 100%; }
            .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 8px 0 4px; font-size: 12.5px; color: var(--muted); }
            .legend span::before {
              content: ""; display: inline-block; width: 9px; height: 9px; border-radius: 3px; margin-right: 6px;
              background: var(--pc); vertical-align: 0;
            }
            .p-file_io { --pc: var(--p-file); } .p-memory { --pc: var(--p-memory); } .p-process { --pc: var(--p-process); }
            .p-network { --pc: var(--p-network); } .p-ipc { --pc: var(--p-ipc); } .p-time { --pc: var(--p-time); }
            .p-security { --pc: var(--p-security); } .p-other { --pc: var(--p-other); }
            .bar span { background: var(--pc); }
            .group { margin-top: 18px; border-left: 4px solid var(--pc); padding-left: 14px; }
            .group h4 { margin: 0; font-size: 15px; display: flex; gap: 8px; align-items: baseline; }
            .group h4 .pill { font-size: 11px; }
            .group .desc { margin: 0 0 6px; color: var(--muted); font-size: 12.5px; }
            .sub { margin-top: 20px; }
            .sub > summary { cursor: pointer; font-weight: 700; font-size: 14.5px; padding: 4px 0; }
            .sub > summary .pill { font-weight: 600; }
            .access { display: inline-flex; gap: 3px; flex-wrap: wrap; }
            .access span {
              font-size: 10.5px; font-weight: 700; letter-spacing: .04em; padding: 0 6px; border-radius: 4px;
              background: var(--surface-2); border: 1px solid var(--border); color: var(--muted); line-height: 17px;
            }
            .access .WRITE, .access .CREATE { color: var(--high); border-color: rgba(194, 65, 12, .35); }
            .access .DELETE { color: var(--crit); border-color: rgba(180, 35, 24, .35); }
            .access .EXECUTE { color: var(--p-memory); border-color: rgba(124, 58, 237, .35); }
            .violation {
              background: var(--surface); border: 1px solid var(--border); border-left: 4px solid var(--crit);
              border-radius: 12px; box-shadow: var(--shadow); padding: 16px 20px; margin-top: 14px;
            }
            .violation header { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: baseline; }
            .violation header .name { font-family: var(--mono); font-size: 18px; font-weight: 700; }
            .violation .where { color: var(--muted); font-size: 13px; margin-top: 2px; overflow-wrap: anywhere; }
            .violation .args { margin-top: 10px; }
            .fix-label { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 12px 0 6px; }
            pre.line {
              margin: 0; background: #0f172a; color: #e2e8f0; border-radius: 8px; padding: 10px 14px;
              white-space: pre-wrap; overflow-wrap: anywhere; user-select: all; font-size: 12.5px; line-height: 1.55;
            }
            .note { margin: 10px 0 0; padding: 8px 12px; border-radius: 8px; font-size: 13.5px; }
            .note.warn { background: var(--high-soft); color: var(--text); }
            .note.info { background: var(--accent-soft); color: var(--text); }
            pre.diff {
              margin: 0; font-size: 12.5px; line-height: 1.6; background: var(--surface); border: 1px solid var(--border);
              border-radius: 10px; padding: 8px 0; white-space: pre-wrap; overflow-wrap: anywhere;
            }
            pre.diff span { display: block; padding: 0 14px; }
            pre.diff .add { background: var(--add-soft); color: var(--add); }
            pre.diff .del { background: var(--del-soft); color: var(--del); }
            pre.diff .chg { background: var(--med-soft); color: var(--med); }
            pre.diff .head { font-weight: 700; color: var(--text); margin-top: 6px; }
            pre.diff .head:first-child { margin-top: 0; }
            pre.diff .sum { color: var(--muted); border-top: 1px solid var(--border); margin-top: 6px; padding-top: 6px; }
            .stat { display: inline-flex; gap: 8px; flex-wrap: wrap; }
            .stat span { font-weight: 700; font-size: 13px; padding: 2px 10px; border-radius: 999px; }
            .stat .add { background: var(--add-soft); color: var(--add); }
            .stat .del { background: var(--del-soft); color: var(--del); }
            .stat .chg { background: var(--med-soft); color: var(--med); }
            .compare { display: grid; grid-template-columns: 110px 1fr; gap: 10px 16px; align-items: center; }
            .compare .arch { font-weight: 700; font-family: var(--mono); font-size: 14px; }
            .meter { display: grid; grid-template-columns: 150px 1fr 60px; gap: 6px 10px; align-items: center; font-size: 13px; }
            .meter .track { height: 12px; border-radius: 999px; background: var(--surface-2); overflow: hidden; }
            .meter .fill { height: 100%; border-radius: 999px; }
            .meter .fill.docker { background: #94a3b8; }
            .meter .fill.ours { background: var(--accent); }
            .meter .n { text-align: right; font-variant-numeric: tabular-nums; font-weight: 700; }
            .delta { margin: 2px 0 0 160px; font-size: 13.5px; color: var(--ok); font-weight: 700; }
            .delta.worse { color: var(--crit); }
            .chips { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 6px; }
            .chips > span {
              display: inline-flex; align-items: baseline; gap: 6px; background: var(--surface); border: 1px solid var(--border);
              border-radius: 8px; padding: 4px 10px; box-shadow: var(--shadow);
            }
            .chips code { background: none; padding: 0; font-weight: 700; }
            ul.plain { margin: 6px 0 0; padding-left: 18px; }
            ul.plain li { margin: 3px 0; overflow-wrap: anywhere; }
            footer { border-top: 1px solid var(--border); color: var(--muted); font-size: 13px; padding: 18px 0 36px; }
            @media (max-width: 720px) {
              .wrap { padding: 0 14px; }
              nav.toc .wrap { flex-wrap: nowrap; overflow-x: auto; }
              nav.toc a { white-space: nowrap; }
              .card { flex-basis: 150px; }
              .card .rows span { font-size: 12px; }
              .masthead h1 { font-size: 25px; }
              .meter { grid-template-columns: 110px 1fr 50px; }
              .delta { margin-left: 0; }
              .compare { grid-template-columns: 1fr; }
            }
            @media print {
              nav.toc { display: none; }
              body { background: #fff; }
              .masthead { background: #fff; color: #000; border-bottom: 2px solid #000; }
              .masthead .lede, .eyebrow { color: #333; }
              details.component, .card, .panel, .violation { box-shadow: none; break-inside: avoid-page; }
              pre.line { background: #f1f3f6; color: #000; }
            }
            """;

    private Stylesheet() {
    }
}
