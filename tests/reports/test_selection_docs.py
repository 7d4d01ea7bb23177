"""The desk's printed slips (选房工作票, 收据, 选房凭证, 机选结果) read back as a clerk would see them."""
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from reportlab.pdfbase import pdfmetrics

from reports.certificate_pdf import certificate_pdf
from reports.draw_pdf import draw_pdf
from reports.fonts import register_cjk_font
from reports.receipt_pdf import receipt_pdf
from reports.selection_docs import (
    CERTIFICATE_COPIES,
    RECEIPT_COPIES,
    TICKET_COPIES,
    CertificateDoc,
    DrawResultDoc,
    ReceiptDoc,
    TicketDoc,
    unit_text,
)
from reports.ticket_pdf import ticket_pdf
from tests import pdfcheck


def ticket(**kw) -> TicketDoc:
    values = dict(
        number="XFP-2026-000123", project="锦绣花园二期", commissioning_unit="北京华盛建筑工程有限公司",
        buyer_name="张国华", buyer_id_number="110105196805120031", queue_no=17, building="3", entrance="2",
        floor="15", room="1502", unit_type="三室两厅", area=D("89.50"), price_per_m2=D("12345.00"),
        total=D("1104877.50"), payment_ratio=D("0.5"), amount_now=D("552438.75"), deposit=D("20000.00"),
        discounts=(("一次性付款九八折", False), ("团购优惠", True)), issued_by="王丽",
        issued_at=datetime(2026, 11, 25, 6, 30, tzinfo=UTC), reviewed_by="李会计", printed_by="周打印",
        printed_at=datetime(2026, 11, 25, 14, 31), company="锦绣置业有限公司")
    values.update(kw)
    return TicketDoc(**values)


def receipt(**kw) -> ReceiptDoc:
    values = dict(
        number="SJ-2026-000245", payer="张国华", buyer_id_number="110105196805120031",
        ticket_number="XFP-2026-000123", unit="3号楼2单元1502", purpose="封户费", amount=D("20000.00"),
        method="转账", received_by="赵出纳", issued_at=datetime(2026, 11, 25, 7, 2, tzinfo=UTC),
        printed_by="赵出纳", printed_at=datetime(2026, 11, 25, 15, 3), company="锦绣置业有限公司")
    values.update(kw)
    return ReceiptDoc(**values)


def certificate(**kw) -> CertificateDoc:
    values = dict(
        number="XFPZ-2026-000088", project="锦绣花园二期", commissioning_unit="北京华盛建筑工程有限公司",
        buyer_name="张国华", buyer_id_number="110105196805120031", unit="3号楼2单元15层1502室", area=D("89.50"),
        price_per_m2=D("12345.00"), total=D("1104877.50"), paid_total=D("552438.75"),
        receipts=(("SJ-2026-000201", D("20000.00")), ("SJ-2026-000245", D("532438.75"))),
        ticket_number="XFP-2026-000123", issued_by="王丽", reviewed_by="李会计",
        issued_at=datetime(2026, 11, 25, 7, 30, tzinfo=UTC), printed_by="王丽",
        printed_at=datetime(2026, 11, 25, 15, 31), company="锦绣置业有限公司")
    values.update(kw)
    return CertificateDoc(**values)


