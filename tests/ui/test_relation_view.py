"""The relation drawing: labels of relations between the same two people do not overlap; arrows point from → to."""
from __future__ import annotations

import uuid

from PySide6.QtCore import QPointF

from app.services.key_persons import RelationInfo
from ui.customers.relation_view import NODE_HALF, arrow_head, edge_point, label_slots


def test_labels_of_the_same_two_people_stack_and_arrows_end_at_the_box(qapp):
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    rels = [RelationInfo(uuid.uuid4(), a, "甲", b, "乙", "上下级", ""),
            RelationInfo(uuid.uuid4(), b, "乙", a, "甲", "同学", ""),
            RelationInfo(uuid.uuid4(), a, "甲", c, "丙", "亲属", "")]
    assert label_slots(rels) == [0, 1, 0]
    centre, other = QPointF(100, 100), QPointF(300, 100)
    assert edge_point(centre, other) == QPointF(100 + NODE_HALF.x(), 100)
    tip = edge_point(other, centre)
    head = arrow_head(tip, edge_point(centre, other))
    assert head.at(0) == tip and all(head.at(i).x() < tip.x() for i in (1, 2))  # pointing right, into the box
