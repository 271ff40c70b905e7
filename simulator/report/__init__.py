"""The After-Action Report with Improvement Plan (HSEEP; docs/machinery.md section 11), in Markdown
or as one self-contained HTML file, from a scored run."""

from __future__ import annotations

from .render import REPORT_FORMATS, render_report, report_files, write_report

__all__ = ["REPORT_FORMATS", "render_report", "report_files", "write_report"]
