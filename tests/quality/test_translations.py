"""zh_CN is first-class: every committed catalog is complete, has no fuzzy entry, covers every msgid
the code and templates use, and its compiled .mo is current.

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
    """Yield (msgid, msgstr) pairs with msgfmt's own parser (via --properties-output)."""
    out = subprocess.run(["msgcat", "--no-wrap", str(po)], capture_output=True, text=True, check=True).stdout
    blocks = out.split("\n\n")
    for block in blocks[1:]:
        lines = [ln for ln in block.splitlines() if not ln.startswith("#")]
        msgid = next((ln[7:-1] for ln in lines if ln.startswith("msgid ")), "")
        msgstr = next((ln[8:-1] for ln in lines if ln.startswith("msgstr ")), "")
        yield msgid, msgstr


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
