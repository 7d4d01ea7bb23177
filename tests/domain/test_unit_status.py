"""Statuses on the sales-control grid (销控表) and the allowed moves."""
import re

from app.domain import unit_status as us


def test_vocabulary_labels_and_colours():
    assert us.UNIT_STATUS.codes() == ["available", "released", "reserved", "chosen", "paid", "certified",
                                      "relationship"]
    assert us.UNIT_STATUS.label("released") == "已释放本单位"
    assert us.UNIT_STATUS.label("relationship", "en") == "Relationship unit"
    assert us.UNIT_STATUS.parse("已选") == "chosen"
    assert set(us.COLOURS) == set(us.UNIT_STATUS.codes()) == set(us.TEXT_COLOURS)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in us.COLOURS.values())
    assert len(set(us.COLOURS.values())) == len(us.COLOURS)  # every status looks different


def test_the_desk_path_from_release_to_certificate():
    path = ["available", "released", "chosen", "paid", "certified"]
    assert all(us.can_move(a, b) for a, b in zip(path, path[1:], strict=False))
    assert not us.can_move("released", "paid")  # no money before the unit is chosen


def test_a_chosen_unit_returns_to_released_only_by_a_reversal():
    assert not us.can_move("chosen", "released")
    assert us.can_move("chosen", "released", reversal=True)
    assert us.can_move("certified", "released", reversal=True)
    assert "红字冲红" in us.move_problem("chosen", "released")
    assert us.move_problem("chosen", "released", reversal=True) is None


def test_a_taken_unit_can_never_be_sold_again():
    for taken in ("chosen", "paid", "certified"):
        assert us.is_taken(taken)
        for again in ("chosen", "available", "reserved"):
            assert not us.can_move(taken, again) and not us.can_move(taken, again, reversal=True)
    assert "一房多卖" in us.move_problem("paid", "chosen")


def test_reserved_units_are_not_offered_to_this_unit():
    assert not us.can_move("reserved", "chosen")
    assert not us.can_move("reserved", "released")
    assert us.allowed_moves("reserved") == ["available"]
    assert us.allowed_moves("available") == ["released", "reserved", "relationship"]


def test_every_move_is_between_known_statuses_and_never_stays_put():
    codes = set(us.UNIT_STATUS.codes())
    for a, b in us.MOVES | us.REVERSALS:
        assert a in codes and b in codes and a != b
    assert not us.MOVES & us.REVERSALS  # a move is either ordinary or a reversal, never both