def _write(tmp_path, data: bytes, name="doc.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _pages(path) -> list[str]:
    """Each page's text with the white space taken out (cells' text is laid out with gaps)."""
    return [re.sub(r"\s", "", page) for page in pdfcheck.pages(path)]


def _fonts(path) -> list[tuple[str, bool]]:
    return pdfcheck.fonts(path)


def _words(path) -> dict[str, tuple[float, float]]:
    """word → (xMin, yMin) in points from the top left (first occurrence)."""
    found = {}
    for word in pdfcheck.words(path)[0]:
        found.setdefault(word.text, (word.x0, word.y0))
    return found


CASES = [
    ("ticket", ticket_pdf, ticket, TICKET_COPIES, "选房工作票",
     ["张国华", "3号楼2单元15层1502室", "¥1,104,877.50", "壹佰壹拾万肆仟捌佰柒拾柒元伍角",
      "¥552,438.75", "伍拾伍万贰仟肆佰叁拾捌元柒角伍分", "50%", "¥20,000.00", "■享受", "购房人签字", "开票人",
      "王丽", "复核人", "李会计", "锦绣置业有限公司", "2026-11-2514:30"]),
    ("receipt", receipt_pdf, receipt, RECEIPT_COPIES, "收据",
     ["张国华", "3号楼2单元1502", "封户费", "¥20,000.00", "贰万元整", "转账", "交款人签字", "收款人", "赵出纳",
      "开票人", "复核人", "XFP-2026-000123", "锦绣置业有限公司"]),
    ("certificate", certificate_pdf, certificate, CERTIFICATE_COPIES, "选房凭证",
     ["张国华", "3号楼2单元15层1502室", "¥1,104,877.50", "壹佰壹拾万肆仟捌佰柒拾柒元伍角", "¥552,438.75",
      "伍拾伍万贰仟肆佰叁拾捌元柒角伍分", "SJ-2026-000201", "SJ-2026-000245", "购房人签字", "开票人", "复核人",
      "李会计", "锦绣置业有限公司"]),
]


@pytest.mark.parametrize("name, render, make, copies, title, expected", CASES, ids=[c[0] for c in CASES])
def test_every_copy_on_its_own_page_with_the_whole_document(tmp_path, name, render, make, copies, title, expected):
    doc = make()
    path = _write(tmp_path, render(doc))
    pages = _pages(path)
    assert len(pages) == len(copies)
    least = {c: min(page.count(c) for page in pages) for c in copies}  # the notices name every copy
    for page, copy in zip(pages, copies, strict=True):
        assert {c: page.count(c) - least[c] for c in copies} == {c: int(c == copy) for c in copies}
        for text in (title, doc.number, *expected):
            assert text in page, (copy, text)
        assert "红字" not in page and "重打" not in page and "-¥" not in page and "负" not in page


@pytest.mark.parametrize("render, make", [(ticket_pdf, ticket), (receipt_pdf, receipt), (certificate_pdf, certificate),
                                          (draw_pdf, lambda: _draw(80))])
def test_the_cjk_font_is_embedded_and_no_other_font_is_used(tmp_path, render, make):
    fonts = _fonts(_write(tmp_path, render(make())))
    assert fonts and all(embedded for _, embedded in fonts), fonts
    face = pdfmetrics.getFont(register_cjk_font()).face.name.decode()  # 宋体 on Windows, WenQuanYi here
    assert all(name.split("+")[-1].startswith(face) for name, _ in fonts), fonts


def test_a_reversal_is_red_lettered_negative_and_names_the_ticket_it_cancels(tmp_path):
    pages = _pages(_write(tmp_path, ticket_pdf(ticket(reversal_of="XFP-2026-000101"))))
    assert len(pages) == 4
    for page in pages:
        assert "红字冲销" in page and "原单号XFP-2026-000101" in page
        assert "-¥1,104,877.50" in page and "负壹佰壹拾万肆仟捌佰柒拾柒元伍角" in page
        assert "-¥552,438.75" in page and "-¥20,000.00" in page


def test_receipt_and_certificate_reversals_and_reprints(tmp_path):
    pages = _pages(_write(tmp_path, receipt_pdf(receipt(reversal_of="SJ-2026-000200", reprint=1))))
    assert all("红字冲销" in p and "SJ-2026-000200" in p and "负贰万元整" in p and "重打1" in p for p in pages)
    pages = _pages(_write(tmp_path, certificate_pdf(certificate(reversal_of="XFPZ-2026-000080", reprint=3))))
    assert all("红字冲销" in p and "XFPZ-2026-000080" in p and "-¥552,438.75" in p and "重打3" in p for p in pages)


def test_a_reprint_says_so_on_every_copy(tmp_path):
    pages = _pages(_write(tmp_path, ticket_pdf(ticket(reprint=2))))
    assert len(pages) == 4 and all("重打2" in page for page in pages)


def test_full_payment_prints_no_deposit_and_the_ratio_says_so(tmp_path):
    doc = ticket(payment_ratio=D("1"), amount_now=D("1104877.50"), deposit=None)
    page = _pages(_write(tmp_path, ticket_pdf(doc)))[0]
    assert "100%(全款)" in page and "不收封户费" in page and "¥20,000.00" not in page


def test_overlay_prints_values_only_on_one_page_and_moves_with_the_offset(tmp_path):
    base = _write(tmp_path, ticket_pdf(ticket(), mode="overlay"), "a.pdf")
    moved = _write(tmp_path, ticket_pdf(ticket(), mode="overlay", offset_mm=(3, -2)), "b.pdf")
    pages = _pages(base)
    assert len(pages) == 1
    for value in ("XFP-2026-000123", "张国华", "110105196805120031", "¥1,104,877.50", "壹佰壹拾万肆仟捌佰柒拾柒元伍角",
                  "王丽"):
        assert value in pages[0]
    for label in ("选房工作票", "购房人", "身份证号码", "项目名称", "总价", "开票人", "复核人", "存根联", "No."):
        assert label not in pages[0], label
    a, b = _words(base), _words(moved)
    for word in ("110105196805120031", "XFP-2026-000123", "¥1,104,877.50"):
        dx, dy = b[word][0] - a[word][0], b[word][1] - a[word][1]
        assert dx == pytest.approx(3 * 72 / 25.4, abs=0.2) and dy == pytest.approx(-2 * 72 / 25.4, abs=0.2), word


def test_plain_mode_ignores_the_overlay_offset_and_unknown_modes_are_refused(tmp_path):
    a = _words(_write(tmp_path, ticket_pdf(ticket()), "a.pdf"))
    b = _words(_write(tmp_path, ticket_pdf(ticket(), offset_mm=(5, 5)), "b.pdf"))
    assert a["张国华"] == b["张国华"]
    with pytest.raises(ValueError):
        ticket_pdf(ticket(), mode="laser")


def test_long_values_stay_inside_their_cell(tmp_path):
    """A long commissioning unit's name is shrunk or cut, never run into the next cell or off the slip."""
    long = "中国建筑第八工程局有限公司华北分公司第三项目部职工委托建房领导小组办公室" * 2
    path = _write(tmp_path, ticket_pdf(ticket(commissioning_unit=long, note="换房" * 200)))
    x_max = max(word.x1 for word in pdfcheck.words(path)[0])
    assert x_max <= (14 + 213) * 72 / 25.4 + 0.5  # the right edge of the grid
    assert "中国建筑第八工程局" in _pages(path)[0] and "…" in _pages(path)[0]


def _draw(n: int) -> DrawResultDoc:
    rows = tuple((i + 1, f"购房人{i + 1}", f"110105********{i:04d}") for i in range(n))
    return DrawResultDoc(
        project="锦绣花园二期", commissioning_unit="北京华盛建筑工程有限公司", seed="83159207",
        list_hash="9f2c4e0b7a1d3f5e8c6b2a4d0e9f1c3b5a7d9e2f4c6b8a0d1e3f5a7c9b2d4e6f",
        algorithm="以公证员宣读的种子与名单摘要为密钥,按 HMAC-SHA256 排序。", rows=rows, performed_by="王丽",
        notary="陈公证", performed_at=datetime(2026, 11, 20, 1, 5, tzinfo=UTC) + timedelta(seconds=30),
        printed_by="王丽", printed_at=datetime(2026, 11, 20, 9, 10), company="锦绣置业有限公司")


def test_draw_result_lists_everyone_in_order_over_pages_with_signatures_at_the_end(tmp_path):
    pages = _pages(_write(tmp_path, draw_pdf(_draw(300))))
    assert len(pages) > 1
    text = "".join(pages)
    assert "公证处机选选房顺序号结果" in pages[0] and "83159207" in pages[0] and "HMAC-SHA256" in pages[0]
    assert "9f2c4e0b7a1d3f5e8c6b2a4d0e9f1c3b5a7d9e2f4c6b8a0d1e3f5a7c9b2d4e6f" in pages[0]
    assert "2026-11-2009:05:30" in pages[0]  # Beijing time
    positions = [text.index(f"购房人{i}110105") for i in range(1, 301)]
    assert positions == sorted(positions)
    assert "公证员(签字)" in pages[-1] and "操作员(签字)" in pages[-1] and "购房人300" in pages[-1]
    assert f"第{len(pages)}页共{len(pages)}页" in pages[-1]


def test_a_short_draw_is_one_page_without_page_numbers(tmp_path):
    pages = _pages(_write(tmp_path, draw_pdf(_draw(7))))
    assert len(pages) == 1 and "购房人7" in pages[0] and "公证员(签字)" in pages[0] and "第1页" not in pages[0]


def test_unit_text():
    assert unit_text("3", "2", "15", "1502") == "3号楼2单元15层1502室"
    assert unit_text("A座", "二单元", "", "1502室") == "A座二单元1502室"
