"""zh_CN is first-class: every committed catalog is complete, has no fuzzy entry, covers every msgid
the code, templates and XBlock front ends use, and its compiled .mo (and JS catalog) is current.

A fuzzy entry is skipped by msgfmt, so the page shows English ("(306 in total)" did, issue 16).
The coverage check extracts msgids the way ``makemessages`` does (templates through Django's
``templatize``, then ``xgettext`` with Django's keywords) and compares them with the catalog's.
"""

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    p for root in ("plugins", "xblocks", "sandbox") for p in (REPO / root).rglob("*.po") if "zh_CN" in p.parts
)


def entries(po: Path):
    """Yield (msgid, msgstr) pairs, normalised by msgcat; a plural entry's msgstr is "" if any form is."""
    out = subprocess.run(["msgcat", "--no-wrap", str(po)], capture_output=True, text=True, check=True).stdout
    blocks = out.split("\n\n")
    for block in blocks[1:]:
        lines = [ln for ln in block.splitlines() if not ln.startswith("#")]
        msgid = next((ln[7:-1] for ln in lines if ln.startswith("msgid ")), "")
        forms = [ln.split(" ", 1)[1][1:-1] for ln in lines if ln.startswith("msgstr")]
        yield msgid, forms[0] if forms and all(forms) else ""


def fuzzy_msgids(po: Path) -> list[str]:
    """Msgids of the entries flagged fuzzy (msgattrib keeps only those)."""
    out = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-wrap", str(po)], capture_output=True, text=True, check=True
    ).stdout
    return [msgid for block in out.split("\n\n") for msgid in _msgids(block) if msgid]


def _msgids(block: str) -> list[str]:
    return [ln[7:-1] for ln in block.splitlines() if ln.startswith("msgid ")]


def test_there_are_catalogs():
    assert len(CATALOGS) >= 2


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_catalog_is_fully_translated(po):
    missing = [msgid for msgid, msgstr in entries(po) if msgid and not msgstr]
    assert not missing, f"untranslated in {po}: {missing}"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_compiled_catalog_is_current(po, tmp_path):
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed} is not compiled: run make translations"
    assert committed.read_bytes() == fresh.read_bytes(), f"{committed} is stale: run make translations"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_catalog_has_no_fuzzy_entry(po):
    fuzzy = fuzzy_msgids(po)
    assert not fuzzy, f"fuzzy (msgfmt drops them, the page shows English) in {po}: {fuzzy}"


DJANGO_CATALOGS = [po for po in CATALOGS if po.name == "django.po"]
KEYWORDS = [
    "gettext_noop",
    "gettext_lazy",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "npgettext:1c,2,3",
    "pgettext_lazy:1c,2",
    "npgettext_lazy:1c,2,3",
]


def _sources(package: Path, tmp: Path) -> list[Path]:
    """The package's Python files and its templates turned into Python by Django's ``templatize``."""
    from django.utils.translation.template import templatize

    files = [
        p
        for p in package.rglob("*.py")
        if "migrations" not in p.parts and "tests" not in p.parts and "platform_stubs" not in p.parts
    ]
    for index, template in enumerate(sorted(package.rglob("templates/**/*.html"))):
        out = tmp / f"t{index}.py"
        source = template.read_text(encoding="utf-8")
        out.write_text(templatize(source, origin=str(template)), encoding="utf-8")
        files.append(out)
    return sorted(files)


@pytest.mark.parametrize("po", DJANGO_CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_catalog_covers_every_msgid_in_use(po, tmp_path):
    package = po.parents[3]  # <package>/locale/zh_CN/LC_MESSAGES/django.po
    pot = tmp_path / "used.pot"
    subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            *[f"--keyword={k}" for k in KEYWORDS],
            "-o",
            str(pot),
            *map(str, _sources(package, tmp_path)),
        ],
        check=True,
        capture_output=True,
    )
    if not pot.exists():  # no translatable string at all
        return
    defined = {msgid for msgid, _ in entries(po)}
    missing = sorted({msgid for msgid, _ in entries(pot) if msgid} - defined)
    assert not missing, f"msgids used in {package.relative_to(REPO)} but missing from its catalog: {missing}"


# -- the XBlocks' JavaScript (domain djangojs, ADR 0081) ---------------------------------------------
JS_CATALOGS = [po for po in CATALOGS if po.name == "djangojs.po"]
JS_KEYWORDS = ["gettext", "ngettext:1,2", "gettext_noop", "pgettext:1c,2", "npgettext:1c,2,3"]
BUILT = ("dist", "translations")  # public/js/ output of npm and of make translations


def js_sources(block: Path) -> list[Path]:
    """The block's front-end sources: the npm project's ``src/`` and any hand-kept ``public/js``."""
    sources = list((block / "frontend" / "src").rglob("*.js"))
    sources += [p for p in (block / "public" / "js").rglob("*.js") if not set(BUILT) & set(p.parts)]
    return sorted(sources)


def test_every_block_with_a_front_end_has_a_js_catalog():
    blocks = {p.parent.name for p in (REPO / "xblocks").glob("*/block.py")}
    assert blocks and blocks == {po.parents[4].name for po in JS_CATALOGS}


@pytest.mark.parametrize("po", JS_CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_js_catalog_covers_every_msgid_of_the_front_end(po, tmp_path):
    block = po.parents[4]  # <block>/conf/locale/zh_CN/LC_MESSAGES/djangojs.po
    pot = tmp_path / "js.pot"
    keywords = ["--keyword", *[f"--keyword={k}" for k in JS_KEYWORDS]]  # ours only, not xgettext's "_"
    sources = map(str, js_sources(block))
    subprocess.run(
        ["xgettext", "--language=JavaScript", "--from-code=UTF-8", *keywords, "-o", str(pot), *sources],
        check=True,
        capture_output=True,
    )
    used = {msgid for msgid, _ in entries(pot) if msgid}
    # A wrong keyword list finds nothing; a small front end (the questionnaire block's) has only a few.
    assert len(used) >= 3, f"xgettext found too few strings in {block.name}'s front end: {sorted(used)}"
    translated = {msgid for msgid, msgstr in entries(po) if msgstr} - set(fuzzy_msgids(po))
    defined = {msgid for msgid, _ in entries(po)}
    problems = {
        "missing from the catalog": sorted(used - defined),
        "untranslated or fuzzy": sorted((used & defined) - translated),
    }
    assert not any(problems.values()), f"{po.relative_to(REPO)}: {problems}"


def test_compiled_js_catalogs_are_current():
    from django.core.management import call_command

    call_command("compile_xblock_js_catalogs", check=True)  # CommandError names stale or missing files
