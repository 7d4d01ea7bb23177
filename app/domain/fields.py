"""The customer card's fields: key, Chinese label and kind — shared by audit, Excel and print."""
from __future__ import annotations

from dataclasses import dataclass

from app.domain import vocab


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # Chinese label (documents, Excel headers, history)
    kind: str = "text"  # text / amount / int / vocab / date / staff / department / bool
    vocabulary: vocab.Vocabulary | None = None


CUSTOMER_FIELDS: tuple[Field, ...] = (
    Field("code", "客户编号"),
    Field("name", "客户名称"),
    Field("legal_representative", "法定代表人"),
    Field("uscc", "统一社会信用代码"),
    Field("address", "地址"),
    Field("postcode", "邮编"),
    Field("phone", "电话"),
    Field("fax", "传真"),
    Field("business_scope", "经营范围"),
    Field("registered_capital", "注册资本", "amount"),
    Field("industry", "行业", "vocab", vocab.INDUSTRY),
    Field("annual_revenue", "年营业收入", "amount"),
    Field("headcount", "从业人数", "int"),
    Field("size", "企业规模", "vocab", vocab.SIZE),
    Field("region", "区域"),
    Field("distance_km", "距离(公里)", "amount"),
    Field("unsuitable_visit_times", "不宜拜访时间"),
    Field("customer_type", "客户类型", "vocab", vocab.CUSTOMER_TYPE),
    Field("source", "客户来源", "vocab", vocab.SOURCE),
    Field("channel_level", "信息渠道等级", "int"),
    Field("status", "合作状态", "vocab", vocab.STATUS),
    Field("grade", "客户等级"),
    Field("important", "重要客户", "bool"),
    Field("credit_limit", "信用额度", "amount"),
    Field("lost_reason", "流失原因"),
    Field("owner_id", "负责人", "staff"),
    Field("department_id", "部门", "department"),
    Field("confidentiality", "保密级别", "vocab", vocab.CONFIDENTIALITY),
    Field("last_verified_on", "最近核定日期", "date"),
    Field("note", "备注"),
)
CUSTOMER_FIELD = {f.key: f for f in CUSTOMER_FIELDS}

YES_WORDS = frozenset({"是", "重要", "y", "yes", "true", "1", "√", "✓"})
NO_WORDS = frozenset({"否", "", "n", "no", "false", "0", "×", "不是"})


def parse_yes_no(value) -> bool | None:
    """是/否 as people type it in a sheet or a box (是, Y, 1, √ …); None when it is neither."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip().lower()
    if text in YES_WORDS:
        return True
    return False if text in NO_WORDS else None

KEY_PERSON_FIELDS: tuple[Field, ...] = (
    Field("name", "姓名"), Field("work_unit", "工作单位"), Field("position", "职位"),
    Field("address", "住址"), Field("phone", "电话"), Field("mobile", "手机"), Field("email", "邮箱"),
    Field("wechat", "微信"), Field("decision_role", "决策作用", "vocab", vocab.DECISION_ROLE),
    Field("personality", "性格"), Field("hobbies", "爱好"), Field("family", "家庭"),
    Field("education", "学历"), Field("birthday", "生日", "date"), Field("id_number", "身份证号"),
    Field("is_key", "重点关键人", "bool"), Field("note", "备注"),
)
KEY_PERSON_FIELD = {f.key: f for f in KEY_PERSON_FIELDS}

ARCHIVE_FIELDS: tuple[Field, ...] = (
    Field("section", "档案分类", "vocab", vocab.ARCHIVE_SECTION), Field("kind", "类型"),
    Field("entry_date", "日期", "date"), Field("subject", "摘要"), Field("amount", "金额", "amount"),
    Field("due_date", "到期日", "date"), Field("reference", "编号"), Field("content", "内容"),
)
ARCHIVE_FIELD = {f.key: f for f in ARCHIVE_FIELDS}
