"""Build self-evaluation form files the way budget systems and evaluators hand them over.

The values come from the YAML cases under ``cases/selfeval-*`` (written once, there); the
layouts follow published forms: the central form (财政部 项目支出绩效自评表: 项目资金 block with
年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, 年度总体目标, 绩效指标 with
偏差原因分析及改进措施, 总分) and the provincial one (年初预算 | 调整后预算数 | 预算执行数 | … | 原因,
指标性质 and 度量单位 columns; see /work/shared/real-docs/17_dyrmt_salary_form_fragment.txt).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import openpyxl
import xlsxwriter
import yaml
from openpyxl.styles import Alignment

_PERCENT = re.compile(r"^\d+(\.\d+)?%$")
ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"
FORMS = ROOT / "tests" / "data" / "forms"

CENTRAL_FUNDS = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
PROVINCIAL_FUNDS = ["年初预算", "调整后预算数", "预算执行数", "分值", "执行率", "得分", "原因"]
CENTRAL_INDICATORS = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]
PROVINCIAL_INDICATORS = [
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "年度指标值",
    "度量单位",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]


def case_data(name: str) -> dict[str, Any]:
    """The records of a self-evaluation case, as written in its project.yaml."""
    return case_data_at(CASES / name)


def case_data_at(folder: Path) -> dict[str, Any]:
    """The records of the case in ``folder`` (its project.yaml)."""
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


@dataclass
class Sheet:
    """Rows of cell values (None = empty) and merged ranges, as a form prints them."""

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # r1, c1, r2, c2 (1-based)

    def add(self, *values: Any) -> int:
        self.rows.append(list(values))
        return len(self.rows)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append((r1, c1, r2, c2))


def _value(item: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in item:
            return item[key]
    return None


def _number(value: Any) -> Any:
    if isinstance(value, str) and value.endswith("%"):
        return value
    return value


def form_rows(
    data: dict[str, Any],
    provincial: bool = False,
    *,
    sheet: Sheet | None = None,
    offset: int = 0,
    headings: bool = False,
    blank_rows: bool = False,
    grade: bool = True,
) -> Sheet:
    """Lay one form out on ``sheet`` (appending), ``offset`` empty columns to its left.

    ``headings`` prints the 一级 indicator once as a group heading row ``产出指标（50分）``;
    ``blank_rows`` adds empty rows between the blocks, as forms pasted together have.
    """
    sheet = sheet or Sheet("自评表")
    pad = [None] * offset
    funds_cols = PROVINCIAL_FUNDS if provincial else CENTRAL_FUNDS
    ind_cols = PROVINCIAL_INDICATORS if provincial else CENTRAL_INDICATORS
    width = 1 + len(ind_cols)
    project, form = data["project"], data.get("form", {})
    c0 = offset + 1

    def add(*values: Any) -> int:
        return sheet.add(*pad, *values)

    r = add("项目支出绩效自评表")
    sheet.merge(r, c0, r, c0 + width - 1)
    r = add(f"（{project['year']}年度）")
    sheet.merge(r, c0, r, c0 + width - 1)
    r = add("项目名称", project["name"])
    sheet.merge(r, c0 + 1, r, c0 + width - 1)
    r = add(
        "主管部门", project["department"], None, None, "实施单位", project.get("implementing_unit")
    )
    if blank_rows:
        add()
    first = add("项目资金（万元）", None, *funds_cols)
    for row in data.get("form_funds", []):
        label = row["row"]
        label = "其中：本年财政拨款" if label == "本年财政拨款" else label
        add(None, label, *[_number(row.get(col)) for col in funds_cols])
    sheet.merge(first, c0, len(sheet.rows), c0)
    if blank_rows:
        add()
    r = add("年度总体目标", "预期目标", None, None, None, "实际完成情况")
    add(None, form.get("预期目标"), None, None, None, form.get("实际完成情况"))
    sheet.merge(r, c0, r + 1, c0)
    first = add("绩效指标", *ind_cols)
    last_level1 = None
    start_level1 = 0
    for item in data.get("indicators", []):
        level1 = item["一级指标"]
        if headings and level1 != last_level1:
            add(None, f"{level1}（{_weight_of(data, level1)}分）")
        values = []
        for col in ind_cols:
            if col == "一级指标":
                values.append(None if headings or level1 == last_level1 else level1)
            else:
                values.append(_value(item, col, *_ALIASES.get(col, ())))
        r = add(None, *values)
        if level1 != last_level1:
            if start_level1 and not headings and r - 1 > start_level1:
                sheet.merge(start_level1, c0 + 1, r - 1, c0 + 1)
            start_level1 = r
        last_level1 = level1
    sheet.merge(first, c0, len(sheet.rows), c0)
    weight_at = ind_cols.index("分值") + 1
    total: list[Any] = ["总分"] + [None] * len(ind_cols)
    total[weight_at] = 100
    total[weight_at + 1] = form.get("自评得分")
    add(*total)
    if grade and form.get("评价等级"):
        add("评价等级", form.get("评价等级"))
    if form.get("自评结论"):
        add("自评结论", form.get("自评结论"))
    return sheet


_ALIASES = {
    "年度指标值": ("指标值",),
    "偏差原因分析及改进措施": ("偏差原因", "deviation_reason"),
}


def _weight_of(data: dict[str, Any], level1: str) -> str:
    total = sum(float(i.get("分值") or 0) for i in data["indicators"] if i["一级指标"] == level1)
    return f"{total:g}"


def write_xlsx(path: Path, sheets: list[Sheet], *, percent_cells: bool = False) -> Path:
    """Write sheets with openpyxl, merges and wrapped text as a form has them.

    ``percent_cells`` stores ``98.8%`` as the number 0.988 shown with format 0.00%, as a
    form filled in Excel does.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in sheets:
        ws = book.create_sheet(spec.name)
        for r, values in enumerate(spec.rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is None:
                    continue
                cell = ws.cell(r, c)
                if percent_cells and isinstance(value, str) and _PERCENT.match(value):
                    cell.value = float(value[:-1]) / 100
                    cell.number_format = "0.00%"
                else:
                    cell.value = value
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # typed text such as "=100%", not a formula
                cell.alignment = Alignment(wrap_text=True)
        for r1, c1, r2, c2 in spec.merges:
            if (r1, c1) != (r2, c2):
                ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_wps_style(path: Path, data: dict[str, Any]) -> Path:
    """A form as WPS users hand it over: spaced and colon-ended labels, numbers typed as
    text with thousands separators, a default sheet name, and the table shifted right."""
    sheet = form_rows(data, sheet=Sheet("Sheet1"), offset=1, blank_rows=True)
    for row in sheet.rows:
        for c, value in enumerate(row):
            if value == "项目名称":
                row[c] = "项 目 名 称："
            elif value == "主管部门":
                row[c] = "主管部门："
            elif isinstance(value, float | int) and not isinstance(value, bool) and value >= 1000:
                row[c] = f"{value:,.2f}"
    return write_xlsx(path, [sheet])


def write_docx(
    path: Path, data: dict[str, Any], provincial: bool = False, *more: dict[str, Any]
) -> Path:
    """Forms as Word tables, each title a paragraph above its table, merged cells as Word has
    them; ``more`` forms (same layout) follow in the same document, one table each."""
    document = docx.Document()
    for index, item in enumerate((data, *more)):
        sheet = form_rows(item, provincial, sheet=Sheet(f"表{index + 1}"))
        for row in sheet.rows[:2]:
            document.add_paragraph(str(row[0]))
        rows = sheet.rows[2:]
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value is not None:
                    table.cell(r, c).text = str(value)
        for r1, c1, r2, c2 in sheet.merges:
            if r1 <= 2 or (r1, c1) == (r2, c2):
                continue
            table.cell(r1 - 3, c1 - 1).merge(table.cell(r2 - 3, c2 - 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def soffice() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, fmt: str, out_dir: Path, *more: Path) -> Path:
    """Convert with LibreOffice headless (``xls``, ``ods``, ``xlsx``), ``more`` files in the same
    run (one start of LibreOffice); returns the first new file."""
    command = soffice()
    assert command, "LibreOffice is not installed"
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            command,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{out_dir / '.lo-profile'}",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            str(source),
            *(str(p) for p in more),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out_dir / f"{source.stem}.{fmt}"


def write_formula_error(path: Path, data: dict[str, Any]) -> Path:
    """A form whose 执行率 cell holds =E6/D6 over a zero budget: Excel shows #DIV/0!."""
    sheet = form_rows(data)
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(sheet.name)
    error_at = None
    for r, values in enumerate(sheet.rows):
        for c, value in enumerate(values):
            if value is None:
                continue
            if values[1:2] == ["年度资金总额"] and isinstance(value, str) and value.endswith("%"):
                ws.write_formula(r, c, "=E6/0", None, "#DIV/0!")
                error_at = (r, c)
            else:
                ws.write(r, c, value)
    book.close()
    assert error_at is not None
    return path


def write_encrypted(path: Path, data: dict[str, Any], password: str = "secret") -> Path:
    """The form saved with a password to open, as Excel encrypts it (ECMA-376 agile)."""
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx(path.with_suffix(".plain.xlsx"), [form_rows(data)])
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt(password, target)
    plain.unlink()
    assert msoffcrypto is not None
    return path


def write_corrupt(path: Path, data: dict[str, Any]) -> Path:
    """A form cut off halfway through the download: the zip's directory is gone."""
    whole = write_xlsx(path.with_suffix(".whole.xlsx"), [form_rows(data)]).read_bytes()
    whole_path = path.with_suffix(".whole.xlsx")
    whole_path.unlink()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def write_huge_sheet(path: Path, data: dict[str, Any], megabytes: int = 50) -> Path:
    """A form whose sheet unpacks to ``megabytes`` MB (a stray formatted range), zipped small."""
    small = write_xlsx(path.with_suffix(".small.xlsx"), [form_rows(data)])
    with (
        zipfile.ZipFile(small) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"</sheetData>", b" " * (megabytes << 20) + b"</sheetData>"
                )
            target.writestr(info, content)
    small.unlink()
    return path


def write_no_form(path: Path) -> Path:
    """A workbook with a table that is not a self-evaluation form."""
    return write_xlsx(path, [Sheet("Sheet1", [["序号", "姓名", "金额"], [1, "张三", 100]])])


def sichuan_rows() -> Sheet:
    """A Sichuan 部门预算项目支出绩效自评表 (预算执行情况 10 分 + 绩效指标 90 分).

    The indicator block is the one in /work/shared/real-docs/17_dyrmt_salary_form_fragment.txt,
    as printed: 完成值 and 得分 left blank, weights 22.5, 评价结论“及时、足额缴纳。”, 存在问题 and
    改进措施“暂无”. The header and the funds figures are not in that fragment: they are written
    examples (项目名称, 单位 and amounts invented, marked here).
    """
    sheet = Sheet("自评表")
    sheet.add("项目支出绩效自评表")
    sheet.add("（2021年度）")
    sheet.add("项目名称", "在职人员社会保险缴费（示例）")
    sheet.add("主管部门", "示例县某局（示例）", None, None, "实施单位", "示例县某局（示例）")
    sheet.add(
        "项目资金（万元）",
        None,
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "预算执行率",
        "得分",
    )
    sheet.add(None, "总额", 36.0, 36.0, 35.1, 10, "97.50%", 9.75)
    sheet.add(None, "财政资金", 36.0, 36.0, 35.1, None, None, None)
    sheet.add(None, "财政专户管理资金", None, None, None, None, None, None)
    sheet.add(None, "单位资金", None, None, None, None, None, None)
    sheet.add(None, "其他资金", None, None, None, None, None, None)
    sheet.add("年度目标", "预期目标", None, None, None, "实际完成目标")
    sheet.add(
        None, "及时、足额缴纳在职人员社会保险。（示例）", None, None, None, "及时、足额缴纳。"
    )
    sheet.add(
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "完成值",
        "权重",
        "得分",
        "未完成原因分析",
    )
    sheet.add(None, "产出指标", "数量指标", "足额保障率", "=100%", None, 22.5, None, None)
    sheet.add(None, None, None, "科目调整次数", "≤10次", None, 22.5, None, None)
    sheet.add(None, None, "时效指标", "按时发放率", "=100%", None, 22.5, None, None)
    sheet.add(
        None, "效益指标", "经济效益指标", "结余率(计算方法为:结余数/预算数)", "≤5%", None, 22.5
    )
    sheet.add("合计", None, None, None, None, None, 100, None)
    sheet.add("评价结论", "及时、足额缴纳。")
    sheet.add("存在问题", "暂无")
    sheet.add("改进措施", "暂无")
    sheet.add("项目负责人：", None, None, None, "财务负责人：")
    return sheet


def _printed(model: Any, key: str) -> str | None:
    """The label a form prints for a YAML key: the key itself when Chinese, else the model's
    first Chinese alias or title (``reason`` → ``原因``); None for keys a form never prints."""
    if not key.isascii():
        return key
    info = model.model_fields.get(key)
    if info is None or key in ("source", "code", "layout", "row"):
        return None
    alias = info.validation_alias
    choices = [c for c in getattr(alias, "choices", []) if isinstance(c, str) and not c.isascii()]
    return choices[0] if choices else (info.title or "").split("（")[0] or None


def _columns(rows: list[dict[str, Any]], model: Any) -> list[tuple[str, str]]:
    """(printed label, YAML key) of every column the rows use, in first-seen order."""
    seen: dict[str, str] = {}
    for row in rows:
        for key in row:
            label = _printed(model, key)
            if label and label not in seen:
                seen[label] = key
    return [(label, key) for label, key in seen.items()]


def _cell(value: Any) -> Any:
    return None if value == "" or value is None else value


def case_form(data: dict[str, Any]) -> Sheet:
    """Print a self-evaluation case (``project.yaml``) as the form it was transcribed from.

    The columns and labels are the case's own keys (the form's printed labels), so a case in
    any layout — central, provincial, Sichuan — comes out in that layout.
    """
    from compliance.records.forms import FundsRow, SelfEvaluation
    from compliance.records.indicators import Indicator

    project, form = data["project"], dict(data.get("form") or {})
    sheet = Sheet("自评表")
    sheet.add("项目支出绩效自评表")
    sheet.add(f"（{project['year']}年度）")
    sheet.add("项目名称", project["name"])
    sheet.add(
        "主管部门",
        project.get("department"),
        None,
        None,
        "实施单位",
        project.get("implementing_unit"),
    )
    funds = data.get("form_funds") or []
    if funds:
        columns = _columns(funds, FundsRow)
        sheet.add("项目资金（万元）", None, *(label for label, _ in columns))
        for row in funds:
            sheet.add(None, row["row"], *(_cell(row.get(key)) for _, key in columns))
    goal_keys = [
        k for k in form if _field_of(SelfEvaluation, k) in ("goal_expected", "goal_actual")
    ]
    if goal_keys:
        labels = [_printed(SelfEvaluation, k) for k in goal_keys]
        sheet.add("年度总体目标", labels[0], None, None, None, *labels[1:])
        sheet.add(None, _cell(form[goal_keys[0]]), None, None, None,
                  *(_cell(form[k]) for k in goal_keys[1:]))  # fmt: skip
    indicators = data.get("indicators") or []
    score_key = next((k for k in form if _field_of(SelfEvaluation, k) == "claimed_score"), None)
    if indicators:
        columns = _columns(indicators, Indicator)
        sheet.add("绩效指标", *(label for label, _ in columns))
        for item in indicators:
            sheet.add(None, *(_cell(item.get(key)) for _, key in columns))
        if score_key is not None:
            fields = [_field_of(Indicator, key) for _, key in columns]
            total: list[Any] = ["总分"] + [None] * len(columns)
            if "score" in fields:
                total[fields.index("score") + 1] = form[score_key]
                sheet.add(*total)
                goal_keys.append(score_key)  # printed in the 总分 row: not again below
    for key, value in form.items():
        if key not in goal_keys and _field_of(SelfEvaluation, key):
            label = _printed(SelfEvaluation, key)
            if label:
                sheet.add(label, _cell(value))
    return sheet


def _field_of(model: Any, key: str) -> str | None:
    for name, info in model.model_fields.items():
        alias = info.validation_alias
        if key == name or key in getattr(alias, "choices", []):
            return str(name)
    return None
