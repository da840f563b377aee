"""The class report as one self-contained HTML page: styles inline, charts drawn as inline
SVG, nothing loaded from the network. Every string that came from a participant's file is
escaped (``html.escape``), so a label like ``<script>`` shows as text."""

from __future__ import annotations

from html import escape

from npinit.report import ClassReport, Participant
from npinit.report_causes import participant_causes

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d2430; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
.counts { display: flex; gap: 1rem; margin: 1rem 0; }
.count { border-radius: 8px; padding: .6rem 1rem; min-width: 7rem; }
.count b { display: block; font-size: 1.6rem; }
.count.ready { background: #e3f4e8; } .count.warnings { background: #fff4d6; }
.count.problems { background: #fde2e1; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; margin: 1rem 0 2rem; }
.chart h2 { font-size: 1rem; margin: 0 0 .3rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #dde2ea;
         vertical-align: top; }
tr.problems td:first-child { border-left: 4px solid #d93025; }
tr.warnings td:first-child { border-left: 4px solid #e8a100; }
tr.ready td:first-child { border-left: 4px solid #1e8e3e; }
ul { margin: 0; padding-left: 1.1rem; } .fix { color: #4a5568; }
li.problem { color: #a61b13; } li.warning { color: #8a5a00; }
.muted { color: #6b7280; }
"""
COLUMNS = (
    "Participant",
    "Status",
    "Platform",
    "Python",
    "NumPy",
    "BLAS",
    "Lock",
    "OS",
    "Sent",
    "Problems and fixes",
)
# a bar's colour says what its value means: the project's (ok), unknown, or not the project's
MEANING = {"ok": "#1e8e3e", "unknown": "#9aa3af", "problem": "#d93025", "neutral": "#3b6fd8"}


def _meaning(chart: str, value: str, report: ClassReport) -> str:
    """ok / problem against the project's target; unknown for an unknown value; neutral when
    there is no target to compare with."""
    if value in ("unknown", "-", ""):
        return "unknown"
    target = report.target
    if target is None:
        return "neutral"
    if chart == "numpy":
        return "ok" if value == target.numpy else "problem"
    if chart == "platform":
        return "ok" if value in target.blas else "problem"
    allowed = {name for names in target.blas.values() for name in names}
    return "ok" if value in allowed else "problem"


def _bar_chart(title: str, rows: list[tuple[str, int]], chart_id: str, report: ClassReport) -> str:
    """A horizontal bar chart in inline SVG; each bar coloured by what its value means."""
    rows = rows[:8]
    height = 22 * len(rows) + 8
    most = max((count for _, count in rows), default=1)
    bars = []
    for index, (label, count) in enumerate(rows):
        y = 4 + 22 * index
        width = 160 * count / most
        meaning = _meaning(chart_id.removeprefix("chart-"), label, report)
        colour = MEANING[meaning]
        bars.append(
            f'<text x="0" y="{y + 14}" font-size="12">{escape(label[:18])}</text>'
            f'<rect x="120" y="{y + 2}" width="{width:.1f}" height="16" fill="{colour}" '
            f'data-meaning="{meaning}"/>'
            f'<text x="{126 + width:.1f}" y="{y + 14}" font-size="12">{count}</text>'
        )
    return (
        f'<div class="chart" id="{chart_id}"><h2>{escape(title)}</h2>'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="320" height="{height}" role="img" '
        f'aria-label="{escape(title)}">{"".join(bars)}</svg></div>'
    )


def _row(participant: Participant) -> str:
    problems = "".join(
        f'<li class="{escape(c.severity)}">{escape(c.title)}'
        + (f'<div class="fix">fix: {escape(c.fix)}</div>' if c.fix else "")
        + "</li>"
        for c in participant_causes(participant.problems)
    )
    cells = [
        escape(participant.label),
        escape(participant.status),
        escape(participant.platform or "-"),
        escape(participant.python or "-"),
        escape(participant.numpy or "-"),
        escape(participant.blas or "-"),
        escape(participant.lock),
        escape(participant.os or "-"),
        escape(participant.made.replace("T", " ").removesuffix("Z")[:16] or "-"),
        f"<ul>{problems}</ul>" if problems else '<span class="muted">none</span>',
    ]
    return (
        f'<tr class="participant {escape(participant.status)}" '
        f'data-status="{escape(participant.status)}">'
        + "".join(f"<td>{cell}</td>" for cell in cells)
        + "</tr>"
    )


def render(report: ClassReport, title: str = "Workshop readiness") -> str:
    """The whole page."""
    counts = "".join(
        f'<div class="count {status}" id="count-{status}"><b>{report.count(status)}</b>'
        f"{status}</div>"
        for status in ("ready", "warnings", "problems")
    )
    charts = "".join(
        [
            _bar_chart("By platform", report.by("platform"), "chart-platform", report),
            _bar_chart("By NumPy", report.by("numpy"), "chart-numpy", report),
            _bar_chart("By BLAS", report.by("blas"), "chart-blas", report),
        ]
    )
    header = "".join(f"<th>{name}</th>" for name in COLUMNS)
    rows = "".join(_row(p) for p in report.participants)
    unreadable = (
        '<h2>Could not read</h2><ul id="unreadable">'
        + "".join(
            f"<li><code>{escape(u.file)}</code>: {escape(u.reason)}</li>" for u in report.unreadable
        )
        + "</ul>"
        if report.unreadable
        else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="muted">{len(report.participants)} participants; made by npinit report</p>'
        f"{_target(report)}"
        f'<div class="counts" id="summary">{counts}</div>{_missing(report)}{_causes(report)}'
        f'<div class="charts">{charts}</div>'
        f'<table id="participants"><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>'
        f"{unreadable}</body></html>\n"
    )


def _target(report: ClassReport) -> str:
    if report.target is None:
        return (
            '<p class="muted" id="target">no project target (run npinit report in the project)</p>'
        )
    return f'<p id="target"><b>Project:</b> {escape(report.target.describe())}</p>'


def _missing(report: ClassReport) -> str:
    if not report.missing:
        return ""
    names = "".join(f"<li>{escape(name)}</li>" for name in report.missing)
    return f'<h2>Not sent yet ({len(report.missing)})</h2><ul id="missing">{names}</ul>'


def _causes(report: ClassReport) -> str:
    causes = report.causes()
    if not causes:
        return ""
    items = "".join(
        f'<li class="{escape(c.severity)}"><b>{escape(c.title)}</b> '
        f'<span class="muted">({len(c.who)}: {escape(", ".join(c.who))})</span>'
        f'<div class="fix">fix: {escape(c.fix or "-")}</div></li>'
        for c in causes
    )
    return f'<h2>Problems by cause</h2><ul id="causes">{items}</ul>'
