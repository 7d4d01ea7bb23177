"""The blacklist's criteria (客户黑名单的列入与移出标准): the defaults of the settings blacklist.criteria and
blacklist.removal_criteria, which the business edits (DOMAIN §2)."""
from __future__ import annotations

ADMISSION = ("恶意拖欠货款", "严重违约", "提供虚假资料", "扰乱市场价格", "涉嫌违法经营", "其他")
ELIMINATION = ("欠款已全部结清", "违约已纠正并赔偿", "资料已核实更正", "整改完成经审批", "其他")


def parse(text: str) -> list[str]:
    """A ;-separated setting (full-width ； too) as its list of criteria."""
    return [c.strip() for c in str(text).replace("；", ";").split(";") if c.strip()]
