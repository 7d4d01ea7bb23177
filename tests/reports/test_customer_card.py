"""The printed archive form (客户基本资料档案), read back the way a person would: text, pages, fonts."""
import re
from datetime import date, datetime

import pytest
from reportlab.pdfbase import pdfmetrics

from reports import fonts
from reports.customer_card import (
    COPIES,
    ArchiveLine,
    ArchiveSection,
    CardPrint,
    PersonLine,
    render_customer_card,
)
from tests import pdfcheck


def _card(**overrides) -> CardPrint:
    values = dict(
        code="KH000123", name="北京华盛建筑工程有限公司", printed_at=datetime(2026, 11, 25, 14, 30),
        printed_by="王丽",
        fields=[("法定代表人", "张国华"), ("统一社会信用代码", "91110000600037341L"),
                ("地址", "北京市朝阳区建国路88号华贸中心3号写字楼18层1801室"), ("邮编", "100022"),
                ("经营范围", "建筑工程施工总承包;市政公用工程施工"), ("行业", "建筑业"), ("负责人", "李强")],
        persons=[PersonLine("张国华", "董事长", "13901234567", "决策者", date(1968, 5, 12), "爱好:书法")],
        archive=[ArchiveSection("合同协议", [ArchiveLine(date(2026, 3, 1), "合同", "钢材供货合同", "12,000,000.00")],
                                total=1),
                 ArchiveSection("投诉折价")],
        last_verified=date(2026, 10, 8), next_verify=date(2027, 1, 8), verify_status="正常",
    )
    values.update(overrides)
    return CardPrint(**values)


def _pdf(tmp_path, card: CardPrint):
    path = tmp_path / "card.pdf"
    path.write_bytes(render_customer_card(card))
    return path


def _pages(path) -> list[str]:
    return pdfcheck.pages(path)


def test_three_copies_one_page_each_labelled_with_the_card(tmp_path):
    pages = _pages(_pdf(tmp_path, _card()))
    assert len(pages) == 3
    for page, label in zip(pages, COPIES, strict=True):
        assert label in page
        assert [other for other in COPIES if other != label and other in page] == []
        for expected in ("客户基本资料档案", "北京华盛建筑工程有限公司", "KH000123", "法定代表人", "张国华",
                         "91110000600037341L", "经营范围", "建筑业", "决策者", "钢材供货合同", "12,000,000.00",
                         "保密级别", "部门级", "2027-01-08", "填表人", "部门经理", "区域总监",
                         "王丽", "2026-11-25 14:30", "(无记录)"):
            assert expected in page, expected
        assert "第1页" not in re.sub(r"\s", "", page)  # a one-page copy needs no page numbers
    assert "黑名单" not in "".join(pages)


def test_cjk_font_is_embedded_as_a_subset_and_nothing_else_is_needed(tmp_path):
    path = _pdf(tmp_path, _card())
    rows = pdfcheck.fonts(path)
    assert rows
    face = pdfmetrics.getFont(fonts.register_cjk_font()).face.name.decode()  # WenQuanYiMicroHei here
    for row in rows:
        name, emb = row
        assert re.fullmatch(rf"[A-Z]{{6}}\+{face}.*", name), name
        assert emb


def test_blacklisted_customer_is_stamped_on_every_copy(tmp_path):
    pages = _pages(_pdf(tmp_path, _card(blacklist="2026-11-01 列入 · 标准:恶意拖欠货款 · 原因:货款逾期120天")))
    assert len(pages) == 3
    for page in pages:
        assert page.count("黑名单客户") >= 1
        assert "恶意拖欠货款" in page


def _words(path) -> tuple[list[tuple[float, float, float, float, str]], float, float]:
    found, width, height = pdfcheck.words(path)
    return [(w.x0, w.y0, w.x1, w.y1, w.text) for w in found], width, height


