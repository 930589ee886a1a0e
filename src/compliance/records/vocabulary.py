"""Closed vocabularies of the records, each value with its Chinese label.

Why: rules and records name values by a stable identifier (``not_started``) but
auditors write and read Chinese (``未开展``). Either spelling is accepted on input;
output uses the label.
"""

from __future__ import annotations

from compliance.core.labels import Labeled

__all__ = ["Labeled"]  # the base of every vocabulary, re-exported for rule and record code


UNSTATED = "未载明"
"""How outputs show a value the records do not state (unknown, not zero or empty)."""


def label_or_unstated(value: Labeled | None) -> str:
    """A vocabulary value's label, or 未载明 when the records do not state it."""
    return UNSTATED if value is None else value.label


class EvaluationKind(Labeled):
    """Who evaluated the project."""

    SELF = "self_evaluation", "单位自评", "自评"
    THIRD_PARTY = "third_party", "第三方评价", "第三方"
    FINANCE = "finance", "财政评价", "财政重点评价"


class Scope(Labeled):
    """What was evaluated: one project's spending or a department's whole spending."""

    PROJECT = "project", "项目支出", "项目"
    DEPARTMENT = "department", "部门整体支出", "部门整体", "整体支出", "机关整体支出"


class Status(Labeled):
    """How far a sub-project got."""

    COMPLETED = "completed", "已完成", "完成", "已验收", "已完工"
    NOT_STARTED = "not_started", "未开展", "未实施"
    IN_PROGRESS = "in_progress", "实施中", "进行中"


class WorkKind(Labeled):
    """What kind of work a sub-project is, or which kind an indicator measures."""

    OPERATION = "operation", "运维"
    CONSTRUCTION = "construction", "建设"
    PROCUREMENT = "procurement", "采购"
    SERVICE = "service", "服务"
    CONSULTING = "consulting", "咨询"
    GENERAL = "general", "通用"


class DocumentType(Labeled):
    """Kinds of document an evaluator looks for in a project's files."""

    BASIS = "basis", "立项依据文件"
    APPROVAL = "approval", "立项批复文件"
    FEASIBILITY_STUDY = "feasibility_study", "可行性研究报告", "可行性研究"
    EXPERT_REVIEW = "expert_review", "专家论证意见", "专家论证"
    MARKET_RESEARCH = "market_research", "市场调研材料", "市场调研"
    RISK_ASSESSMENT = "risk_assessment", "风险评估报告", "风险评估"
    PERFORMANCE_ASSESSMENT = "performance_assessment", "事前绩效评估报告", "事前绩效评估"
    COLLECTIVE_DECISION = "collective_decision", "集体决策记录", "集体决策"
    FINANCIAL_RULES = "financial_rules", "专项财务管理制度"
    BUSINESS_RULES = "business_rules", "专项业务管理制度"
    CONTRACT = "contract", "合同"
    ACCEPTANCE_REPORT = "acceptance_report", "验收报告"
    SATISFACTION_SURVEY = "satisfaction_survey", "满意度调查报告"
    EXECUTION_EXPLANATION = "execution_explanation", "预算执行说明"
    FUNDS_NOTICE = "funds_notice", "资金下达文件", "资金下达通知", "下达文件"
    POLICY = "policy", "政策文件", "管理办法"
    EVALUATION_REPORT = "evaluation_report", "绩效评价报告", "评价报告"
    SELF_EVALUATION_FORM = "self_evaluation_form", "绩效自评表", "自评表"
    OTHER = "other", "其他"


class Attachment(Labeled):
    """Attachments a payment voucher (记账凭证) should carry."""

    INVOICE = "invoice", "发票"
    CONTRACT = "contract", "合同"
    ACCEPTANCE = "acceptance", "验收单"
    BUSINESS_APPROVAL = "business_approval", "业务审核单", "业务审核"
    PAYMENT_APPROVAL = "payment_approval", "付款审批单", "支付审批"


class AdjustmentKind(Labeled):
    """What an adjustment changed."""

    TASK = "task", "任务调整"
    BUDGET = "budget", "预算调整"
    TRANSFER = "transfer", "资金划转"


class Conductor(Labeled):
    """Who carried out a survey."""

    UNIT = "unit", "项目单位"
    EVALUATOR = "evaluator", "评价机构"
    OTHER = "other", "其他"


class Dimension(Labeled):
    """The 二级 indicator dimension, read from the wording of the indicator table."""

    QUANTITY = "quantity", "数量指标", "数量"
    QUALITY = "quality", "质量指标", "质量"
    TIMELINESS = "timeliness", "时效指标", "时效"
    COST = "cost", "成本指标", "成本"
    ECONOMIC_COST = "economic_cost", "经济成本指标", "经济成本"
    SOCIAL_COST = "social_cost", "社会成本指标", "社会成本"
    ECOLOGICAL_COST = "ecological_cost", "生态环境成本指标", "生态环境成本"
    ECONOMIC = "economic", "经济效益指标", "经济效益"
    SOCIAL = "social", "社会效益指标", "社会效益"
    ECOLOGICAL = "ecological", "生态效益指标", "生态效益"
    SUSTAINABLE = "sustainable", "可持续影响指标", "可持续影响", "可持续效益", "可持续效益指标"
    SATISFACTION = "satisfaction", "服务对象满意度指标", "服务对象满意度", "满意度"


class Level1(Labeled):
    """The 一级 indicator."""

    OUTPUT = "output", "产出指标", "产出"
    BENEFIT = "benefit", "效益指标", "效益"
    SATISFACTION = "satisfaction", "满意度指标", "满意度"
    COST = "cost", "成本指标", "成本"


class Severity(Labeled):
    """How much a finding weighs, highest first."""

    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"
    INFO = "info", "提示"

    @property
    def rank(self) -> int:
        """Order for sorting and ``--fail-on``: 0 is the most severe."""
        return _SEVERITY_RANKS[self]


_SEVERITY_RANKS = {severity: index for index, severity in enumerate(Severity)}
"""Each severity's rank, counted once (read for every finding sorted, counted or written)."""
