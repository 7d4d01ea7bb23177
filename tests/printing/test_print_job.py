"""The print job (reports/print_job.py) without a print system: pages the paper's size at 100 %, the
content kept at the top-left and moved by the printer's offset; the lp command that names the paper."""
from __future__ import annotations

import pytest

from reports import slip_layout
from reports.print_job import PAPERS, build_lp_command, make_job, place_on_paper
from reports.ruler_slip import CROSS_AT, corrected_offset, ruler_slip_pdf
from reports.ticket_pdf import ticket_pdf
from tests.printing.geometry import page_size_mm, text_at
from tests.reports.test_selection_docs import ticket

DATE = "2026-11-25"  # the ticket's issue date, printed at slip_layout.ISSUED_AT in overlay mode


@pytest.mark.parametrize("key", ["241-2", "241-3", "A4", "A5"])
@pytest.mark.parametrize("offset", [(0.0, 0.0), (3.5, -2.0)])
def test_every_page_is_the_papers_size_with_the_field_where_the_layout_puts_it(key, offset):
    form = PAPERS[key]
    pdf, pages = place_on_paper(ticket_pdf(ticket(), mode="overlay"), form, offset)
    assert pages == 1
    width, height = page_size_mm(pdf)
    assert abs(width - form.width_mm) < 0.2 and abs(height - form.height_mm) < 0.2
    x, baseline = text_at(pdf, DATE)
    assert abs(x - (slip_layout.ISSUED_AT[0] + offset[0])) < 0.5
    assert abs(baseline - (slip_layout.ISSUED_AT[1] + offset[1])) < 0.5


def test_plain_copies_stay_vector_and_small():
    plain = ticket_pdf(ticket(), mode="plain")
    job = make_job(plain, "XFP-2026-000123", paper_key="241-2", printer="Desk3")
    assert job.pages == 4
    assert len(job.pdf) < 2 * len(plain)  # the same content streams and fonts, no bitmaps
    assert text_at(job.pdf, "XFP-2026-000123", page=3)  # text is still text on the last copy


def test_lp_names_the_paper_and_turns_every_fitting_off():
    job = make_job(ticket_pdf(ticket(), mode="overlay"), "XFP-1", paper_key="241-3", printer="Desk3")
    command = build_lp_command(job)
    assert command[:3] == ["lp", "-d", "Desk3"] and command[-1] == "-"
    assert "media=Custom.683.4x264.4" in command  # 241 mm × 11/3 in: 683 × 264 pt as CUPS keeps them
    assert "print-scaling=none" in command and "fit-to-page=false" in command
    a4 = make_job(ticket_pdf(ticket()), "XFP-1", paper_key="A4")
    assert "media=A4" in build_lp_command(a4) and "-d" not in build_lp_command(a4)


def test_unknown_paper_is_refused():
    with pytest.raises(ValueError, match="unknown paper"):
        make_job(ticket_pdf(ticket()), "x", paper_key="B5")


def test_the_ruler_slip_calibrates_an_offset():
    form = PAPERS["241-3"]
    pdf = ruler_slip_pdf(form, printer="Desk3", offset_mm=(1.0, 0.0))
    width, height = page_size_mm(pdf)
    assert abs(width - 241) < 0.1 and abs(height - form.height_mm) < 0.1
    assert text_at(pdf, "校准点")
    # the cross landed 2 mm right and 1.5 mm high: move left 2, down 1.5 on top of the current offset
    measured = (CROSS_AT[0] + 2.0, CROSS_AT[1] - 1.5)
    assert corrected_offset((1.0, 0.0), measured) == (-1.0, 1.5)


def test_a_report_prints_on_its_own_paper_in_its_own_orientation():
    import io

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=landscape(A4))
    canvas.drawString(100, 100, "list")
    canvas.showPage()
    canvas.save()
    job = make_job(out.getvalue(), "表", paper_key=None)
    assert (job.paper.key, round(job.paper.width_mm), round(job.paper.height_mm)) == ("A4", 297, 210)
    assert "media=A4" in build_lp_command(job)
    assert [round(v) for v in page_size_mm(job.pdf)] == [297, 210]


def test_a_pdf_the_fast_path_cannot_update_is_rewritten_with_the_same_geometry():
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(ticket_pdf(ticket(), mode="overlay"))))
    writer.encrypt("", "owner", algorithm="AES-128")  # opens without a password, but no incremental update
    out = io.BytesIO()
    writer.write(out)
    pdf, pages = place_on_paper(out.getvalue(), PAPERS["241-3"], (2.0, 1.0))
    x, baseline = text_at(pdf, DATE)
    assert pages == 1 and abs(x - 16.0) < 0.5 and abs(baseline - 30.5) < 0.5
