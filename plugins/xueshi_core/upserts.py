"""Additive upserts ("insert, or add to the row that is there"), the one SQL that differs by server.

Django's ``bulk_create(update_conflicts=True)`` covers upserts that *set* values and already
chooses the syntax per server. An upsert that *adds* (daily study totals) has no ORM form, and
the servers disagree on it:

- MariaDB (what Debian ships, and our CI) knows only ``ON DUPLICATE KEY UPDATE c = c + VALUES(c)``;
- MySQL 8.4 (what Tutor 22 runs) deprecates ``VALUES()`` there since 8.0.20 and wants a row
  alias: ``INSERT … AS new ON DUPLICATE KEY UPDATE c = c + new.c`` (8.0.19 and later);
- SQLite (the embedded sandbox) and PostgreSQL take ``ON CONFLICT (keys) DO UPDATE … excluded.c``.

This module is the only place that tells them apart, through Django's own vendor checks
(``connection.vendor``, ``mysql_is_mariadb``, ``mysql_version``), so no other module writes
server-specific SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

#: MySQL accepts the row alias from this version on.
MYSQL_ROW_ALIAS_SINCE = (8, 0, 19)


def additive_upsert_sql(connection: Any, table: str, keys: Sequence[str], added: str | Sequence[str]) -> str:
    """``INSERT`` of ``(*keys, *added)`` that adds ``added`` to an existing row with the same keys.

    ``added`` is one column or several (each added to itself). ``table`` and the column names are
    our own model's (never input); they are quoted anyway.
    """
    quote = connection.ops.quote_name
    sums = [added] if isinstance(added, str) else list(added)
    columns = [*keys, *sums]
    head = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    quoted = [quote(c) for c in sums]
    if connection.vendor == "mysql":
        if not connection.mysql_is_mariadb and connection.mysql_version >= MYSQL_ROW_ALIAS_SINCE:
            return f"{head} AS new ON DUPLICATE KEY UPDATE " + ", ".join(
                f"{c} = {c} + new.{c}" for c in quoted
            )
        return f"{head} ON DUPLICATE KEY UPDATE " + ", ".join(f"{c} = {c} + VALUES({c})" for c in quoted)
    conflict = ", ".join(quote(k) for k in keys)
    adding = ", ".join(f"{c} = {quote(table)}.{c} + excluded.{c}" for c in quoted)
    return f"{head} ON CONFLICT ({conflict}) DO UPDATE SET {adding}"


def add_rows(
    connection: Any,
    table: str,
    keys: Sequence[str],
    added: str | Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> None:
    """Run the additive upsert for every ``(*key values, *amounts)`` row, in one round of statements."""
    rows = list(rows)
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(additive_upsert_sql(connection, table, keys, added), rows)
