"""重要客户 and its contact staff (两个以上人员联系): which customers are important, how many are short.

The rule (DOMAIN.md §1, seed 客户信息管理办法: "对一些较重要、未来将发展的新客户,公司要有两个以上的人员与之联系"):
a customer is important when it is marked 重要客户 on the card by hand, or — each a setting, on by default —
its grade is A (important.grade_a) or its size is 大型 (important.large_size). A lost customer (流失客户)
needs no contact team. Contacts counted: the owner (负责人) plus each other assigned staff member still
employed (a leaver no longer counts: the seed asks for a replacement); at least important.min_contacts.
"""
from __future__ import annotations

REASONS = {"flag": "手工标记为重要客户", "grade": "A级客户", "size": "大型企业"}


def importance_reasons(*, flagged: bool, grade: str, size: str, status: str, rules: dict) -> tuple[str, ...]:
    """The reasons (codes of REASONS) that make this customer important; empty when it is not."""
    if status == "lost":
        return ()
    out = []
    if flagged:
        out.append("flag")
    if rules.get("important.grade_a") and (grade or "").strip().upper() == "A":
        out.append("grade")
    if rules.get("important.large_size") and size == "large":
        out.append("size")
    return tuple(out)


def contacts_short(important: bool, assigned: int, minimum: int) -> int:
    """How many more contact staff an important customer needs; 0 when enough or not important."""
    if not important:
        return 0
    return max(0, minimum - max(0, assigned))


def counted_contacts(*, owner_id, owner_active: bool, assigned: list[tuple[object, bool]]) -> int:
    """The owner (if still employed) plus each distinct active assigned staff member who is not the owner."""
    others = {sid for sid, active in assigned if active and sid != owner_id}
    return (1 if owner_id is not None and owner_active else 0) + len(others)
