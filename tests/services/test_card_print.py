"""Printing a customer's archive form from the database: Chinese labels, latest archive entries, blacklist."""
import re
import uuid
from datetime import date, datetime

import pytest

from app.errors import NotFound, UserError
from app.services import archive, blacklist, card_print, customers, key_persons, staff
from tests import pdfcheck

NOW = datetime(2026, 11, 25, 14, 30)


def _customer(db) -> uuid.UUID:
    dept = staff.add_department(db, name="华北销售分公司")
    owner = staff.add_staff(db, name="李强", department_id=dept)
    cid = customers.create_customer(db, actor="王丽", today=date(2026, 10, 8), values={
        "name": "北京华盛建筑工程有限公司", "legal_representative": "张国华", "industry": "construction",
        "customer_type": "end_user", "source": "referral", "status": "deal", "channel_level": 4,
        "registered_capital": "5000万", "address": "北京市朝阳区建国路88号", "owner_id": str(owner),
        "department_id": str(dept), "business_scope": "建筑工程施工总承包;市政公用工程施工", "important": True})
    key_persons.add_person(db, user=None, actor="王丽", customer_id=cid, values={
        "name": "刘芳", "position": "采购部经理", "mobile": "13812345678", "decision_role": "buyer",
        "hobbies": "瑜伽", "birthday": date(1982, 9, 3)})
    for month in range(1, 5):  # four contracts: the form lists the latest three
        archive.add_entry(db, user=None, actor="王丽", customer_id=cid, values={
            "section": "contract", "kind": "contract", "entry_date": date(2026, month, 10),
            "subject": f"第{month}号供货合同", "amount": "120万"})
    archive.add_entry(db, user=None, actor="王丽", customer_id=cid, values={
        "section": "contact", "kind": "visit", "entry_date": date(2026, 11, 20), "subject": "拜访张董"})
    return cid


def _text(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "card.pdf"
    path.write_bytes(pdf)
    return [re.sub(r"\s+", " ", page) for page in pdfcheck.pages(path)]


def test_card_prints_three_copies_in_chinese_with_the_latest_archive_entries(db, tmp_path):
    cid = _customer(db)
    pages = _text(card_print.card_pdf(db, customer_id=cid, printed_by="王丽", now=NOW), tmp_path)
    assert len(pages) == 3
    for page in pages:
        for expected in ("客台示范公司", "北京华盛建筑工程有限公司", "KH000001", "张国华", "建筑业", "终端客户",
                         "合作伙伴推荐", "成交客户", "四级(内部关系人)", "50,000,000.00 元", "李强",
                         "华北销售分公司", "刘芳", "采购者", "13812345678", "爱好:瑜伽", "第4号供货合同",
                         "1,200,000.00", "拜访张董", "共4条", "部门级", "2026-10-08", "2027-01-08",
                         "打印人:王丽", "2026-11-25 14:30", "重要客户 是"):
            assert expected in page, expected
        assert "第1号供货合同" not in page  # older than the latest three
        for code in ("construction", "end_user", "referral", "buyer", "deal"):
            assert code not in page
    assert "第一联" in pages[0] and "第二联" in pages[1] and "第三联" in pages[2]


def test_blacklisted_customer_prints_the_blacklist_notice(db, tmp_path):
    cid = _customer(db)
    blacklist.add(db, user=None, actor="王丽", customer_id=cid, criterion="恶意拖欠货款", reason="货款逾期120天",
                  on=date(2026, 11, 1))
    pages = _text(card_print.card_pdf(db, customer_id=cid, printed_by="王丽", issuer="华盛地产", now=NOW),
                  tmp_path)
    for page in pages:
        assert "黑名单客户" in page and "货款逾期120天" in page and "华盛地产" in page


def test_overdue_reverification_is_printed(db, tmp_path):
    cid = _customer(db)
    later = datetime(2027, 3, 1, 9, 0)
    pages = _text(card_print.card_pdf(db, customer_id=cid, printed_by="王丽", now=later), tmp_path)
    assert "已逾期" in pages[0]


def test_save_writes_the_file_and_unknown_customers_get_a_chinese_message(db, tmp_path):
    cid = _customer(db)
    target = card_print.save_card_pdf(db, customer_id=cid, path=tmp_path / "档案.pdf", printed_by="王丽")
    assert target.read_bytes().startswith(b"%PDF")
    assert len(_text(target.read_bytes(), tmp_path)) == 3
    with pytest.raises(NotFound) as exc:
        card_print.card_pdf(db, customer_id=uuid.uuid4(), printed_by="王丽")
    assert exc.value.message == "客户不存在"
    with pytest.raises(UserError) as exc:
        card_print.save_card_pdf(db, customer_id=cid, path=tmp_path / "没有的文件夹" / "档案.pdf", printed_by="王丽")
    assert "无法保存文件" in exc.value.message
