"""The generator's SQL: bulk writers for each database and PostgreSQL's index rebuild."""

import contextlib

from django.db import connection

from warta.core.sql import refresh_statistics


@contextlib.contextmanager
def indexes_built_after(tables, say):
    """PostgreSQL: drop the non-unique indexes of ``tables`` and create them again at the
    end (also after an error or Ctrl-C): one sort per index instead of millions of inserts.
    Unique indexes and primary keys stay, so the data is checked as it goes in."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT index.relname, pg_get_indexdef(index.oid) FROM pg_index"
            " JOIN pg_class index ON index.oid = pg_index.indexrelid"
            " JOIN pg_class tbl ON tbl.oid = pg_index.indrelid"
            " WHERE tbl.relname = ANY(%s) AND NOT pg_index.indisunique"
            " AND NOT pg_index.indisprimary",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, definition in indexes:
                say(f"index: {name}")
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")


class BulkWriter:
    """SQLite (and any other database): ``bulk_create``, which returns the new keys."""

    def __init__(self, batch_size):
        self.batch_size = batch_size

    def write(self, model, rows):
        objs = model.objects.bulk_create([model(**row) for row in rows], batch_size=self.batch_size)
        return [obj.pk for obj in objs]

    def finish(self):
        refresh_statistics()


class CopyWriter:
    """PostgreSQL ``COPY ... FROM STDIN``, several times faster than INSERT. Columns not in a
    row get what a new model instance would store; keys are taken from the sequence first."""

    def __init__(self):
        self.columns = {}
        self.tables = set()

    def write(self, model, rows):
        if not rows:
            return []
        table = model._meta.db_table
        self.tables.add(table)
        fields, defaults = self._columns(model)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY {table} (id, {names}) FROM STDIN") as copy:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row(
                        [pk]
                        + [
                            row[f.attname] if f.attname in row else default
                            for f, default in zip(fields, defaults, strict=True)
                        ]
                    )
        return ids

    def _columns(self, model):
        if model not in self.columns:
            fields = [f for f in model._meta.concrete_fields if not f.primary_key]
            blank = model()
            defaults = [f.get_db_prep_save(f.pre_save(blank, True), connection) for f in fields]
            self.columns[model] = fields, defaults
        return self.columns[model]

    def finish(self):
        # What autovacuum would do some minutes later: planner statistics for the new rows,
        # and a visibility map so counts can be answered from indexes. (Not in a transaction.)
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            for table in sorted(self.tables):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
