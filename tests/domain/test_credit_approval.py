"""信用额度超限审批, pure: who approves how far over the limit, and the order of the steps."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.domain import credit_approval as flow
from app.domain.grading.credit import GM, MINISTER, approvers, credit_limit

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def test_exactly_minister_pct_over_is_the_ministers_a_cent_more_goes_to_the_gm():
    limit = Decimal("100000.00")
    assert approvers(limit, Decimal("100000.00")) == ()
    assert approvers(limit, Decimal("100000.01")) == (MINISTER,)
    assert approvers(limit, Decimal("120000.00")) == (MINISTER,)
    assert approvers(limit, Decimal("120000.01")) == (MINISTER, GM)
    assert approvers(limit, Decimal("110000.00"), minister_pct=10) == (MINISTER,)
    assert approvers(limit, Decimal("110000.01"), minister_pct=10) == (MINISTER, GM)


def test_a_d_customer_has_no_limit_so_any_credit_goes_to_the_gm():
    limit = credit_limit("D", period_sales=Decimal("5000000"), on_time=10)
    assert limit == Decimal("0.00")
    assert approvers(limit, Decimal("0.01")) == (MINISTER, GM)
    assert approvers(limit, Decimal("0")) == ()


def _req(state="minister", needs_gm=True, minister=""):
    return flow.Request(state, needs_gm, "rep", minister, NOW + timedelta(days=7))


def test_the_minister_then_the_gm_and_nobody_twice_or_for_themselves():
    both = {"credit.approve.minister", "credit.approve.gm"}
    with pytest.raises(flow.StepRefused, match="自己"):
        flow.decide(_req(), actor_key="rep", permissions=both, approve=True, now=NOW)
    with pytest.raises(flow.StepRefused, match="部长审批权限"):
        flow.decide(_req(), actor_key="gm", permissions={"credit.approve.gm"}, approve=True, now=NOW)
    assert flow.decide(_req(), actor_key="bm", permissions=both, approve=True, now=NOW) == "gm"
    assert flow.decide(_req(needs_gm=False), actor_key="bm", permissions=both, approve=True, now=NOW) == "approved"
    with pytest.raises(flow.StepRefused, match="同一人"):
        flow.decide(_req("gm", minister="bm"), actor_key="bm", permissions=both, approve=True, now=NOW)
    assert flow.decide(_req("gm", minister="bm"), actor_key="gm", permissions=both, approve=False,
                       now=NOW) == "refused"
    with pytest.raises(flow.StepRefused, match="已批准"):
        flow.decide(_req("approved"), actor_key="gm", permissions=both, approve=True, now=NOW)


def test_a_request_lapses_at_its_expiry():
    req = flow.Request("minister", False, "rep", "", flow.expiry(NOW, 7))
    assert not flow.lapsed(req, NOW + timedelta(days=7) - timedelta(seconds=1))
    assert flow.lapsed(req, NOW + timedelta(days=7))
    with pytest.raises(flow.StepRefused, match="过期"):
        flow.decide(req, actor_key="bm", permissions={"credit.approve.minister"}, approve=True,
                    now=NOW + timedelta(days=8))
