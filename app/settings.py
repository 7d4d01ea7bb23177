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
from app.domain import advancement, evaluation
from app.domain import blacklist as blacklist_rules
from app.domain.grading import tiers
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
        Option("archive.update_hours", 24, "拜访报告所报变化录入客户卡片的时限(小时)", 1),
        Option("size.large.revenue", 400_000_000, "大型企业年营业收入下限(元)"),
        Option("size.large.headcount", 1000, "大型企业从业人数下限"),
        Option("size.medium.revenue", 20_000_000, "中型企业年营业收入下限(元)"),
        Option("size.medium.headcount", 300, "中型企业从业人数下限"),
        Option("important.min_contacts", 2, "重要新客户最少联系人数"),
        Option("important.grade_a", 1, "A级客户自动列为重要客户(1 是,0 否)", 0, 1),
        Option("important.large_size", 1, "大型企业自动列为重要客户(1 是,0 否)", 0, 1),
        Option("customer.code_prefix", "KH", "客户编号前缀"),
        # 客户黑名单 (DOMAIN §2): admission and elimination criteria, ; between them
        Option("blacklist.criteria", ";".join(blacklist_rules.ADMISSION), "黑名单列入标准(以;分隔)"),
        Option("blacklist.removal_criteria", ";".join(blacklist_rules.ELIMINATION), "黑名单移出标准(以;分隔)"),
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
        # 一人一套: one flat per person (ID number) across every commissioning unit unless policy allows more
        Option("selection.flats_per_person", 1, "每人(身份证号)在所有委建房单位中最多可选套数", 1, 10),
        # 关系房 (app/domain/selection_relationship.py): a GM's phone approval is followed by the paper one
        Option("selection.relationship_paperwork_days", 5, "关系房总经理电话审批后补办书面手续期限(工作日)", 1, 60),
        # 工作日 (app/services/workdays.py): statutory holidays and 调休 from the `holidays` package; these override it
        Option("workdays.rest_days", "", "另计的休息日(覆盖法定节假日表):“年-月-日 名称”当年,“月-日 名称”每年,"
               "用分号分隔;留空:只按法定节假日"),
        Option("workdays.extra_workdays", "", "另计的上班日(调休上班、公司照常上班的节日):“年-月-日”,用分号分隔"),
        # 招待用餐 (app.domain.meals), per person per meal
        Option("meals.key.gm_min", 150, "重要客户·总经理/董事长宴请标准下限(元/人)"),
        Option("meals.key.gm_max", 200, "重要客户·总经理/董事长宴请标准上限(元/人)"),
        Option("meals.key.staff_max", 100, "重要客户·营销人员宴请上限(元/人)"),
        Option("meals.key.cold_buffet_max", 100, "冷餐上限(元/人)"),
        Option("meals.key.cocktail_max", 85, "酒会上限(元/人)"),
        Option("meals.key.tea_max", 60, "茶会上限(元/人)"),
        Option("meals.key.outing_max", 75, "重要客户·外出用餐上限(元/人)"),
        Option("meals.ordinary.gm_max", 100, "一般客户·总经理宴请上限(元/人)"),
        Option("meals.ordinary.outing_min", 60, "一般客户·外出用餐标准下限(元/人)"),
        Option("meals.ordinary.outing_max", 75, "一般客户·外出用餐上限(元/人)"),
        Option("meals.ordinary.staff_min", 50, "一般客户·营销人员宴请标准下限(元/人)"),
        Option("meals.ordinary.staff_max", 55, "一般客户·营销人员宴请上限(元/人)"),
        Option("meals.drinks_divisor", 3, "酒水饮料水果不超过全部费用的 1/N(N)", 1),
        Option("meals.hosts.small_upto", 5, "客人在此人数以下(含)时按小型宴请限制陪同(五人以下)"),
        Option("meals.hosts.small_max", 3, "小型宴请陪同人数上限"),
        Option("meals.hosts.medium_upto", 10, "客人不超过此人数时按中型宴请限制陪同"),
        Option("meals.hosts.medium_max", 5, "中型宴请陪同人数上限"),
        Option("meals.ordinary.strict", 1, "一般客户也执行酒水与陪同人数限制(1 是,0 否)", 0, 1),
        Option("meals.paperwork_days", 3, "口头批准后补办用餐审批手续期限(天)", 1),
        # 客户参观 (app.domain.tours)
        Option("tours.notice.key_days", 3, "重点客户/团体参观提前申请(天)"),
        Option("tours.notice.ordinary_days", 1, "普通客户参观提前申请(天)"),
        Option("tours.notice.temporary_minutes", 60, "临时参观提前电话通知(分钟)"),
        # 客户投诉 (app.domain.complaints)
        Option("complaints.response_hours", 24, "投诉答复时限(小时)", 1),
        Option("inquiries.response_hours", 24, "客户询价及其他函电答复时限(工作时间,小时)", 1, 24 * 30),
        Option("sales.products", "PE管;PE钢丝管;PE钢带增强管;涂塑钢管;负压钢带螺旋焊管;PE四层钢丝管;管件(热熔、电熔、涂塑)",
               "客户销售分析表的产品列(以;分隔;未列出的产品计入“其他”)"),
        Option("routes.office_lat", 30.593, "公司(路线出发点)纬度", -90, 90),
        Option("routes.office_lon", 114.305, "公司(路线出发点)经度", -180, 180),
        Option("routes.return_to_office", 1, "拜访路线最后返回公司(1 是,0 否)", 0, 1),
        Option("routes.road_factor", 1.3, "道路距离系数(实际路程 ÷ 直线距离,1–3)", 1, 3),
        Option("routes.speed_kmh", 30, "拜访路上平均车速(公里/小时)", 1, 200),
        Option("routes.minutes_per_stop", 30, "每家客户拜访停留时间(分钟)"),
        Option("routes.exact_limit", 15, "路线精确求解的最多客户数(更多时用启发式;15家约0.07秒)", 0, 17),
        Option("routes.start_time", 540, "拜访路线出发时间(从0点起的分钟数,540 = 9:00)", 0, 24 * 60 - 1),
        # 拜访日历: the longest gap between two contacts per grade (0: no minimum). A is the regulation's
        # "A级客户至少每季度电话或拜访一次"; B–E are our defaults, to be set by the business.
        Option("visits.interval_days.A", 90, "A级客户最长拜访间隔(天,每季度至少一次)"),
        Option("visits.interval_days.B", 180, "B级客户最长拜访间隔(天,0 不要求)"),
        Option("visits.interval_days.C", 365, "C级客户最长拜访间隔(天,0 不要求)"),
        Option("visits.interval_days.D", 0, "D级客户最长拜访间隔(天,0 不要求)"),
        Option("visits.interval_days.E", 0, "E级客户最长拜访间隔(天,0 不要求)"),
        Option("visits.greeting_days", 14, "生日与节日问候提前提醒(天)"),
        Option("visits.market_report_weekday", 1, "月度市场报告截止:每月第一个星期几(1 周一 … 7 周日)", 1, 7),
        Option("visits.default_minutes", 60, "新拜访计划默认时长(分钟)", 5, 24 * 60),
        Option("visits.timezone", "Asia/Shanghai", "业务时区(拜访日历、参观许可证、用餐月结与投诉编号的日期时间)"),
        Option("visits.holidays", "01-01 元旦; 03-08 妇女节; 05-01 劳动节; 10-01 国庆节; 2026-02-17 春节; 2026-04-05 清明节; "
               "2026-06-19 端午节; 2026-09-25 中秋节; 2027-02-06 春节; 2027-04-05 清明节; 2027-06-09 端午节; "
               "2027-09-15 中秋节",
               "节日(问候与拜访提醒):“月-日 名称”每年,“年-月-日 名称”当年,用分号分隔"),
        # 客户进阶 (app/domain/advancement.py): the criteria per step, ; between them; {…} are the numbers below
        Option("advance.criteria.to_intent", advancement.CRITERIA_DEFAULTS["to_intent"], "进阶标准:潜在→意向(以;分隔)"),
        Option("advance.criteria.to_deal", advancement.CRITERIA_DEFAULTS["to_deal"], "进阶标准:意向→成交(以;分隔)"),
        Option("advance.criteria.deal_to_a", advancement.CRITERIA_DEFAULTS["deal_to_a"], "进阶标准:成交→A级(以;分隔)"),
        Option("advance.criteria.b_to_a", advancement.CRITERIA_DEFAULTS["b_to_a"], "进阶标准:B级→A级(以;分隔)"),
        Option("advance.deal_to_a.satisfaction_pct", 90, "成交→A级:客户满意度下限(%)", 0, 100),
        Option("advance.deal_to_a.share_pct", 5, "成交→A级:年采购额占公司销售总额下限(%)", 0, 100),
        Option("advance.b_to_a.growth_pct", 20, "B级→A级:年采购金额增长率下限(%)"),
        Option("advance.require_all_criteria", 1, "进阶申请须达到全部标准(1 是,0 至少一项)", 0, 1),
        # 客户关系评估表 (app/domain/evaluation.py)
        Option("evaluation.indicators", evaluation.DEFAULT_INDICATORS, "客户关系评估指标(名称:权重,以;分隔)"),
        Option("evaluation.grade_a", 85, "评估等级A最低得分", 0, 100),
        Option("evaluation.grade_b", 70, "评估等级B最低得分", 0, 100),
        Option("evaluation.grade_c", 60, "评估等级C最低得分", 0, 100),
        Option("evaluation.develop_min", 80, "评估结果“发展关系”最低总分", 0, 100),
        Option("evaluation.maintain_min", 60, "评估结果“维持关系”最低总分(以下为终止关系)", 0, 100),
        # 重点客户管理表
        Option("key_customers.top_n", 10, "重点客户管理表每项排名人数", 1, 100),
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
        Option("credit.recheck_months", 3, "财务定期复核信用等级的周期(月)", 1, 24),
        Option("credit.minister_pct", 20, "超出信用额度此比例(%)以内由部长审批,以上报总经理"),
        Option("credit.request_days", 7, "信用额度超限审批申请的有效天数(过期未批完即失效)", 1, 365),
        Option("tier.normal", 5_000_000, "普通大客户年交易额下限(元)"),
        Option("tier.partner", 20_000_000, "伙伴式大客户年交易额下限(元)"),
        Option("tier.strategic", 50_000_000, "战略性大客户年交易额下限(元)"),
        Option("tier.diamond", 5_000_000, "钻石客户年交易额下限(元)"),
        Option("tier.platinum", 2_000_000, "白金客户年交易额下限(元)"),
        Option("tier.gold", 200_000, "黄金客户年交易额下限(元)"),
        Option("tier.vip", 10_000, "VIP客户年交易额下限(元)"),
        Option("tier.city_coefficients", tiers.DEFAULT_CITY_COEFFICIENTS,
               "城市系数(%,较小城市80–90):“城市 系数”用分号分隔,“其他”为未列出的城市"),
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


