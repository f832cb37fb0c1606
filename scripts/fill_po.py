"""Fill msgstr entries of a .po file from a small English→Chinese table (used once per new string).

Usage: python scripts/fill_po.py FILE.po  (reads the table from FILE.po.zh.json beside it)
Kept as a script so translators can re-run it after `makemessages`; untranslated strings are listed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def fill(po_path: Path) -> list[str]:
    """Write translations into ``po_path``; return the msgids still untranslated."""
    table = json.loads(po_path.with_suffix(".po.zh.json").read_text(encoding="utf-8"))
    text = po_path.read_text(encoding="utf-8")
    text = text.replace(
        '"Content-Type: text/plain; charset=CHARSET\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"'
    )
    text = text.replace('"Language: \\n"', '"Language: zh_CN\\n"')
    missing = []

    def replace(match: re.Match[str]) -> str:
        msgid = match.group(1)
        if msgid in table:
            return f'msgid "{msgid}"\nmsgstr "{table[msgid]}"'
        missing.append(msgid)
        return match.group(0)

    text = re.sub(r'msgid "((?:[^"\\]|\\.)+)"\nmsgstr ""', replace, text)
    text = text.replace("#, fuzzy\n", "", 1)
    po_path.write_text(text, encoding="utf-8")
    return missing


if __name__ == "__main__":
    left = fill(Path(sys.argv[1]))
    print("untranslated:", left or "none")
    sys.exit(1 if left else 0)
