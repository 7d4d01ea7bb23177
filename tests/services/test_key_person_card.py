"""重点客户卡片: a key person's printable card, printed by the owning rep from the customer card."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.errors import UserError
from app.services import archive, key_person_card, key_persons
from app.services.customers import create_customer
from app.services.users import PermissionDenied
from models import ReadLog
from tests import pdfcheck
from tests.services.demo_office import logins  # noqa: F401  (fixture)

NOW = datetime(2026, 12, 8, 9, 0)


def _text(pdf: bytes, tmp_path) -> str:
    return re.sub(r"\s+", " ", pdfcheck.text(pdf))


def test_the_rep_prints_a_key_persons_card(logins, tmp_path):  # noqa: F811
    db, who = logins
    rep = who["rep"]
    cid = create_customer(db, actor="李业务", user=rep, values={"name": "武汉重型机床有限公司", "important": True})
    boss = key_persons.add_person(db, actor="李业务", customer_id=cid, user=rep, values={
        "name": "陈志远", "position": "董事长", "decision_role": "decider", "mobile": "13907150001",
        "birthday": date(1968, 3, 15), "hobbies": "围棋", "family": "一子在读大学", "is_key": True})
    buyer = key_persons.add_person(db, actor="李业务", customer_id=cid, user=rep,
                                   values={"name": "王敏", "position": "采购经理"})
    key_persons.add_relation(db, actor="李业务", from_id=boss, to_id=buyer, relation="上下级", user=rep)
    archive.add_entry(db, actor="李业务", customer_id=cid, user=rep, values={
        "section": "contact", "kind": "letter", "entry_date": date(2026, 3, 14), "subject": "寄送陈志远生日贺卡"})
    text = _text(key_person_card.card_pdf(db, person_id=boss, printed_by="李业务", user=rep, now=NOW), tmp_path)
    for expected in ("重点客户卡片", "武汉重型机床有限公司", "陈志远", "董事长", "决策者", "13907150001",
                     "1968-03-15", "58岁", "围棋", "上下级", "王敏", "寄送陈志远生日贺卡"):
        assert expected in text, expected
    with db.read() as s:
        assert s.execute(select(ReadLog.action, ReadLog.allowed).where(ReadLog.username == "rep")
                         .order_by(ReadLog.at.desc())).first() == ("print", True)
    with pytest.raises(UserError) as exc:  # only key persons have the card
        key_person_card.card_pdf(db, person_id=buyer, printed_by="李业务", user=rep, now=NOW)
    assert "重点关键人" in exc.value.message
    with pytest.raises(PermissionDenied):  # another department's rep may not print it
        key_person_card.card_pdf(db, person_id=boss, printed_by="赵业务", user=who["rep2"], now=NOW)