def put_many(db: Database, values: dict[str, Any], *, expected: dict[str, Any]) -> list[str]:
    """Save the rules that changed from `expected` (what the rules window showed when it opened) as one
    compare-and-set the database enforces: UPDATE ... WHERE value = the value read, row count checked (a
    missing row is INSERTed, its primary key refusing a second desk's). Another desk's save in between
    raises StaleEdit naming both values; nothing is written then. Returns the keys saved."""
    from sqlalchemy import insert, update
    from sqlalchemy.exc import IntegrityError

    from app.errors import StaleEdit

    changed = {k: v for k, v in values.items() if k in OPTIONS and v != expected.get(k)}

    def work(s) -> None:
        stored = dict(s.execute(select(Setting.key, Setting.value).where(Setting.key.in_(list(changed)))).all())
        clashes = []
        for key, value in changed.items():
            old = expected.get(key, OPTIONS[key].default)
            if key in stored:
                done = s.execute(update(Setting).where(Setting.key == key, Setting.value == stored[key])
                                 .values(value=json.dumps(value, ensure_ascii=False))).rowcount
                now = json.loads(stored[key])
                if now != old or done != 1:
                    clashes.append((OPTIONS[key].label, str(now), str(value)))
            else:
                s.execute(insert(Setting).values(key=key, value=json.dumps(value, ensure_ascii=False)))
        if clashes:
            raise StaleEdit(what="业务规则", differences=clashes)

    if changed:
        try:
            db.transact(work)
        except IntegrityError:  # two desks both inserted a rule never saved before: again, on the stored row
            db.transact(work)
    return list(changed)


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
    if key in ("visits.holidays", "workdays.rest_days"):
        from app.domain.visit_rules import parse_holidays

        if bad := parse_holidays(text)[1]:
            raise ValueError(f"看不懂:{'; '.join(bad)}。每项写作“10-01 国庆节”或“2027-02-06 春节”,用分号分隔")
    if key == "workdays.extra_workdays":
        from app.domain.selection_relationship import parse_days

        if bad := parse_days(text)[1]:
            raise ValueError(f"看不懂:{'; '.join(bad)}。每项写作“2026-02-14”,用分号分隔")
    if key == "visits.timezone":
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{option.label}应为时区名称,例如 Asia/Shanghai") from None
    if key == "tier.city_coefficients":
        if bad := tiers.parse_coefficients(text)[1]:
            raise ValueError(f"看不懂:{'; '.join(bad)}。每项写作“海口 80”(50–100),用分号分隔")
    if key == "evaluation.indicators":
        try:
            evaluation.parse_indicators(text)
        except evaluation.BadIndicators as exc:
            raise ValueError(str(exc)) from None
    return text


def size_thresholds(values: dict[str, Any]) -> dict:
    return {
        size: {"revenue": values[f"size.{size}.revenue"], "headcount": values[f"size.{size}.headcount"]}
        for size in ("large", "medium")
    }


def route_rules(values: dict[str, Any]):
    """The route estimate's settings (app.domain.routes.RouteRules) from get_all's values."""
    from app.domain.routes import RouteRules

    return RouteRules(road_factor=float(values["routes.road_factor"]), speed_kmh=float(values["routes.speed_kmh"]),
                      minutes_per_stop=float(values["routes.minutes_per_stop"]))
