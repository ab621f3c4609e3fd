"""Where core's SQL lives: hand-written SELECTs of whole model rows, for the few reads on a
reader's hot path, and the database upkeep shared by migrate, the generator and importers.

Raw SQL in Warta stands only in modules named ``reads.py`` or ``sql.py``
(``tests/test_layers.py`` holds that); each read there is held equal to the QuerySet it
replaces by a test that compares every field, and the QuerySet is the reference.

The ORM compiles every QuerySet into SQL again on each call: for an article page that was
about half a millisecond per query, more than SQLite took to answer all of them. A
``ModelColumns`` writes its column list once per database vendor and turns each row back
into a model instance with the same converters the ORM applies (time zones, booleans), so
what the rest of the code receives is indistinguishable from a QuerySet's result.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import signals
from django.db.models.base import ModelState


def database():
    """The connection itself, looked up once per read rather than through the proxy."""
    return connections[DEFAULT_DB_ALIAS]


def per_vendor(build):
    """Cache what ``build(db, *shape)`` writes (SQL text) once per database vendor and
    shape; a shape is a few hashable values naming which variant of the query it is."""
    built = {}

    def get(db, *shape):
        key = (db.vendor, *shape)
        if key not in built:
            built[key] = build(db, *shape)
        return built[key]

    return get


class ModelColumns:
    """The concrete columns of ``model`` under a table ``alias``, as one slice of a row."""

    def __init__(self, model, alias, names=None):
        """``names`` limits the columns (the rest are deferred, as with ``.only()``)."""
        self.model = model
        self.alias = alias
        self.fields = [
            field
            for field in model._meta.concrete_fields
            if names is None or field.name in names or field.primary_key
        ]
        self.attnames = [field.attname for field in self.fields]
        self._prepared = {}

    def __len__(self):
        return len(self.fields)

    def _for(self, db):
        prepared = self._prepared.get(db.vendor)
        if prepared is None:
            quote = db.ops.quote_name
            sql = ", ".join(f"{self.alias}.{quote(field.column)}" for field in self.fields)
            converters = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                functions = db.ops.get_db_converters(column) + field.get_db_converters(db)
                if functions:
                    converters.append((index, column, functions))
            watched = signals.pre_init.has_listeners(self.model) or signals.post_init.has_listeners(
                self.model
            )
            prepared = self._prepared[db.vendor] = (sql, converters, watched)
        return prepared

    def sql(self, db):
        return self._for(db)[0]

    def table(self, db):
        return f"{db.ops.quote_name(self.model._meta.db_table)} {self.alias}"

    def instance(self, db, row, start=0):
        """The instance in ``row[start:start + len(self)]``; None for a LEFT JOIN's miss."""
        if row[start] is None:
            return None
        values = list(row[start : start + len(self.fields)])
        _, converters, watched = self._for(db)
        for index, column, functions in converters:
            value = values[index]
            for function in functions:
                value = function(value, column, db)
            values[index] = value
        model = self.model
        if watched:
            return model.from_db(db.alias, self.attnames, values)
        # Model.from_db without Model.__init__'s work per field, which was most of the cost
        # of a comment thread; only for models no pre/post_init receiver watches. Columns
        # left out are deferred: they are absent from __dict__, as Django's own are.
        instance = model.__new__(model)
        instance.__dict__.update(zip(self.attnames, values, strict=True))
        instance._state = state = ModelState()
        state.adding = False
        state.db = db.alias
        return instance


def fetch(db, sql, params):
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def refresh_statistics():
    """Let SQLite's planner know the tables' sizes after a bulk change.

    Without statistics SQLite chose the timeline index for the home page and sorted every
    post (18 ms at 10,000 posts, 0.2 ms with them). PostgreSQL's autovacuum does this itself.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
