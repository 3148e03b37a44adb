"""The clinic report as a PDF (fpdf2): the same contents as the HTML report, on A4 landscape.

Everything comes from :func:`.clinic_report.build_report` (with ``chart_data``): the summary,
then per cycle its chart, the rules' findings, inseminations, tests, the outcome, and the notes
only when the person asked for them. The chart is drawn here with fpdf2's lines and circles
from the cycle page chart's own reading of the days (``cycle_chart``'s columns and scale, and
the cycle reading's status): fpdf2 can place an SVG, but our chart takes its colours from the
site's stylesheet and its symbols (♥, ✓, ◦) from fonts a PDF's core fonts do not have.

Text is set in Helvetica, a PDF core font, encoded as Windows-1252 (WinAnsiEncoding): °C, µ,
en dashes and typographic quotes print as they are. A character outside it (an emoji in a
note) prints as "?", and the PDF then says so at the end; the HTML report shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..fertility import vocabulary as v
from ..fertility.formatting import plural
from ..fertility.render.cycle_chart import chart_columns, chart_scale  # the chart's own reading of the days
from ..fertility.render.cycle_chart import PLOT_HEIGHT as SVG_PLOT_HEIGHT
from ..fertility.render.cycle_chart import PLOT_TOP as SVG_PLOT_TOP
from ..templating import long_date
from .clinic_report import Report, ReportCycle

ENCODING = "windows-1252"
# Stand-ins for the few marks the chart writes that Windows-1252 has not (shapes are drawn).
_STAND_INS = {"−": "-", "↑": "^", "→": "->", "≥": ">=", "≤": "<="}
FOOTER = (
    "From a Seedling journal: what the person logged, read by the symptothermal rules. "
    "It is not a diagnosis."
)

# Geometry in mm (A4 landscape, 12 mm margins).
MARGIN = 12
LABEL_WIDTH = 30  # the chart's row labels and temperature scale
MAX_COLUMN = 7.0
HEADER_ROW = 4.0
PLOT_HEIGHT = 58.0
ROW = 4.6
_ROWS = (
    ("bleeding", "Bleeding"), ("mucus", "Mucus"), ("cervix", "Cervix"),
    ("ovulation-test", "Ovulation test"), ("insemination", "Insemination"),
    ("pregnancy-test", "Pregnancy test"), ("intercourse", "Intercourse"),
    ("medicine", "Medicines"), ("trigger", "Trigger shot"), ("progesterone-test", "PdG / P4 test"),
)
INK = (30, 30, 30)
GREY = (120, 120, 120)
GRID = (215, 215, 215)
BAND = (222, 239, 226)


class _Document(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.core_fonts_encoding = ENCODING
        self.replaced = False  # a character of the person's text could not be printed
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 6)

    def safe(self, text: str) -> str:
        """``text`` as the core font can print it (see the module's docstring)."""
        out = []
        for character in text:
            character = _STAND_INS.get(character, character)
            try:
                character.encode(ENCODING)
            except UnicodeEncodeError:
                self.replaced = True
                character = "?"
            out.append(character)
        return "".join(out)

    def footer(self) -> None:
        self.set_y(-MARGIN - 2)
        self.set_font("helvetica", size=7)
        self.set_text_color(*GREY)
        self.cell(self.epw - 30, 4, self.safe(FOOTER), align="L")
        self.cell(30, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)

    # ----------------------------------------------------------------- text helpers

    def heading(self, text: str, size: float = 15) -> None:
        self.set_font("helvetica", "B", size)
        self.multi_cell(0, size * 0.5, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 10, style: str = "") -> None:
        self.set_font("helvetica", style, size)
        self.multi_cell(0, size * 0.48, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        for label, value in rows:
            self.set_font("helvetica", "B", 10)
            self.cell(42, 5.5, self.safe(label))
            self.set_font("helvetica", "", 10)
            self.multi_cell(0, 5.5, self.safe(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, lines: Sequence[str], size: float = 9.5) -> None:
        self.set_font("helvetica", "", size)
        for line in lines:
            self.cell(4, size * 0.5, "\u2022")  # • is in Windows-1252
            self.multi_cell(0, size * 0.5, self.safe(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table_of(self, title: str, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> None:
        self.ln(2)
        if self.will_page_break(8 + 3 * 5.5):  # never a heading alone at the foot of a page
            self.add_page()
        self.heading(title, 11.5)
        self.set_font("helvetica", "", 9)
        self.set_fill_color(255, 255, 255)
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        with self.table(
            col_widths=tuple(widths), text_align="LEFT", line_height=4.6, first_row_as_headings=True,
            headings_style=_headings_style(), borders_layout="HORIZONTAL_LINES",
            cell_fill_mode="NONE", padding=(1, 1),
        ) as table:
            table.row([self.safe(cell) for cell in header])
            for cells in rows:
                table.row([self.safe(cell) for cell in cells])


def _headings_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", color=INK, fill_color=None)


# --------------------------------------------------------------------------- the document


def render_report_pdf(report: Report, unit: str = "C", *, compress: bool = True) -> bytes:
    """The PDF of ``report`` (built with ``chart_data=True``); ``unit`` is "C" or "F"."""
    pdf = _Document()
    pdf.set_compression(compress)
    pdf.set_title("Cycle report")
    pdf.set_creator("Seedling")
    pdf.set_lang("en")
    pdf.add_page()
    pdf.heading(_title(report), 17)
    _summary(pdf, report)
    if report.cycles:
        _legend(pdf, unit)
    for cycle in report.cycles:
        pdf.add_page()
        _cycle(pdf, cycle, report.include_notes, unit)
    if pdf.replaced:
        pdf.ln(3)
        pdf.paragraph(
            "Some characters of this journal (such as emoji) cannot be printed in this PDF and "
            "show as “?”; the report page in Seedling shows them all.", 8.5, "I",
        )
    return bytes(pdf.output())


def _title(report: Report) -> str:
    if not (report.first or report.last):
        return "Cycle report"
    start = long_date(report.first) if report.first else "the start"
    end = long_date(report.last) if report.last else "today"
    return f"Cycle report: {start} to {end}"


def _summary(pdf: _Document, report: Report) -> None:
    pdf.heading("Summary", 13)
    if not report.cycles:
        pdf.paragraph("There are no cycles in this range: cycles start on the first day of a period you log.")
        return
    lengths, luteal = report.lengths, report.luteal
    tracked = str(len(report.cycles))
    if lengths.count < len(report.cycles):
        tracked += f" ({lengths.count} complete)"
    cycle_length = "no complete cycle yet"
    if lengths.count and lengths.average is not None:
        cycle_length = f"average {lengths.average:.1f} days, from {lengths.shortest} to {lengths.longest}"
    luteal_phase = "not known: the rules found no ovulation in a complete cycle"
    if luteal.count and luteal.average is not None:
        luteal_phase = (
            f"average {luteal.average:.1f} days, from {luteal.shortest} to {luteal.longest} "
            f"({plural(luteal.count, 'cycle')} with an ovulation the rules found)"
        )
    pdf.facts([
        ("Cycles tracked", tracked),
        ("Cycle length", cycle_length),
        ("Luteal phase", luteal_phase),
        ("Last period", long_date(report.last_period)),
    ])


def _legend(pdf: _Document, unit: str) -> None:
    pdf.ln(4)
    pdf.heading("Reading the charts", 11.5)
    pdf.bullets([
        f"Temperature in °{unit}: filled dots joined by a line; a ring is a disturbed value, left "
        "out by the rules; a square was measured while taking progesterone (it can raise it).",
        "Dashed line: the coverline. Large ring: the first higher measurement. Dotted line: "
        "likely ovulation. Shaded band: the fertile phase.",
        "Bleeding: a ring is spotting; one, two or three dots light, medium, heavy. "
        "Mucus: t dry, Ø nothing, f wet, S creamy, S+ egg white.",
        "Tests: + positive or peak, ^ high, - negative. Insemination: a tick, or its method. "
        "Intercourse: a dot with sperm (or not noted), a ring protected.",
        "Medicines: every day of a course (P4 progesterone). Trigger shot: hCG the shot, ov? the "
        "ovulation estimated from it.",
    ], 9)


def _cycle(pdf: _Document, cycle: ReportCycle, include_notes: bool, unit: str) -> None:
    span = cycle.span
    heading = f"Cycle {span.number}: {long_date(span.start)}"
    heading += f" to {long_date(span.end)}, {span.length} days" if span.end else ", still running"
    pdf.heading(heading, 14)
    if cycle.ovulation:
        line = f"Likely ovulation {long_date(cycle.ovulation)} (day {span.day_number(cycle.ovulation)})"
        if cycle.luteal_length:
            line += f"; luteal phase {cycle.luteal_length} days"
        line += "."
    else:
        line = "No ovulation found by the rules."
    if cycle.outcome is not None:
        line += f" {v.OUTCOMES.get(cycle.outcome.outcome, cycle.outcome.outcome)}."
    pdf.paragraph(line)
    pdf.ln(2)
    if cycle.chart_days:
        draw_chart(pdf, cycle.chart_days, cycle.status, unit)
    if cycle.findings:
        pdf.ln(2)
        pdf.bullets(cycle.findings)
    if cycle.inseminations:
        pdf.table_of(
            "Inseminations",
            ("Date", "Method", "Donor", "Sperm", "Vials", "Motile count", "Timing"),
            [_insemination_row(i, timing) for i, timing in cycle.inseminations],
            (40, 30, 44, 18, 14, 26, 101),
        )
    if cycle.tests:
        pdf.table_of(
            "Pregnancy tests",
            ("Date", "Test", "Result", "Doubling time"),
            [_test_row(row) for row in cycle.tests],
            (40, 80, 80, 73),
        )
    if include_notes and cycle.notes:
        pdf.ln(2)
        if pdf.will_page_break(8 + 2 * 5):
            pdf.add_page()
        pdf.heading("Notes", 11.5)
        pdf.bullets([f"{long_date(when)}: {text}" for when, text in cycle.notes])


def _when(day: date, at: Any) -> str:
    return long_date(day) + (f" {at.strftime('%H:%M')}" if at else "")


def _insemination_row(insemination: Any, timing: Any) -> list[str]:
    motile = insemination.motile_count_millions
    return [
        _when(insemination.date, insemination.time),
        v.INSEMINATION_METHODS.get(insemination.method, insemination.method),
        insemination.donor.name if insemination.donor else "—",
        v.SPERM_STATES.get(insemination.sperm, "—") if insemination.sperm else "—",
        str(insemination.vials_used or "—"),
        f"{motile:g} million" if motile is not None else "—",
        timing.phrase if timing else "no ovulation found",
    ]


def _test_row(row: Any) -> list[str]:
    test = row.test
    kind = v.TEST_KINDS.get(test.kind, test.kind) + (f" ({test.brand})" if test.brand else "")
    result = f"hCG {test.hcg_miu:g} mIU/mL" if test.hcg_miu is not None else v.HOME_RESULTS.get(test.result, "—")
    doubling = f"{row.doubling_hours:.0f} hours" if row.doubling_hours else "—"
    return [_when(test.date, test.time), kind, result, doubling]


# --------------------------------------------------------------------------- the chart


def chart_height() -> float:
    return 3 * HEADER_ROW + 9 + PLOT_HEIGHT + 6 + len(_ROWS) * ROW


def draw_chart(pdf: _Document, days: list[dict[str, Any]], status: dict[str, Any], unit: str) -> None:
    """One cycle's chart at the current position, from the same reading of the days as the
    SVG chart (its columns and temperature scale)."""
    if pdf.will_page_break(chart_height()):
        pdf.add_page()
    columns = chart_columns(days, unit)
    shift = status.get("temperature_shift")
    coverline = None
    if shift is not None:
        coverline = shift["coverline"] * 9 / 5 + 32 if unit == "F" else shift["coverline"]
    scale = chart_scale(columns, coverline, unit)
    left = MARGIN + LABEL_WIDTH
    width = min(MAX_COLUMN, (pdf.w - 2 * MARGIN - LABEL_WIDTH) / max(len(columns), 1))
    top = pdf.get_y()
    plot_top = top + 3 * HEADER_ROW + 9  # two lanes above the plot for its labels
    plot_bottom = plot_top + PLOT_HEIGHT
    rows_top = plot_bottom + 6
    right = left + width * len(columns)

    def x(index: int) -> float:
        return left + width * (index + 0.5)

    def y(value: float) -> float:
        return plot_top + (scale.y(value) - SVG_PLOT_TOP) * PLOT_HEIGHT / SVG_PLOT_HEIGHT

    small = min(7.0, width * 2.2)  # pt: a column's text fits its width
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*INK)
    # Row labels and headings.
    pdf.set_font("helvetica", "B", 7)
    for row_y, label in ((top + HEADER_ROW, "Cycle day"), (top + 2 * HEADER_ROW, "Date")):
        pdf.text(MARGIN, row_y, label)
    pdf.text(MARGIN, plot_top - 7, "Temperature")
    pdf.set_font("helvetica", "", 6.5)
    pdf.text(MARGIN, plot_top - 3, pdf.safe(f"in °{unit}"))
    # The fertile phase.
    peri = status.get("peri_ovulatory")
    if peri:
        start = date.fromisoformat(peri["start"])
        end = date.fromisoformat(peri["end"]) if peri["end"] else columns[-1].date
        inside = [i for i, c in enumerate(columns) if start <= c.date <= end]
        if inside:
            pdf.set_fill_color(*BAND)
            band_left = left + width * inside[0]
            pdf.rect(band_left, plot_top - 9, width * len(inside), plot_bottom - plot_top + 9, style="F")
            pdf.set_font("helvetica", "", 6.5)
            pdf.text(band_left + 0.8, plot_top - 6.5, "Fertile phase")
    # Grid and scale.
    pdf.set_line_width(0.15)
    pdf.set_draw_color(*GRID)
    pdf.set_font("helvetica", "", 6.5)
    for tick in scale.ticks():
        pdf.line(left, y(tick), right, y(tick))
        label = f"{tick:.1f}"
        pdf.text(left - 1.5 - pdf.get_string_width(label), y(tick) + 1, label)
    # Column headings.
    for index, column in enumerate(columns):
        pdf.set_font("helvetica", "", small)
        _centred(pdf, x(index), top + HEADER_ROW, str(column.cycle_day))
        _centred(pdf, x(index), top + 2 * HEADER_ROW, str(column.date.day))
        if index == 0 or column.date.day == 1:
            pdf.set_font("helvetica", "", small * 0.9)
            _centred(pdf, x(index), top + 3 * HEADER_ROW, f"{column.date:%b}")
    # The coverline, likely ovulation and the first higher measurement.
    pdf.set_draw_color(*INK)
    if shift is not None and coverline is not None:
        pdf.set_line_width(0.3)
        pdf.set_dash_pattern(dash=1.6, gap=1.0)
        pdf.line(left, y(coverline), right, y(coverline))
        pdf.set_dash_pattern()
        pdf.set_font("helvetica", "", 6.5)
        label = pdf.safe(f"Coverline {coverline:.2f} °{unit}")
        pdf.text(right - pdf.get_string_width(label), plot_bottom + 3.5, label)
        first_high = date.fromisoformat(shift["first_high_date"])
        for index, column in enumerate(columns):
            if column.date == first_high and column.temperature is not None:
                pdf.set_line_width(0.3)
                pdf.circle(x(index), y(column.temperature), 1.9)
                pdf.text(x(index) - 1, plot_top - 2.5, "1st higher")
            elif column.date == first_high - timedelta(days=1):
                pdf.set_line_width(0.3)
                pdf.set_dash_pattern(dash=0.5, gap=0.8)
                pdf.line(x(index), plot_top - 1.5, x(index), plot_bottom)
                pdf.set_dash_pattern()
                label = "Likely ovulation"
                pdf.text(max(left, x(index) - pdf.get_string_width(label) - 1.5), plot_top - 2.5, label)
    # The temperature curve: a line per run of kept values, never across a gap or a disturbed one.
    pdf.set_line_width(0.35)
    run: list[tuple[float, float]] = []
    for index, column in enumerate(columns):
        if column.temperature is None or column.excluded:
            if len(run) > 1:
                pdf.polyline(run)
            run = []
        else:
            run.append((x(index), y(column.temperature)))
    if len(run) > 1:
        pdf.polyline(run)
    pdf.set_fill_color(*INK)
    for index, column in enumerate(columns):
        if column.temperature is None:
            continue
        cx, cy = x(index), y(column.temperature)
        if column.excluded:
            pdf.set_fill_color(255, 255, 255)
            pdf.circle(cx, cy, 0.9, style="DF")
            pdf.set_fill_color(*INK)
        elif column.progesterone:
            pdf.rect(cx - 0.85, cy - 0.85, 1.7, 1.7, style="F")
        else:
            pdf.circle(cx, cy, 0.85, style="F")
    # The rows of symbols.
    pdf.set_line_width(0.15)
    pdf.set_draw_color(*GRID)
    for row_index, (row, label) in enumerate(_ROWS):
        baseline = rows_top + row_index * ROW + ROW * 0.7
        pdf.line(MARGIN, rows_top + row_index * ROW, right, rows_top + row_index * ROW)
        pdf.set_font("helvetica", "B", 7)
        pdf.text(MARGIN, baseline, label)
        for index, column in enumerate(columns):
            cell = column.cells.get(row)
            if cell is not None:
                _symbol(pdf, x(index), baseline, cell[0], width, small)
    pdf.line(MARGIN, rows_top + len(_ROWS) * ROW, right, rows_top + len(_ROWS) * ROW)
    pdf.set_draw_color(*INK)
    pdf.set_y(rows_top + len(_ROWS) * ROW + 2)


def _centred(pdf: _Document, cx: float, baseline: float, text: str) -> None:
    text = pdf.safe(text)
    pdf.text(cx - pdf.get_string_width(text) / 2, baseline, text)


def _dots(count: int, radius: float = 0.5) -> Callable[[_Document, float, float], None]:
    def draw(pdf: _Document, cx: float, cy: float) -> None:
        pdf.set_fill_color(*INK)
        for offset in range(count):
            pdf.circle(cx + (offset - (count - 1) / 2) * 1.3, cy, radius, style="F")
    return draw


def _ring(radius: float) -> Callable[[_Document, float, float], None]:
    def draw(pdf: _Document, cx: float, cy: float) -> None:
        pdf.set_line_width(0.25)
        pdf.circle(cx, cy, radius)
    return draw


def _tick(pdf: _Document, cx: float, cy: float) -> None:
    pdf.set_line_width(0.35)
    pdf.polyline([(cx - 1.1, cy), (cx - 0.3, cy + 0.9), (cx + 1.2, cy - 1.0)])


_SHAPES: dict[str, Callable[[_Document, float, float], None]] = {
    "◦": _ring(0.7), "•": _dots(1), "••": _dots(2), "•••": _dots(3),
    "♥": _dots(1, 0.8), "○": _ring(0.8), "✓": _tick,
}


def _symbol(pdf: _Document, cx: float, baseline: float, symbol: str, width: float, size: float) -> None:
    shape = _SHAPES.get(symbol)
    pdf.set_draw_color(*INK)
    if shape is not None:
        shape(pdf, cx, baseline - 1.1)
        return
    text = pdf.safe(symbol)
    pdf.set_font("helvetica", "", size)
    while pdf.get_string_width(text) > width - 0.4 and size > 4:
        size -= 0.5
        pdf.set_font("helvetica", "", size)
    pdf.text(cx - pdf.get_string_width(text) / 2, baseline, text)
