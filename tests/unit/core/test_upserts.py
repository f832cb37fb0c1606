"""The additive upsert speaks each server's dialect: MariaDB, MySQL 8.4 (Tutor 22), SQLite."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest

from xueshi_core.upserts import add_rows, additive_upsert_sql


def server(vendor: str, *, mariadb: bool = False, version: tuple[int, ...] = (0,)) -> SimpleNamespace:
    quote = (lambda n: f"`{n}`") if vendor == "mysql" else (lambda n: f'"{n}"')
    return SimpleNamespace(
        vendor=vendor, mysql_is_mariadb=mariadb, mysql_version=version, ops=SimpleNamespace(quote_name=quote)
    )


KEYS = ("user_id", "course_key", "day")


def test_mysql_84_uses_the_row_alias_not_the_deprecated_values_function():
    sql = additive_upsert_sql(server("mysql", version=(8, 4, 3)), "totals", KEYS, "credited_ms")
    assert "VALUES(" not in sql
    assert sql.endswith("AS new ON DUPLICATE KEY UPDATE `credited_ms` = `credited_ms` + new.`credited_ms`")


@pytest.mark.parametrize("version", [(10, 11, 6), (11, 4, 2)])
def test_mariadb_keeps_values_which_it_supports_and_has_no_row_alias(version):
    sql = additive_upsert_sql(server("mysql", mariadb=True, version=version), "totals", KEYS, "credited_ms")
    assert " AS new " not in sql
    assert sql.endswith("ON DUPLICATE KEY UPDATE `credited_ms` = `credited_ms` + VALUES(`credited_ms`)")


def test_old_mysql_before_the_alias_falls_back_to_values():
    sql = additive_upsert_sql(server("mysql", version=(8, 0, 18)), "totals", KEYS, "credited_ms")
    assert "VALUES(`credited_ms`)" in sql


def test_sqlite_statement_adds_to_the_existing_row():
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE totals (user_id int, course_key text, day text, credited_ms int, "
        "UNIQUE (user_id, course_key, day))"
    )
    cursor_owner = SimpleNamespace(**vars(server("sqlite")), cursor=lambda: _Cursor(conn))
    add_rows(cursor_owner, "totals", KEYS, "credited_ms", [(1, "c", "2026-12-03", 1500)])
    add_rows(
        cursor_owner, "totals", KEYS, "credited_ms", [(1, "c", "2026-12-03", 500), (2, "c", "2026-12-03", 7)]
    )
    rows = conn.execute("SELECT user_id, credited_ms FROM totals ORDER BY user_id").fetchall()
    assert rows == [(1, 2000), (2, 7)]


class _Cursor:
    """A context-managed cursor like Django's, over sqlite3 (which uses ? placeholders)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.commit()

    def executemany(self, sql: str, rows: list) -> None:
        self.conn.executemany(sql.replace("%s", "?"), rows)
