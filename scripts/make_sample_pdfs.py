#!/usr/bin/env python3
"""Writes the sample PDFs in samples/documents/ by hand, byte for byte.

Why by hand: the samples must be reproducible from the repository with nothing but
python3 (no PDF library, no network), and a tiny generator shows exactly what a
minimal valid PDF is: a catalog, a page tree, the standard Type1 Helvetica fonts
(no embedding needed), one uncompressed content stream per page, an /Info
dictionary with a /Title, and a cross-reference table with correct byte offsets.
The output is deterministic (fixed dates, fixed IDs), so re-running the script
leaves git clean.

Usage: python3 scripts/make_sample_pdfs.py [OUTDIR]   (default: samples/documents)
Check: pdfinfo OUT.pdf; pdftotext OUT.pdf -
"""

import hashlib
import os
import sys
import textwrap

PAGE_W, PAGE_H = 612, 792  # US Letter, points
MARGIN = 72
BODY_SIZE, BODY_LEAD = 11, 15
WRAP = 84  # characters per line: Helvetica 11 pt averages ~5.5 pt per character


def pdf_string(text):
    """A PDF literal string in WinAnsiEncoding with (, ) and \\ escaped."""
    out = []
    for byte in text.encode("cp1252"):
        ch = chr(byte)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append("\\%03o" % byte)
    return "(" + "".join(out) + ")"


def layout_page(blocks, page_no, page_count, footer):
    """Turns (kind, text) blocks into a content stream; kinds: h1, h2, p, li."""
    ops = ["BT"]
    y = PAGE_H - MARGIN

    def line(font, size, x, text):
        nonlocal y
        ops.append("/%s %d Tf 1 0 0 1 %d %d Tm %s Tj" % (font, size, x, y, pdf_string(text)))

    for kind, text in blocks:
        if kind == "h1":
            line("F2", 18, MARGIN, text)
            y -= 30
        elif kind == "h2":
            y -= 6
            line("F2", 13, MARGIN, text)
            y -= 20
        elif kind == "li":
            wrapped = textwrap.wrap(text, WRAP - 4)
            for i, part in enumerate(wrapped):
                if i == 0:
                    line("F1", BODY_SIZE, MARGIN + 4, "-")
                line("F1", BODY_SIZE, MARGIN + 16, part)
                y -= BODY_LEAD
        else:
            for part in textwrap.wrap(text, WRAP):
                line("F1", BODY_SIZE, MARGIN, part)
                y -= BODY_LEAD
            y -= 6
        assert y > MARGIN + 20, "page %d overflows: move a block to the next page" % page_no
    y = MARGIN - 30
    line("F1", 9, MARGIN, "%s  -  page %d of %d" % (footer, page_no, page_count))
    ops.append("ET")
    return "\n".join(ops).encode("latin-1") + b"\n"


def build_pdf(info, pages):
    """Returns the bytes of a PDF with one page per entry of `pages`."""
    objects = {}  # number -> bytes (the part between "N 0 obj" and "endobj")
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objects[4] = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    kids = []
    next_no = 5
    for i, blocks in enumerate(pages):
        page_no, content_no = next_no, next_no + 1
        next_no += 2
        stream = layout_page(blocks, i + 1, len(pages), info["Title"])
        objects[content_no] = (
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream"
        )
        objects[page_no] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_W, PAGE_H, content_no)
        )
        kids.append(b"%d 0 R" % page_no)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    info_no = next_no
    entries = " ".join("/%s %s" % (k, pdf_string(v)) for k, v in info.items())
    objects[info_no] = ("<< %s >>" % entries).encode("latin-1")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")  # binary comment: marks the file as binary
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    count = max(objects) + 1
    out += b"xref\n0 %d\n" % count
    out += b"0000000000 65535 f \n"  # each entry is exactly 20 bytes
    for number in range(1, count):
        out += b"%010d 00000 n \n" % offsets[number]
    file_id = hashlib.md5(info["Title"].encode("utf-8")).hexdigest().encode("ascii")
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R /ID [<%s> <%s>] >>\n"
        % (count, info_no, file_id, file_id)
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


BOILER_INFO = {
    "Title": "Combi Boiler Owner's Notes and Service Guide",
    "Author": "Household files",
    "Subject": "Care, pressure, error codes and annual service for the kitchen boiler",
    "Creator": "scripts/make_sample_pdfs.py",
    "Producer": "trove sample generator",
    "CreationDate": "D:20260115090000Z",
}

