"""Import of a 300-question xlsx with bad rows (exact per-row errors, nothing imported), export round trip."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import load_workbook
from xueshi_questionbank import api, exporting, importing, tabular
from xueshi_questionbank.demo import demo_rows
from xueshi_questionbank.exceptions import ImportRefused
from xueshi_questionbank.models import Question, QuestionVersion

from .conftest import COURSE, OTHER_COURSE

pytestmark = pytest.mark.django_db


def workbook(rows):
    return tabular.write_xlsx(rows)


def broken_rows():
    """The demo rows with eight planted faults; returns (rows, expected {(spreadsheet row, column)})."""
    rows = [list(r) for r in demo_rows()]
    assert len(rows) >= 300
    singles = [i for i, r in enumerate(rows) if r[0] == "单选题"]
    multis = [i for i, r in enumerate(rows) if r[0] == "多选题"]
    tfs = [i for i, r in enumerate(rows) if r[0] == "判断题"]
    blanks = [i for i, r in enumerate(rows) if r[0] == "填空题" and "____" in r[1]]
    faults = {}
    rows[5][0] = "问答题"
    faults[(5 + 2, "题型")] = "问答题"
    rows[singles[10]][8] = "AB"
    faults[(singles[10] + 2, "答案")] = "exactly one answer"
    rows[multis[1]][8] = "AF"
    faults[(multis[1] + 2, "答案")] = "not filled in"
    rows[tfs[3]][8] = "不知道"
    faults[(tfs[3] + 2, "答案")] = "正确 or 错误"
    rows[blanks[2]][8] = "1|2|3"
    faults[(blanks[2] + 2, "答案")] = "the answer gives 3"
    rows[250][1] = ""
    faults[(252, "题干")] = "stem is empty"
    rows[260][12] = "极难"
    faults[(262, "难度")] = "极难"
    rows[280] = list(rows[3])
    faults[(282, "题干")] = "row 5"
    return rows, faults


def test_a_file_with_bad_rows_is_refused_whole_with_exact_reasons(db):
    rows, faults = broken_rows()
    with translation.override("en"):
        report = importing.import_file(COURSE, "bank.xlsx", workbook(rows))
    assert not report.accepted
    found = {(e.row, e.column): e.message for e in report.errors}
    assert set(found) == set(faults), sorted(found)
    for where, fragment in faults.items():
        assert fragment in found[where], (where, found[where])
    assert report.as_dict()["refused_rows"] == len(faults)
    assert report.created == 0
    assert Question.objects.count() == 0 and QuestionVersion.objects.count() == 0
    with translation.override("zh-cn"):
        chinese = importing.import_file(COURSE, "bank.xlsx", workbook(rows))
    assert "单选题只能有一个答案" in " ".join(e.message for e in chinese.errors)


def test_the_corrected_file_imports_every_row_once(db):
    rows = demo_rows()
    report = importing.import_file(COURSE, "bank.xlsx", workbook(rows))
    assert report.accepted and report.created == len(rows) >= 300
    assert Question.objects.filter(source="bank").count() == len(rows)
    again = importing.import_file(COURSE, "bank.xlsx", workbook(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
    assert api.count_available(COURSE, {"trade": "电工"}) == sum(1 for r in rows if r[10] == "电工")


def test_export_round_trip_gives_the_same_questions(db):
    importing.import_file(COURSE, "bank.xlsx", workbook(demo_rows()))
    exported = exporting.export_bank(COURSE)
    sheet = load_workbook(io.BytesIO(exported)).worksheets[0]
    assert [c.value for c in sheet[1]] == list(tabular.HEADERS)
    report = importing.import_file(OTHER_COURSE, "export.xlsx", exported)
    assert report.accepted and report.created == len(demo_rows())

    def contents(course):
        rows = Question.objects.filter(bank__course_key=course).select_related("current_version")
        return sorted(
            (r.current_version.content_hash, r.trade, r.knowledge_point, r.difficulty) for r in rows
        )

    assert contents(COURSE) == contents(OTHER_COURSE)
    csv_report = importing.import_file(COURSE, "export.csv", exporting.export_bank(COURSE, "csv"))
    assert csv_report.accepted and csv_report.unchanged == len(demo_rows())


def test_an_edited_export_updates_questions_with_new_versions(db):
    importing.import_file(COURSE, "bank.xlsx", workbook(demo_rows()[:20]))
    book = load_workbook(io.BytesIO(exporting.export_bank(COURSE)))
    sheet = book.worksheets[0]
    sheet["B2"] = sheet["B2"].value + "（修订）"
    sheet["J3"] = "新的解析"
    out = io.BytesIO()
    book.save(out)
    report = importing.import_file(COURSE, "edited.xlsx", out.getvalue())
    assert (report.created, report.updated, report.unchanged) == (0, 2, 18)
    assert QuestionVersion.objects.filter(number=2).count() == 2


def test_a_changed_question_without_its_number_is_refused(db):
    rows = [list(r) for r in demo_rows()[:3]]
    importing.import_file(COURSE, "bank.xlsx", workbook(rows))
    rows[1][9] = "换了一个解析"
    report = importing.import_file(COURSE, "bank.xlsx", workbook(rows))
    assert [(e.row, e.column) for e in report.errors] == [(3, "题干")]
    assert QuestionVersion.objects.count() == 3


def test_csv_in_gb18030_with_provider_spellings(db):
    text = (
        "试题类型,题目,A,B,C,D,正确答案,答案解析,工种,知识点,难易度\n"
        "单项选择题,安全电压最高为（ ）V。,42,36,24,12,A,,电工,安全电压,易\n"
        '多选,属于负债的有（ ）。,短期借款,库存现金,应付账款,,"A,C",,会计,会计要素,2\n'
        "判断,乙炔瓶可以卧放。,,,,,×,,焊工,气瓶,难\n"
        "填空,频率为____Hz，电压为（ ）V。,,,,,50｜220/二百二十,,电工,基础,\n"
    )
    report = importing.import_file(COURSE, "provider.csv", text.encode("gb18030"))
    assert report.accepted, report.as_dict()
    assert report.created == 4
    blank = QuestionVersion.objects.get(type="blank")
    assert blank.blanks == [["50"], ["220", "二百二十"]]
    assert api.judge_answer(blank.pk, ["50", "二百二十"]).correct
    assert QuestionVersion.objects.get(type="multiple").answer == ["A", "C"]


def test_template_downloads_and_imports_its_examples(db):
    data = exporting.template()
    sheets = load_workbook(io.BytesIO(data)).sheetnames
    assert sheets == ["题库", "填写说明"]
    report = importing.import_file(COURSE, "template.xlsx", data)
    assert report.accepted and report.created == 4
    assert exporting.template("csv").startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    "name, data, code, status",
    [
        ("bank.xlsx", b"PK\x03\x04 not really a zip", "not_xlsx", 400),
        ("bank.pdf", b"%PDF-1.4", "unsupported_format", 415),
        ("bank.csv", b"", "empty_file", 400),
        ("bank.csv", "名字,年龄\n张三,3\n".encode(), "no_header", 400),
    ],
)
def test_unreadable_files_are_refused(db, name, data, code, status):
    with pytest.raises(ImportRefused) as caught:
        importing.import_file(COURSE, name, data)
    assert (caught.value.code, caught.value.status) == (code, status)


def test_a_zip_that_is_not_a_workbook_is_refused(db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "你好")
    with pytest.raises(ImportRefused) as caught:
        importing.import_file(COURSE, "bank.xlsx", out.getvalue())
    assert caught.value.code == "not_xlsx"


def test_limits_on_size_rows_and_unpacked_size(db, settings):
    settings.XUESHI_QUESTIONBANK_MAX_IMPORT_BYTES = 2000
    with pytest.raises(ImportRefused) as caught:
        importing.import_file(COURSE, "big.csv", b"x" * 2001)
    assert (caught.value.code, caught.value.status) == ("file_too_large", 413)
    settings.XUESHI_QUESTIONBANK_MAX_IMPORT_BYTES = 10_000_000
    settings.XUESHI_QUESTIONBANK_MAX_IMPORT_ROWS = 50
    with pytest.raises(ImportRefused) as caught:
        importing.import_file(COURSE, "many.xlsx", workbook(demo_rows()[:51]))
    assert (caught.value.code, caught.value.status) == ("too_many_rows", 413)
    settings.XUESHI_QUESTIONBANK_MAX_UNPACKED_BYTES = 1000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 1_000_000)  # a small zip that inflates a lot
    with pytest.raises(ImportRefused) as caught:
        importing.import_file(COURSE, "bomb.xlsx", out.getvalue())
    assert (caught.value.code, caught.value.status) == ("file_too_large", 413)
    assert Question.objects.count() == 0
