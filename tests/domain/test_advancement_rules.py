"""Advancement workflow (客户进阶): order enforced, rights checked, nobody approves their own application."""
from __future__ import annotations

import pytest

from app.domain import advancement as adv
from app.domain.advancement import Actor, StepRefused, next_state

REP = Actor("rep", frozenset({"grading.advance.apply"}))
SUPERVISOR = Actor("sup", frozenset({"grading.advance.apply", "grading.advance.review"}))
MANAGER = Actor("mgr", frozenset({"grading.advance.apply", "grading.advance.review", "grading.advance.approve"}))


def test_the_happy_path_in_order():
    state = next_state("submitted", "agree", actor=SUPERVISOR, applicant="rep")
    assert state == "reviewed"
    state = next_state(state, "approve", actor=MANAGER, applicant="rep", reviewer="sup")
    assert state == "approved"
    assert next_state(state, "notify", actor=REP, applicant="rep") == "notified"


def test_the_manager_cannot_approve_before_the_supervisor_reviewed():
    with pytest.raises(StepRefused, match="待主管审核"):
        next_state("submitted", "approve", actor=MANAGER, applicant="rep")


def test_nobody_reviews_or_approves_their_own_application():
    with pytest.raises(StepRefused, match="自己"):
        next_state("submitted", "agree", actor=SUPERVISOR, applicant="sup")
    with pytest.raises(StepRefused, match="自己"):
        next_state("reviewed", "approve", actor=MANAGER, applicant="mgr", reviewer="sup")
    with pytest.raises(StepRefused, match="同一人"):
        next_state("reviewed", "approve", actor=MANAGER, applicant="rep", reviewer="mgr")


def test_a_rep_may_neither_review_nor_approve():
    with pytest.raises(StepRefused, match="审核"):
        next_state("submitted", "agree", actor=Actor("other", REP.permissions), applicant="rep")
    with pytest.raises(StepRefused, match="审批"):
        next_state("reviewed", "approve", actor=SUPERVISOR, applicant="rep", reviewer="x")


def test_returned_goes_back_to_the_applicant_only():
    assert next_state("submitted", "return", actor=SUPERVISOR, applicant="rep") == "returned"
    assert next_state("reviewed", "send_back", actor=MANAGER, applicant="rep", reviewer="sup") == "returned"
    with pytest.raises(StepRefused, match="申请人本人"):
        next_state("returned", "resubmit", actor=SUPERVISOR, applicant="rep")
    assert next_state("returned", "resubmit", actor=REP, applicant="rep") == "submitted"


def test_finished_applications_do_not_move():
    for state in ("approved", "notified", "withdrawn"):
        with pytest.raises(StepRefused):
            next_state(state, "withdraw", actor=REP, applicant="rep")
    with pytest.raises(StepRefused):
        next_state("notified", "notify", actor=REP, applicant="rep")


def test_steps_follow_the_customer_stage():
    codes = lambda **kw: [s.code for s in adv.steps_for(**kw)]  # noqa: E731
    assert codes(status="potential", grade="") == ["to_intent"]
    assert codes(status="intent", grade="") == ["to_deal"]
    assert codes(status="deal", grade="C") == ["deal_to_a"]
    assert codes(status="deal", grade="B") == ["deal_to_a", "b_to_a"]
    assert codes(status="deal", grade="A") == []
    assert codes(status="lost", grade="B") == []


def test_criteria_come_from_the_settings_with_the_numbers_filled_in():
    rules = {"advance.deal_to_a.satisfaction_pct": 95, "advance.deal_to_a.share_pct": 3}
    items = adv.criteria("deal_to_a", rules)
    assert len(items) == 3 and "95%" in items[0] and "3%" in items[1]
    assert adv.criteria("to_intent", {"advance.criteria.to_intent": "甲;乙;"}) == ["甲", "乙"]
    assert adv.criteria("to_intent", {"advance.criteria.to_intent": "满意度{高};乙"}) == ["满意度{高}", "乙"]


def test_an_application_needs_reasons_and_the_criteria():
    crit = ["甲", "乙"]
    assert adv.check_application(step="to_intent", reasons="有需求", criteria_met=crit, all_criteria=crit,
                                 require_all=True) == {}
    errors = adv.check_application(step="to_intent", reasons=" ", criteria_met=["甲"], all_criteria=crit,
                                   require_all=True)
    assert set(errors) == {"reasons", "criteria"} and "2" in errors["criteria"]
    assert adv.check_application(step="to_intent", reasons="x", criteria_met=["甲"], all_criteria=crit,
                                 require_all=False) == {}