BOILER_PAGES = [
    [
        ("h1", "Combi Boiler Owner's Notes"),
        ("p", "These notes cover the gas combination boiler in the kitchen cupboard: a "
              "wall-hung condensing unit installed in 2019 that heats the radiators and "
              "supplies hot water on demand, with no separate hot-water cylinder. They "
              "collect what the installer explained, what the manual says in plain words, "
              "and what we learned the hard way during two cold winters."),
        ("h2", "1. Everyday use"),
        ("p", "The front panel has two dials: the left one sets the radiator flow "
              "temperature, the right one the hot-water temperature. For a condensing "
              "boiler to actually condense, and so run at its rated efficiency, the "
              "radiator flow should be 60 degrees or lower for most of the year. We keep "
              "it at 55 from April to October and raise it to 65 only in hard frost."),
        ("p", "Hot water is set to 48 degrees. Higher settings waste gas and make the "
              "shower mixer work harder; lower settings take too long to fill the bath."),
        ("h2", "2. Checking the pressure"),
        ("p", "The gauge under the dials shows the pressure of the sealed heating circuit. "
              "With the system cold it should read between 1.0 and 1.5 bar. When hot it may "
              "climb to about 2 bar, which is normal. Below 0.8 bar the boiler locks out "
              "and shows fault F22."),
        ("li", "To top up: make sure the system is cold, open both taps on the silver "
               "filling loop under the boiler slowly, watch the gauge, and close them at "
               "1.3 bar. Close both taps fully afterwards."),
        ("li", "If the pressure keeps dropping every few weeks there is a leak or a failed "
               "expansion vessel: book an engineer rather than topping up forever."),
    ],
    [
        ("h2", "3. Error codes we have seen"),
        ("p", "The display shows a letter and a number when the boiler stops itself. "
              "Most faults clear with the reset button once the cause is fixed; do not "
              "press reset more than three times in a row."),
        ("li", "F22 - low water pressure. Top up as described in section 2."),
        ("li", "F28 - no ignition. Usually the gas supply: check the meter's lever and "
               "whether the hob lights. In January 2025 the prepayment credit had run out."),
        ("li", "F75 - pressure sensor did not see the pump start. A sticky pump; the "
               "engineer freed it and it has not come back."),
        ("li", "F61 - control board fault. Needs an engineer; do not keep resetting."),
        ("h2", "4. Frozen condensate pipe"),
        ("p", "The white plastic condensate pipe runs outside down the back wall. In a hard "
              "frost it can freeze, the boiler fills with condensate and locks out, often "
              "with a gurgling noise first. Pour warm (not boiling) water slowly along the "
              "outside section of the pipe, starting at the open end, then press reset. "
              "The installer later lagged the outside run and widened the pipe to 32 mm, "
              "which stopped the problem."),
        ("h2", "5. Radiators"),
        ("p", "Bleed radiators at the start of each heating season with the heating off: "
              "cold tops mean trapped air. Bleeding lowers the system pressure, so check "
              "the gauge afterwards. The bathroom towel rail is always the last to warm "
              "up; its valve is balanced a quarter turn open on purpose."),
    ],
    [
        ("h2", "6. Annual service"),
        ("p", "The manufacturer's ten-year warranty stays valid only if the boiler is "
              "serviced every twelve months by a registered gas engineer, and the service "
              "is recorded in the logbook at the back of the manual. Our service is booked "
              "each October with the same local firm; the last visit cost 95 and took about "
              "an hour."),
        ("p", "At the service the engineer checks the flue gas with an analyser, cleans "
              "the condensate trap, inspects the heat exchanger and seals, tests the "
              "safety devices and the expansion vessel charge, and fills in the logbook."),
        ("h2", "7. Useful numbers and facts"),
        ("li", "Model: wall-hung condensing combi, 30 kW hot water, 24 kW heating."),
        ("li", "Installed: March 2019. Warranty until March 2029 if serviced every year."),
        ("li", "Gas emergency line: call it immediately if you smell gas; open windows, "
               "do not use switches, and turn off the supply at the meter."),
        ("li", "Carbon monoxide alarm: in the kitchen, tested monthly, battery replaced "
               "every November together with the smoke alarms."),
        ("h2", "8. When to replace"),
        ("p", "A well-serviced boiler of this kind usually lasts twelve to fifteen years. "
              "When the time comes, compare a heat pump: the radiators were upsized in "
              "the living room in 2022, which makes low flow temperatures practical."),
    ],
]

INSURANCE_INFO = {
    "Title": "Home Contents Insurance - Policy Summary 2026",
    "Author": "Household files",
    "Creator": "scripts/make_sample_pdfs.py",
    "Producer": "trove sample generator",
    "CreationDate": "D:20260301120000Z",
}

INSURANCE_PAGES = [
    [
        ("h1", "Home Contents Insurance - Policy Summary"),
        ("p", "Policy period: 1 March 2026 to 28 February 2027. Annual premium: 214, paid "
              "monthly by direct debit. This one-page summary lists what we checked when "
              "renewing; the full policy wording is in the insurer's online account."),
        ("h2", "Cover"),
        ("li", "Contents sum insured: 40,000, new-for-old replacement."),
        ("li", "Single item limit: 2,000. The camera and the road bike are listed "
               "separately as specified items so they are covered above that limit."),
        ("li", "Accidental damage: included (added this year after the spilled-paint "
               "incident on the living-room rug)."),
        ("li", "Personal possessions away from home: included up to 3,000, worldwide, "
               "for up to 60 days of travel a year."),
        ("h2", "Excess"),
        ("p", "The standard excess is 100 per claim; for escape of water it is 350. "
              "Claims for theft of a bicycle need it to have been locked to an immovable "
              "object, and the lock must be of an approved rating."),
        ("h2", "How to claim"),
        ("p", "Report a claim within 30 days by phone or through the online account. "
              "Have receipts or photos ready, and a crime reference number for thefts. "
              "Keep damaged items until the loss adjuster says they can be thrown away."),
        ("h2", "Renewal notes"),
        ("p", "Quotes compared in February: the renewal price was 19% higher than last "
              "year until we phoned; the retention team matched the best comparison-site "
              "quote. Set a reminder for mid-January next year to do the same."),
    ],
]


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "samples", "documents")
    os.makedirs(outdir, exist_ok=True)
    for name, info, pages in [
        ("boiler-owners-notes.pdf", BOILER_INFO, BOILER_PAGES),
        ("home-insurance-summary.pdf", INSURANCE_INFO, INSURANCE_PAGES),
    ]:
        path = os.path.join(outdir, name)
        with open(path, "wb") as f:
            f.write(build_pdf(info, pages))
        print("wrote %s (%d pages)" % (os.path.normpath(path), len(pages)))


if __name__ == "__main__":
    main()
