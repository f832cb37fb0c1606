"""Buyer tax numbers: the 18-character 统一社会信用代码 (USCC) and the older forms providers accept.

Pure (no Django), so it is type-checked strictly and unit tested with tables. Why not just
``stdnum.cn.uscc``: python-stdnum 2.2 insists the first eight characters are digits, so it refuses
checksum-valid codes whose registering authority is a letter (``A`` 军委编制, ``N`` 农业, ``Y`` 其他).
We check the GB 32100-2015 shape and the ISO 7064 MOD 31-3 check character ourselves (ADR 0170),
and keep python-stdnum for what it does well: normalising input (``compact``). Buyers with a
pre-2015 registration still hold 15-digit tax numbers; providers take tax ids of 15–20 characters,
so those pass the shape check (no check digit exists for them).
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.cn import uscc as _stdnum_uscc

#: GB 32100-2015 alphabet: digits and capitals without I, O, Z, S, V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
#: Weights 3^(i-1) mod 31 for the first 17 characters.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
#: First character: the registering authority (1–9, A, N, Y).
AUTHORITIES = frozenset("123456789ANY")


@dataclass(frozen=True)
class TaxIdProblem:
    """Why a tax number was refused: a machine code and a sentence for the form."""

    code: str
    reason: str


def compact(value: str) -> str:
    """Upper-case, without spaces or dashes (what a buyer pastes from a business licence)."""
    return str(_stdnum_uscc.compact(value or ""))


def check_character(first17: str) -> str:
    """The 18th character of a USCC for its first 17 (ISO 7064 MOD 31-3)."""
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(value: str) -> TaxIdProblem | None:
    """None when ``value`` (compacted) is a valid 18-character USCC, else why not."""
    code = compact(value)
    if len(code) != 18:
        return TaxIdProblem("length", "统一社会信用代码应为18位")
    if any(char not in _VALUE for char in code):
        return TaxIdProblem("alphabet", "统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V）")
    if code[0] not in AUTHORITIES:
        return TaxIdProblem("authority", "统一社会信用代码第1位（登记管理部门）无效")
    if not code[2:8].isdigit():
        return TaxIdProblem("region", "统一社会信用代码第3–8位（行政区划）应为数字")
    if check_character(code[:17]) != code[17]:
        return TaxIdProblem("check", "统一社会信用代码校验位不正确，请核对")
    return None


def buyer_tax_id_problem(value: str) -> TaxIdProblem | None:
    """None when ``value`` may go on an invoice as the buyer's tax number.

    18 characters: a full USCC check. 15 digits (old 税务登记证号, 6-digit region + 9-character
    organisation code): shape only. 16, 17, 19 and 20 characters (other old tax numbers that
    providers accept): digits and capitals only.
    """
    code = compact(value)
    if len(code) == 18:
        return uscc_problem(code)
    if len(code) == 15:
        if code[:6].isdigit() and code[6:].isalnum() and code.isascii():
            return None
        return TaxIdProblem("old_format", "15位税号应为6位行政区划数字加9位组织机构代码")
    if len(code) in (16, 17, 19, 20) and code.isascii() and code.isalnum():
        return None
    return TaxIdProblem("length", "纳税人识别号应为15–20位（统一社会信用代码为18位）")