def test_a_2000_character_business_scope_wraps_inside_the_page(tmp_path):
    scope = ("承接建筑工程施工总承包、市政公用工程、装饰装修、钢结构制作与安装;" * 70)[:1990] + "以及相关技术咨询。"
    card = _card(fields=[("法定代表人", "张国华"), ("经营范围", scope), ("地址", "北京市朝阳区建国路88号")])
    path = _pdf(tmp_path, card)
    words, width, height = _words(path)
    assert [w for w in words if w[0] < 0 or w[2] > width or w[1] < 0 or w[3] > height] == []
    margin = 15 * 72 / 25.4  # the form's 15 mm side margins, where the table border runs
    beyond = [w for w in words if w[0] < margin - 1 or w[2] > width - margin + 1]
    # only punctuation that may not start a line (标点悬挂) hangs past the border, by less than a character
    assert [w for w in beyond if w[4][-1] not in "、,。;:" or w[2] > width - margin + 9] == []
    text = "".join(re.sub(r"\s", "", page) for page in _pages(path))
    assert text.count("以及相关技术咨询。") == 3  # the end of the text made it onto every copy


def test_a_copy_running_over_one_page_is_numbered_within_the_copy(tmp_path):
    persons = [PersonLine(f"联系人{i:02d}", "经理", "13800000000", "影响者", None, "爱好:" + "登山、" * 20)
               for i in range(40)]
    pages = _pages(_pdf(tmp_path, _card(persons=persons)))
    per_copy = len(pages) // 3
    assert per_copy >= 2 and len(pages) == 3 * per_copy
    for copy, label in enumerate(COPIES):
        for n, page in enumerate(pages[copy * per_copy:(copy + 1) * per_copy], start=1):
            assert label in page  # a loose page still says which copy it belongs to
            assert f"第{n}页共{per_copy}页" in re.sub(r"\s", "", page)
            assert "KH000123" in page
        assert "联系人39" in "".join(pages[copy * per_copy:(copy + 1) * per_copy])


def test_user_text_with_markup_characters_prints_as_typed(tmp_path):
    pages = _pages(_pdf(tmp_path, _card(fields=[("备注", "价格<5%时 & 付款>30天需审批")])))
    assert "价格<5%时 & 付款>30天需审批" in pages[0]


def test_missing_font_says_what_to_install(monkeypatch):
    monkeypatch.setattr(fonts, "_registered", None)
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "candidates", lambda: [])
    with pytest.raises(fonts.FontMissing) as exc:
        fonts.register_cjk_font()
    assert "fonts-wqy-microhei" in str(exc.value) and "simsun.ttc" in str(exc.value)


def test_a_machine_without_any_cjk_font_prints_with_the_font_shipped_in_the_package(monkeypatch, tmp_path):
    """A fresh machine with only Python: no system font, the shipped WenQuanYi Micro Hei is embedded."""
    assert fonts.BUNDLED_FONT.is_file() and (fonts.REPO_FONTS / "wqy-microhei.LICENSE.txt").is_file()
    monkeypatch.setattr(fonts, "_registered", None)
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "SYSTEM_CANDIDATES", (tmp_path / "none" / "simsun.ttc",))
    assert fonts.candidates()[-1] == fonts.BUNDLED_FONT
    rows = pdfcheck.fonts(_pdf(tmp_path, _card()))
    assert rows and all(embedded and "WenQuanYi" in name for name, embedded in rows), rows


def test_a_system_font_comes_before_the_shipped_one(monkeypatch, tmp_path):
    system = tmp_path / "simsun.ttc"
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "SYSTEM_CANDIDATES", (system,))
    assert fonts.candidates() == [system, fonts.BUNDLED_FONT]


def test_a_font_named_in_the_environment_that_cannot_be_embedded_is_reported(monkeypatch, tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"OTTO not a truetype font")
    monkeypatch.setattr(fonts, "_registered", None)
    monkeypatch.setenv(fonts.ENV_VAR, str(broken))
    with pytest.raises(fonts.FontMissing) as exc:
        fonts.register_cjk_font()
    assert fonts.ENV_VAR in str(exc.value) and "broken.ttf" in str(exc.value)


def test_an_archive_section_longer_than_a_page_flows_on(tmp_path):
    lines = [ArchiveLine(date(2026, 1, 1), "拜访", f"拜访记录{i:02d}") for i in range(80)]
    pages = _pages(_pdf(tmp_path, _card(archive=[ArchiveSection("联络记录", lines, total=80)])))
    assert len(pages) >= 6
    text = "".join(pages)
    assert text.count("拜访记录79") == 3 and text.count("填表人") == 3
