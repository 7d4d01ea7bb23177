"""Business-rule settings: declared once with the regulation's default, stored in the database.

Every number of the regulations is a setting here, never a constant in code.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from models import Setting


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    label: str  # Chinese, shown in the settings dialog
    minimum: int = 0
    maximum: int | None = None


OPTIONS = {
    o.key: o
    for o in (
        Option("reverify.interval_months", 3, "档案重新核定周期(月)"),
        Option("reverify.warn_days", 14, "核定到期提前提醒(天)"),
        Option("size.large.revenue", 400_000_000, "大型企业年营业收入下限(元)"),
        Option("size.large.headcount", 1000, "大型企业从业人数下限"),
        Option("size.medium.revenue", 20_000_000, "中型企业年营业收入下限(元)"),
        Option("size.medium.headcount", 300, "中型企业从业人数下限"),
        Option("important.min_contacts", 2, "重要新客户最少联系人数"),
        Option("important.grade_a", 1, "A级客户自动列为重要客户(1 是,0 否)", 0, 1),
        Option("important.large_size", 1, "大型企业自动列为重要客户(1 是,0 否)", 0, 1),
        Option("customer.code_prefix", "KH", "客户编号前缀"),
        Option("security.max_failures", 5, "连续输错密码锁定次数"),
        Option("security.lock_minutes", 15, "账户锁定时长(分钟)"),
        Option("security.min_password_length", 8, "密码最短长度"),
        Option("borrow.max_days", 7, "档案借阅最长天数"),
        Option("backup.day_of_month", 1, "每月自动备份日(1–31,超过当月天数取月末日)", 1, 31),
        Option("backup.keep", 12, "自动备份保留份数", 1),
        Option("backup.directory", "", "自动备份文件夹(留空:本机数据目录下的 backups)"),
        Option("selection.min_payment_ratio", 0.5, "选房最低付款比例(0–1,新建委建房单位时采用)", 0, 1),
        Option("selection.rename_share", 0.5, "更名费比例(市场价与合同价差额的份额,0–1)", 0, 1),
        Option("selection.loan_fee_min", 1000, "转按揭手续费下限(元)"),
        Option("selection.loan_fee_max", 3000, "转按揭手续费上限(元)"),
        # 客户分级 (DOMAIN.md §3; docs/grading.md): percentages are whole numbers
        Option("grading.share.a", 90, "销售额占比分级:A级累计占比下限(%)", 0, 100),
        Option("grading.share.b", 80, "销售额占比分级:B级累计占比下限(%)", 0, 100),
        Option("grading.share.c", 70, "销售额占比分级:C级累计占比下限(%)", 0, 100),
        Option("grading.share.d", 60, "销售额占比分级:D级累计占比下限(%)", 0, 100),
        Option("grading.weight.sales", 20, "百分制评分权重:销售规模", 0, 100),
        Option("grading.weight.payment", 20, "百分制评分权重:回款信誉", 0, 100),
        Option("grading.weight.margin", 15, "百分制评分权重:产品利润率", 0, 100),
        Option("grading.weight.orders", 10, "百分制评分权重:订单量", 0, 100),
        Option("grading.weight.sales_model", 10, "百分制评分权重:销售模式", 0, 100),
        Option("grading.weight.their_share", 10, "百分制评分权重:我司产品占其销售比例", 0, 100),
        Option("grading.weight.years", 10, "百分制评分权重:经营我司产品年限", 0, 100),
        Option("grading.weight.reputation", 5, "百分制评分权重:行业信誉", 0, 100),
        Option("grading.quota.a", 20, "强制分布:A级比例(%)", 0, 100),
        Option("grading.quota.b", 30, "强制分布:B级比例(%)", 0, 100),
        Option("grading.quota.c", 40, "强制分布:C级比例(%)", 0, 100),
        Option("grading.quota.d", 10, "强制分布:D级比例(%)", 0, 100),
        Option("grading.margin_full", 30, "利润率达到此值(%)得满分", 1, 100),
        Option("grading.years_full", 5, "经营年限达到此值(年)得满分", 1),
        Option("grading.attribute_default", 50, "未填写的评分项按此分(0–100)", 0, 100),
        Option("credit.b_max_late", 1, "信用B级:期内逾期付款最多次数"),
        Option("credit.c_max_late", 3, "信用C级:期内逾期付款最多次数"),
        Option("credit.b_start", 100_000, "信用B级:起始信用额度(元)"),
        Option("credit.b_step", 10_000, "信用B级:每次按时付款增加额度(元)"),
        Option("credit.b_cap", 1_000_000, "信用B级:信用额度上限(元)"),
        Option("credit.c_limit", 20_000, "信用C级:小额信用额度(元)"),
        Option("credit.minister_pct", 20, "超出信用额度此比例(%)以内由部长审批,以上报总经理"),
        Option("tier.normal", 5_000_000, "普通大客户年交易额下限(元)"),
        Option("tier.partner", 20_000_000, "伙伴式大客户年交易额下限(元)"),
        Option("tier.strategic", 50_000_000, "战略性大客户年交易额下限(元)"),
        Option("tier.diamond", 5_000_000, "钻石客户年交易额下限(元)"),
        Option("tier.platinum", 2_000_000, "白金客户年交易额下限(元)"),
        Option("tier.gold", 200_000, "黄金客户年交易额下限(元)"),
        Option("tier.vip", 10_000, "VIP客户年交易额下限(元)"),
        Option("tier.city_coefficient", 100, "城市系数(%,较小城市80–90)", 50, 100),
        # 分级政策 (DOMAIN.md §3.2)
        Option("policy.price.a", -5, "A级:最多低于内部控制价(%,负数为低于)", -100, 100),
        Option("policy.price.b", -3, "B级:最多低于内部控制价(%)", -100, 100),
        Option("policy.price.c", 0, "C级:价格相对内部控制价(%)", -100, 100),
        Option("policy.price.d", 5, "D级:高于内部控制价(%)", -100, 100),
        Option("policy.term_days.a", 90, "A级:交货后最长付款期(天)"),
        Option("policy.term_days.b", 30, "B级:货到付款或最长付款期(天)"),
        Option("policy.delivery.a", 20, "A级:交货期(天)"),
        Option("policy.delivery.b", 30, "B级:交货期(天)"),
        Option("policy.delivery.c", 40, "C级:交货期(天)"),
        Option("policy.delivery.d", 40, "D级:交货期(天)"),
        Option("policy.reply_hours", 24, "客户询问答复时限(小时)"),
        Option("policy.visit_months.a", 3, "A级客户最少每隔几个月电话或拜访一次"),
        Option("policy.late_per_quarter", 2, "一个季度内逾期付款达到此次数,付款条件立即降一级", 1),
    )
}


def get(db: Database, key: str) -> Any:
    option = OPTIONS[key]
    with db.read() as s:
        raw = s.scalar(select(Setting.value).where(Setting.key == key))
    return option.default if raw is None else json.loads(raw)


def get_all(db: Database, *, session: Session | None = None) -> dict[str, Any]:
    """Every rule with its default filled in; pass a session to read inside an open transaction."""
    if session is None:
        with db.read() as s:
            return get_all(db, session=s)
    stored = {k: json.loads(v) for k, v in session.execute(select(Setting.key, Setting.value))}
    return {k: stored.get(k, o.default) for k, o in OPTIONS.items()}


def put(db: Database, key: str, value: Any) -> None:
    if key not in OPTIONS:
        raise KeyError(key)

    def work(s):
        row = s.get(Setting, key)
        text = json.dumps(value, ensure_ascii=False)
        if row is None:
            s.add(Setting(key=key, value=text))
        else:
            row.value = text

    db.transact(work)


def parse(key: str, text: str) -> Any:
    """Typed value from what was typed, same type as the default; ValueError with a Chinese message."""
    option = OPTIONS[key]
    text = (text or "").strip()
    if isinstance(option.default, int):
        try:
            value = int(text.replace(",", ""))
        except ValueError:
            raise ValueError(f"{option.label}应为整数") from None
        if value < 0 <= option.minimum:  # a setting may allow negatives (price offsets)
            raise ValueError(f"{option.label}不能为负数")
        if value < option.minimum or (option.maximum is not None and value > option.maximum):
            top = f"–{option.maximum}" if option.maximum is not None else " 或以上"
            raise ValueError(f"{option.label}应为 {option.minimum}{top}")
        return value
    if isinstance(option.default, float):  # a ratio such as 0.5, kept as typed to the fen
        try:
            value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except ValueError:
            raise ValueError(f"{option.label}应为小数,例如 {option.default}") from None
        if value < option.minimum or (option.maximum is not None and value > option.maximum):
            raise ValueError(f"{option.label}应在 {option.minimum} 与 {option.maximum} 之间")
        return value
    if not text and option.default != "":  # an empty default means "leave empty for the usual place"
        raise ValueError(f"请填写{option.label}")
    return text


def size_thresholds(values: dict[str, Any]) -> dict:
    return {
        size: {"revenue": values[f"size.{size}.revenue"], "headcount": values[f"size.{size}.headcount"]}
        for size in ("large", "medium")
    }
