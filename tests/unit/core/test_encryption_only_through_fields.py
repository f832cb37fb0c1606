"""Personal data is encrypted only through the encrypted model fields, so key rotation (which visits
every such field) can never miss a column: no module outside ``xueshi_core``'s crypto, fields and
rotation calls ``crypto.encrypt``/``decrypt`` by hand (migrations excepted: they convert old rows)."""

import ast
from pathlib import Path

import pytest

pytestmark = [pytest.mark.unit]
ROOT = Path(__file__).resolve().parents[3]
ALLOWED = {f"plugins/xueshi_core/{name}.py" for name in ("crypto", "fields", "rotation")}
HAND = {"encrypt", "decrypt", "decrypt_text", "rotate"}


def _hand_encryption(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        by_attribute = (
            isinstance(node, ast.Attribute)
            and node.attr in HAND
            and isinstance(node.value, ast.Name)
            and node.value.id == "crypto"
        )
        by_import = (
            isinstance(node, ast.ImportFrom)
            and (node.module or "").endswith("crypto")
            and any(alias.name in HAND for alias in node.names)
        )
        if by_attribute or by_import:
            lines.append(node.lineno)
    return lines


def test_no_module_encrypts_personal_data_by_hand():
    found = []
    for path in sorted([*ROOT.glob("plugins/**/*.py"), *ROOT.glob("xblocks/**/*.py")]):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED or "/migrations/" in relative:
            continue
        found += [f"{relative}:{line}" for line in _hand_encryption(ast.parse(path.read_text("utf-8")))]
    assert found == [], "use xueshi_core.fields.Encrypted*Field so key rotation covers the column"


def test_the_scan_sees_hand_encryption():
    code = "from xueshi_core import crypto\nx = crypto.encrypt(b'1', purpose='p')\n"
    assert _hand_encryption(ast.parse(code)) == [2]
    assert _hand_encryption(ast.parse("from xueshi_core.crypto import decrypt\n")) == [1]
