"""Export a bank to the import template (xlsx or CSV), and the empty template itself.

An export read back by the importer gives the same questions (the round trip is tested); its
编号 column lets an edited export update the same questions instead of adding copies.
"""

from __future__ import annotations

from typing import Any

from . import store, tabular
from .data import BLANK, CHOICE_TYPES, OPTION_KEYS, TRUE, TRUEFALSE
from .importing import DIFFICULTY_LABELS, TYPE_LABELS
from .models import Question as QuestionRow
from .models import QuestionVersion

TEMPLATE_NOTES = (
    "学时题库导入模板 · 填写说明",
    "1. 第一行是表头，请勿修改或删除；每行一道题。空行会被跳过。",
    "2. 题型：单选题、多选题、判断题、填空题。",
    "3. 选项A～选项F：单选题、多选题至少填写两个选项，且需从选项A起连续填写；判断题、填空题不填选项。",
    "4. 答案：单选题填一个字母，如 B；多选题填多个字母，如 ABD（也可写作 A,B,D）；"
    "判断题填 正确 或 错误（也可写 对/错、√/×）。",
    "5. 填空题：题干中用 ____（三个以上下划线）或（ ）标出每个空；答案按顺序填写，各空之间用 | 分隔，"
    "同一空的多个可接受答案用 / 分隔，如：50|220/二百二十。答案本身含有 / 时写作 \\/。",
    "6. 解析：答题后显示给学员的讲解，可不填。",
    "7. 工种、知识点：用于按标签抽题和统计，如 工种=电工，知识点=安全用电。",
    "8. 难度：易、中、难（或 1、2、3），不填按“中”处理。",
    "9. 编号：导出文件自带，用于修改后重新导入时更新同一道题；新题请留空。",
    "10. 导入是“全部或全不”：只要有一行不合格，整份文件都不会导入，并逐行列出原因。",
)
EXAMPLES: tuple[tuple[Any, ...], ...] = (
    (
        "单选题",
        "我国安全生产工作的方针是（ ）。",
        "安全第一、预防为主、综合治理",
        "效益优先、兼顾安全",
        "先生产、后安全",
        "谁主管、谁负责",
        "",
        "",
        "A",
        "见《安全生产法》第三条。",
        "安全生产",
        "安全生产方针",
        "易",
        "",
    ),
    (
        "多选题",
        "下列属于个人劳动防护用品的有（ ）。",
        "安全帽",
        "绝缘手套",
        "灭火器",
        "护目镜",
        "",
        "",
        "ABD",
        "灭火器属于消防器材，不是个人防护用品。",
        "安全生产",
        "劳动防护用品",
        "中",
        "",
    ),
    (
        "判断题",
        "电气设备着火时，可以直接用水扑救。",
        "",
        "",
        "",
        "",
        "",
        "",
        "错误",
        "带电设备着火应先断电，并使用干粉、二氧化碳等不导电灭火器。",
        "电工",
        "电气防火",
        "易",
        "",
    ),
    (
        "填空题",
        "我国工频交流电的频率为____Hz，居民用电电压为____V。",
        "",
        "",
        "",
        "",
        "",
        "",
        "50|220",
        "",
        "电工",
        "电工基础",
        "中",
        "",
    ),
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("/", "\\/").replace("|", "\\|")


def answer_text(version: QuestionVersion) -> str:
    """The 答案 cell for a version, in the form the importer reads."""
    if version.type in CHOICE_TYPES:
        return "".join(version.answer)
    if version.type == TRUEFALSE:
        return "正确" if version.answer == [TRUE] else "错误"
    if version.type == BLANK:
        return "|".join("/".join(_escape(s) for s in blank) for blank in version.blanks)
    return ""


def version_row(row: QuestionRow, version: QuestionVersion) -> list[Any]:
    """One template row for a question's current version."""
    options = {o["key"]: o["text"] for o in version.options} if version.type in CHOICE_TYPES else {}
    return [
        TYPE_LABELS[version.type],
        version.stem,
        *(options.get(k, "") for k in OPTION_KEYS),
        answer_text(version),
        version.explanation,
        row.trade,
        row.knowledge_point,
        DIFFICULTY_LABELS.get(row.difficulty, "中"),
        str(row.uid),
    ]


def export_rows(course_key: Any, **filters: Any) -> list[list[Any]]:
    """Rows for every active bank question of the course's own bank (optionally filtered)."""
    bank = store.bank_for(course_key)
    rows = (
        QuestionRow.objects.filter(bank=bank, source=QuestionRow.BANK, active=True, **filters)
        .select_related("current_version")
        .order_by("id")
    )
    return [version_row(row, row.current_version) for row in rows if row.current_version is not None]


def export_bank(course_key: Any, fmt: str = tabular.XLSX, **filters: Any) -> bytes:
    """The course's bank as an xlsx workbook or a CSV file in the import template's layout."""
    rows = export_rows(course_key, **filters)
    return tabular.write_csv(rows) if fmt == tabular.CSV else tabular.write_xlsx(rows, TEMPLATE_NOTES)


def template(fmt: str = tabular.XLSX) -> bytes:
    """The empty template with one example row per question type (and, in xlsx, the instructions)."""
    rows = [list(r) for r in EXAMPLES]
    return tabular.write_csv(rows) if fmt == tabular.CSV else tabular.write_xlsx(rows, TEMPLATE_NOTES)
