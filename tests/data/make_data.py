"""Regenerate the small test files in this folder: ``python tests/data/make_data.py``.

Every file is tiny and deterministic enough to commit. The >100 MB input is
never stored; the tests make it as a sparse file at run time.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODEL = "CP-80S"
TABLE = [
    ("Code", "Description", "Possible cause", "Remedy"),
    ("E-104", "High bearing vibration at the drive end", "Bearing wear; shaft misalignment at the coupling",
     "Check alignment (5.2); replace the drive-end bearing (5.3)"),
    ("E-105", "High bearing temperature", "Over-greasing or lack of grease", "Regrease with 20 g (6.2)"),
    ("ALARM 9", "Phase loss", "Blown fuse", "Replace the fuse and check the contactor"),
]
STEPS = ["Lock out and drain the pump (3.2).",
         "Remove the coupling guard and the coupling spacer, keeping the key and the spacer bolts "
         "together in a tray so that nothing is lost during the repair.",
         "Pull the old bearing off the shaft with a bearing puller acting on the inner ring only."]
WARNING = "WARNING: Isolate the motor before opening the terminal box. Residual voltage may remain for five minutes."
INTRO = ("The CP-80S is an end-suction centrifugal pump for clean water. This paragraph is long enough to wrap "
         "over more than one line when it is set in a ten point font on an A4 page.")


def manual_pdf(out: Path) -> None:
    """Three pages: title, sections, a procedure, a warning, a fault table; footer on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=15, leading=19, spaceAfter=10)
    h3 = ParagraphStyle("h3", parent=body, fontName="Helvetica-Bold", fontSize=12, leading=15)
    title = ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=20, leading=25)
    step = ParagraphStyle("step", parent=body, leftIndent=18, firstLineIndent=-14, spaceAfter=3)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0)

    def footer(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawCentredString(A4[0] / 2, 30, f"{MODEL} Service Manual \u2014 page {doc.page} of 3")

    story = [Paragraph("AquaMax CP-80S Pump Service Manual", title), Paragraph(f"Model: {MODEL}", body),
             Paragraph("1 Introduction", h2), Paragraph(INTRO, body),
             Paragraph("3 Safety", h2), Paragraph(WARNING, body), PageBreak(),
             Paragraph("5 Troubleshooting", h2), Paragraph("5.3 Replacing the drive-end bearing", h3),
             Paragraph("To replace the bearing:", body)]
    story += [Paragraph(f"{n}. {s}", step) for n, s in enumerate(STEPS, 1)]
    story += [Paragraph("After the repair, run the pump for 30 minutes.", body), PageBreak(),
              Paragraph("4 Fault codes", h2),
              Table([[Paragraph(c, cell) for c in row] for row in TABLE], colWidths=[60, 130, 150, 150],
                    repeatRows=1, hAlign="LEFT", style=[("VALIGN", (0, 0), (-1, -1), "TOP")]),
              Paragraph("Reset the fault at the controller after the repair.", body)]
    SimpleDocTemplate(str(out), pagesize=A4, title="AquaMax CP-80S Pump Service Manual").build(
        story, onFirstPage=footer, onLaterPages=footer)


def nospace_pdf(out: Path) -> None:
    """Words drawn one by one at explicit x positions, with no space characters,
    in a font whose declared space width is wrong (as in some real producer
    output): pypdf runs the words together, pypdfium2 does not."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject, NumberObject
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    tmp = out.with_suffix(".tmp.pdf")
    c = canvas.Canvas(str(tmp))
    text = c.beginText()
    text.setFont("Helvetica", 10)
    lines = ["2 Spindle drive", "The spindle drive uses a closed loop with encoder feedback for accurate",
             "positioning of the tool at every speed.",
             "WARNING: Keep hands clear of the spindle while the drive is enabled."]
    for k, line in enumerate(lines):
        x = 72.0
        for word in line.split():
            text.setTextOrigin(x, 760 - 13 * k)
            text.textOut(word)
            x += stringWidth(word, "Helvetica", 10) + 3
    c.drawText(text)
    c.save()
    writer = PdfWriter(clone_from=PdfReader(tmp))
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        widths = [int(stringWidth(chr(i), "Helvetica", 1000)) for i in range(32, 127)]
        widths[0] = 1500  # the broken space width
        font[NameObject("/FirstChar")] = NumberObject(32)
        font[NameObject("/LastChar")] = NumberObject(126)
        font[NameObject("/Widths")] = ArrayObject(NumberObject(w) for w in widths)
    writer.write(out)
    tmp.unlink()


def simple_pdfs() -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(HERE / "encrypted.pdf"), encrypt="secret")
    c.drawString(72, 760, "Secret manual text")
    c.save()
    c = canvas.Canvas(str(HERE / "scanned.pdf"))  # a page with graphics but no text
    c.rect(72, 600, 300, 150, fill=1)
    c.save()
    (HERE / "truncated.pdf").write_bytes((HERE / "manual.pdf").read_bytes()[:400])


MARKDOWN = f"""# AquaMax CP-80S Pump Service Manual

Model: {MODEL}

## 1 Introduction

{INTRO}

## 3 Safety

{WARNING}

## 5 Troubleshooting

### 5.3 Replacing the drive-end bearing

To replace the bearing:

""" + "\n".join(f"{n}. {s}" for n, s in enumerate(STEPS, 1)) + """

After the repair, run the pump for 30 minutes.

## 4 Fault codes

""" + "\n".join("| " + " | ".join(r) + " |" + ("\n|---|---|---|---|" if i == 0 else "")
                for i, r in enumerate(TABLE)) + """

```
P = Q * H * 9.81 / eta
```
"""

TEXT = f"""AquaMax CP-80S Pump Service Manual

Model: {MODEL}

1 Introduction

{INTRO}

3 SAFETY

{WARNING}

5 Troubleshooting

5.3 Replacing the drive-end bearing

To replace the bearing:
""" + "\n".join(f"{n}. {s}" for n, s in enumerate(STEPS, 1)) + """

After the repair, run the pump for 30 minutes.
"""


def html_doc() -> str:
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in TABLE[1:])
    head = "".join(f"<th>{c}</th>" for c in TABLE[0])
    steps = "".join(f"<li>{s}</li>" for s in STEPS)
    return f"""<!doctype html><html><head><title>AquaMax CP-80S Pump Service Manual</title>
<style>.warning {{ color: red }}</style><script>console.log("x")</script></head><body>
<nav><a href="/">Home</a> | <a href="/next">Next</a></nav>
<h1>AquaMax CP-80S Pump Service Manual</h1><p>Model: {MODEL}</p>
<h2>1 Introduction</h2><p>{INTRO}</p>
<h2>3 Safety</h2><p>{WARNING}</p>
<div class="admonition caution"><p>Hot surfaces: let the casing cool below 40 &deg;C.</p></div>
<h2>5 Troubleshooting</h2><h3>5.3 Replacing the drive-end bearing</h3>
<p>To replace the bearing:</p><ol>{steps}</ol><p>After the repair, run the pump for 30 minutes.</p>
<h2>4 Fault codes</h2><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
</body></html>
"""


def docx_doc(out: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = ""
    d.add_paragraph("AquaMax CP-80S Pump Service Manual", style="Title")
    d.add_paragraph(f"Model: {MODEL}")
    d.add_heading("1 Introduction", 1)
    d.add_paragraph(INTRO)
    d.add_heading("3 Safety", 1)
    d.add_paragraph(WARNING)
    d.add_heading("5 Troubleshooting", 1)
    d.add_heading("5.3 Replacing the drive-end bearing", 2)
    d.add_paragraph("To replace the bearing:")
    for s in STEPS:
        d.add_paragraph(s, style="List Number")
    d.add_paragraph("After the repair, run the pump for 30 minutes.")
    d.add_heading("4 Fault codes", 1)
    table = d.add_table(rows=len(TABLE), cols=4)
    for i, row in enumerate(TABLE):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    d.save(out)


LOG_ROWS = [
    ("WO-1", "P-1", "CP-80S", "2025-01-03 13:09", "E-104", "High vibration", "Bearing wear", "Replaced bearing", "2,5", "T. Nyberg"),
    ("WO-2", "P-2", "CP-80S", "2025-01-04 08:00", "E-105", "Hot bearing", "Over-greased", "Purged grease", "1.5 h", "L. Brandt"),
    ("", "P-1", "CP-80S", "not recorded", "ALARM 9", "Tripped", "Blown fuse", "Replaced fuse", "90 min", ""),
]


def logs() -> None:
    header = ["WO", "Asset", "Equipment Model", "Reported", "Failure Code", "Problem", "Cause", "Remedy",
              "Downtime_h", "Technician"]
    with (HERE / "log_export.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(LOG_ROWS)
    snake = [{"work_order_id": "WO-10", "equipment_id": "CV-1", "timestamp": "2025-02-01T06:30:00",
              "error_code": "F0023", "description": "Belt slip", "root_cause": "Worn lagging",
              "corrective_action": "Relagged pulley", "downtime_min": 45, "shift": "night",
              "details": {"crew": 2}}]
    (HERE / "log_list.json").write_text(json.dumps(snake, indent=1), encoding="utf-8")
    lines = [{"ticket": "T-7", "machine": "HS-1", "date": "03.01.2025", "alarm": "ERR 34",
              "complaint": "Spindle overload", "resolution": "Changed tool", "hours_down": "0.5"},
             {"ticket": "T-8", "machine": "HS-1", "date": "2025-01-05", "alarm": "XX101",
              "complaint": "Drawbar fault", "resolution": "Adjusted drawbar", "hours_down": "n/a"}]
    (HERE / "log_lines.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    (HERE / "log_custom.csv").write_text(
        "Ref,Unit,When,Msg,What happened,Fix\nR-1,RS-2,2025-03-01,SP-112,Oil temperature high,Cleaned cooler\n",
        encoding="utf-8")
    (HERE / "mapping.yaml").write_text(
        "wo_id: Ref\nasset_id: Unit\ntimestamp: When\nfault_code: Msg\nsymptom: What happened\naction: Fix\n",
        encoding="utf-8")
    (HERE / "bad_mapping.yaml").write_text("wo_id: Ref\nfailure_mode: Msg\n", encoding="utf-8")
    (HERE / "broken_quote.csv").write_text(
        'WO,Asset,Problem\nWO-1,P-1,"Noisy bearing\nWO-2,P-2,Leak\nWO-3,P-3,Hot\n', encoding="utf-8")
    (HERE / "stray_quote.csv").write_text(
        'WO,Asset,Problem\nWO-1,P-1,Noisy\nWO-2,P-2,Leak at 2" flange\n', encoding="utf-8")
    (HERE / "header_only.csv").write_text("WO,Asset,Problem\n", encoding="utf-8")
    (HERE / "no_fields.csv").write_text("Colour,Weight\nred,3\n", encoding="utf-8")
    (HERE / "bom.csv").write_bytes("\ufeffWO,Asset,Problem\nWO-9,P-9,Drip\n".encode("utf-8"))
    (HERE / "not_records.json").write_text('{"pump": "P-1", "alarms":\n 3}\n', encoding="utf-8")
    xlsx_log(HERE / "log_sheet.xlsx")
    (HERE / "encrypted.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (HERE / "corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")


def xlsx_log(out: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Work Order", "Machine", "Failure Date", "Alarm Code", "Issue", "Work Done", "Downtime Hours", "Notes"])
    ws.append(["WO-77", "RS-1", dt.datetime(2025, 4, 2, 9, 15), "A-201", "Discharge temperature high",
               "Cleaned cooler", 3, "checked oil"])
    ws.append([None] * 8)
    ws.append(["WO-78", "RS-1", dt.datetime(2025, 4, 9, 14, 0), "A-205", "Oil pressure low", "Changed filter", 1.25, None])
    wb.save(out)


def main() -> None:
    manual_pdf(HERE / "manual.pdf")
    nospace_pdf(HERE / "nospace.pdf")
    simple_pdfs()
    (HERE / "manual.md").write_text(MARKDOWN, encoding="utf-8")
    (HERE / "manual.txt").write_text(TEXT, encoding="utf-8")
    (HERE / "manual.html").write_text(html_doc(), encoding="utf-8")
    docx_doc(HERE / "manual.docx")
    logs()
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "latin1.txt").write_bytes("Pumpe f\u00fcr K\u00fchlwasser\n".encode("latin-1"))
    (HERE / "manual.rtf").write_text("{\\rtf1 not supported}", encoding="ascii")


if __name__ == "__main__":
    main()
