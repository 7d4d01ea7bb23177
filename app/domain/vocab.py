"""Controlled vocabularies of the regulations: stored codes with Chinese and English labels.

Codes are stored (stable across languages); documents and the Chinese UI show the zh label.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: str


class Vocabulary:
    def __init__(self, *terms: Term):
        self.terms = terms
        self._by_code = {t.code: t for t in terms}
        self._by_label = {t.zh: t for t in terms} | {t.en.lower(): t for t in terms}

    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def label(self, code: str | None, lang: str = "zh") -> str:
        term = self._by_code.get(code or "")
        if term is None:
            return code or ""
        return term.en if lang == "en" else term.zh

    def parse(self, text: str) -> str | None:
        """Accept a code, a Chinese label or an English label (as typed into Excel)."""
        text = (text or "").strip()
        if text in self._by_code:
            return text
        term = self._by_label.get(text) or self._by_label.get(text.lower())
        return term.code if term else None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code


STATUS = Vocabulary(  # 合作状态
    Term("potential", "潜在客户", "Potential"),
    Term("intent", "意向客户", "Intent"),
    Term("deal", "成交客户", "Deal"),
    Term("lost", "流失客户", "Lost"),
)

CUSTOMER_TYPE = Vocabulary(  # 客户类型
    Term("dealer", "经销商", "Dealer"),
    Term("end_user", "终端客户", "End customer"),
    Term("supplier", "供应商", "Supplier"),
    Term("lawyer", "律师", "Lawyer"),
    Term("financial_adviser", "财务顾问", "Financial adviser"),
    Term("advertising", "广告", "Advertising"),
    Term("pr", "公关", "Public relations"),
    Term("bank", "银行", "Bank"),
    Term("insurance", "保险", "Insurance"),
    Term("financing", "融资机构", "Financing institution"),
)

SOURCE = Vocabulary(  # 客户来源
    Term("sales_visit", "销售拜访", "Sales visit"),
    Term("market_research", "市场调研", "Market research"),
    Term("inquiry", "客户主动咨询", "Customer inquiry"),
    Term("referral", "合作伙伴推荐", "Partner referral"),
)

INDUSTRY = Vocabulary(  # 行业
    Term("manufacturing", "制造业", "Manufacturing"),
    Term("services", "服务业", "Services"),
    Term("finance", "金融业", "Finance"),
    Term("internet", "互联网业", "Internet"),
    Term("construction", "建筑业", "Construction"),
    Term("real_estate", "房地产业", "Real estate"),
    Term("trade", "批发零售业", "Wholesale and retail"),
    Term("energy", "能源业", "Energy"),
    Term("other", "其他", "Other"),
)

SIZE = Vocabulary(  # 企业规模
    Term("large", "大型", "Large"),
    Term("medium", "中型", "Medium"),
    Term("small", "小型", "Small"),
)

CHANNEL_LEVEL = Vocabulary(  # 信息渠道等级 (4 = insider with project needs: most valuable)
    Term("1", "一级(公开资料)", "1 (public reports)"),
    Term("2", "二级(行业报告)", "2 (industry analyses)"),
    Term("3", "三级(关联方)", "3 (related parties)"),
    Term("4", "四级(内部关系人)", "4 (insider)"),
)

CONFIDENTIALITY = Vocabulary(  # 保密级别
    Term("company", "公司级", "Company"),
    Term("department", "部门级", "Department"),
    Term("personal", "个人级", "Personal"),
)

CONTACT_ROLE = Vocabulary(  # 联系人员的角色 (the owner, 负责人, is not one of these: it is on the card)
    Term("main", "主联系人", "Main contact"),
    Term("assist", "协助联系人", "Assisting contact"),
)

GRADES = ("A", "B", "C", "D", "E")

ARCHIVE_SECTION = Vocabulary(  # 档案分类
    Term("contract", "合同协议", "Contracts and agreements"),
    Term("receivable", "欠款还款", "Receivables"),
    Term("complaint", "投诉折价", "Complaints and concessions"),
    Term("contact", "联络记录", "Contact log"),
)

ARCHIVE_KIND = {  # entry kinds per section
    "contract": Vocabulary(
        Term("contract", "合同", "Contract"), Term("agreement", "协议", "Agreement"),
    ),
    "receivable": Vocabulary(
        Term("credit_limit", "信用额度", "Credit limit"),
        Term("repayment_plan", "还款计划", "Repayment plan"),
        Term("debt", "欠款", "Debt"),
        Term("repayment", "还款", "Repayment"),
        Term("extension", "延期还款", "Extension"),
    ),
    "complaint": Vocabulary(
        Term("complaint", "投诉", "Complaint"), Term("concession", "折价", "Price concession"),
    ),
    "contact": Vocabulary(
        Term("letter", "信函", "Letter"), Term("fax", "传真", "Fax"), Term("call", "电话", "Call"),
        Term("visit", "拜访", "Visit"), Term("email", "邮件", "E-mail"),
    ),
}

DECISION_ROLE = Vocabulary(  # 关键人在购买决策中的作用
    Term("decider", "决策者", "Decision maker"),
    Term("influencer", "影响者", "Influencer"),
    Term("user", "使用者", "User"),
    Term("buyer", "采购者", "Buyer"),
    Term("gatekeeper", "把关者", "Gatekeeper"),
)
