"""QC reports: text lines, CSV, and a self-contained HTML page with a timeline of the findings."""

from __future__ import annotations

import csv
import html
import io

from subkit.qc._core import Finding
from subkit.qc._engine import QCReport
from subkit.qc._rules import RULES
from subkit.timing import format_clock

__all__ = ["report_csv", "report_html", "report_text"]

#: The CSV columns, in order.
CSV_COLUMNS = ("file", "rule", "severity", "cue", "line", "start", "end", "start_ms", "end_ms", "value", "limit",
               "message")

_COLOURS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}


def report_text(report: QCReport, name: str) -> list[str]:
    """One line per finding: ``NAME: cue 3 (0:00:01.000 --> 0:00:02.000): cps: ...``."""
    return [f"{name}: {finding}" for finding in report.findings]


def summary_line(report: QCReport, name: str) -> str:
    """``NAME: 4 finding(s) in 2 of 10 cue(s) (profile netflix-en, 23.976 fps from the document)``."""
    cues = len({f.cue for f in report.findings if f.cue is not None})
    rate = f"{float(report.fps):.3f}".rstrip("0").rstrip(".")
    where = f"profile {report.profile.name}, {rate} fps {_source(report.fps_source)}"
    if not report.findings:
        return f"{name}: no findings in {report.cues} cue(s) ({where})"
    return f"{name}: {len(report.findings)} finding(s) in {cues} of {report.cues} cue(s) ({where})"


def _source(source: str) -> str:
    return {"option": "as given", "document": "from the file", "profile": "from the profile"}.get(
        source, "assumed")


def report_csv(reports: list[tuple[str, QCReport]]) -> str:
    """Every finding of every file as CSV with a header row (:data:`CSV_COLUMNS`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for name, report in reports:
        for f in report.findings:
            writer.writerow([name, f.rule, f.severity, "" if f.cue is None else f.cue + 1, f.line or "",
                             format_clock(f.start_ms), format_clock(f.end_ms), f.start_ms, f.end_ms,
                             f"{f.value:g}", f"{f.limit:g}", f.message])
    return buffer.getvalue()


def _timeline(report: QCReport, width: int = 960) -> str:
    """An inline SVG: one row per rule with findings, a mark at each finding's time, a time axis below."""
    rules = [rule for rule in RULES if rule in report.counts()]
    label_width, row_height, top = 150, 22, 10
    plot = width - label_width - 50
    span = max(report.duration_ms, max((f.end_ms for f in report.findings), default=0), 1)
    height = top + row_height * max(len(rules), 1) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="findings along the programme">',
             f'<rect x="{label_width}" y="{top}" width="{plot}" height="{row_height * max(len(rules), 1)}" '
             'fill="#f5f5f5"/>']
    for row, rule in enumerate(rules):
        y = top + row * row_height
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" font-size="12">'
                     f"{html.escape(rule)} ({report.counts()[rule]})</text>")
        for f in (f for f in report.findings if f.rule == rule):
            x = label_width + plot * f.start_ms / span
            w = max(plot * (f.end_ms - f.start_ms) / span, 2)
            tip = html.escape(str(f))
            parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_height - 8}" '
                         f'fill="{_COLOURS[f.severity]}" opacity="0.8"><title>{tip}</title></rect>')
    axis_y = top + row_height * max(len(rules), 1)
    for shot in report.shot_times:
        if shot <= span:
            x = label_width + plot * shot / span
            parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" stroke="#777" '
                         f'stroke-dasharray="3,3"><title>shot change at {format_clock(shot)}</title></line>')
    for tick in range(6):
        ms = span * tick // 5
        x = label_width + plot * tick / 5
        parts.append(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 5}" stroke="#555"/>')
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 18}" text-anchor="middle" font-size="11">'
                     f"{format_clock(ms)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _row(f: Finding) -> str:
    cue = "" if f.cue is None else str(f.cue + 1)
    return (f'<tr class="{f.severity}"><td>{cue}</td><td>{format_clock(f.start_ms)}</td>'
            f"<td>{format_clock(f.end_ms)}</td><td>{html.escape(f.rule)}</td><td>{f.severity}</td>"
            f"<td>{html.escape(f.message)}</td></tr>")


def report_html(reports: list[tuple[str, QCReport]]) -> str:
    """A self-contained HTML page (inline CSS and SVG, no script) for one or more files."""
    sections = []
    for name, report in reports:
        profile = report.profile
        counts = "".join(f"<li><b>{html.escape(rule)}</b> {count}: {html.escape(RULES[rule].description)}</li>"
                         for rule, count in report.counts().items())
        verdict = "passes" if not report.failed else f"{len(report.findings)} finding(s)"
        sections.append(
            f"<section><h2>{html.escape(name)}</h2>"
            f"<p class=\"meta\">Profile <b>{html.escape(profile.name)}</b>: {html.escape(profile.title)}"
            f" &mdash; {html.escape(profile.document)} ({html.escape(profile.version)}). "
            f"{report.cues} cues, {format_clock(report.duration_ms)}, "
            f"{float(report.fps):.3f} fps {_source(report.fps_source)}"
            + (f", {report.shot_changes} shot changes" if report.shot_changes is not None else "")
            + f". <b>{verdict}</b>.</p>"
            + _timeline(report)
            + (f"<ul class=\"counts\">{counts}</ul>" if counts else "")
            + "<table><thead><tr><th>cue</th><th>start</th><th>end</th><th>rule</th><th>severity</th>"
              "<th>finding</th></tr></thead><tbody>"
            + "".join(_row(f) for f in report.findings)
            + "</tbody></table></section>")
    style = ("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}"
             "h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;margin-top:12px;width:100%}"
             "th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}"
             "tr.error td:nth-child(5){color:#c62828}tr.warning td:nth-child(5){color:#ef6c00}"
             "tr.info td:nth-child(5){color:#1565c0}.meta{color:#444}.counts{columns:2}")
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>subkit lint report</title>"
            f"<style>{style}</style></head><body><h1>subkit lint report</h1>{''.join(sections)}</body></html>\n")
