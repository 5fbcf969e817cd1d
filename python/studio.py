"""What Sluice gives a `%flink.pyflink` paragraph, as Kinesis Data Analytics Studio does.

Loaded once into Pyodide in the page's engine worker, when the first Python paragraph runs.
It defines `st_env` / `bt_env` (a TableEnvironment over Sluice's session), `z` (`z.show`), the
Table API basics, `DataTypes`, the `@udf` / `@udtf` decorators, and the `pyflink.table...` modules
that Studio code imports, so a Studio note's Python pastes unchanged.

A Table is SQL text: every Table API call composes a query, and `z.show(table)` runs that query
as a SQL paragraph would (same job, same views). User functions are kept here by name; the
engine calls them a batch at a time through `_sluice_call` (see `src/ui/python.rs`).

The worker registers the JS module `sluice_bridge` before this runs: `execute(sql, show)`,
`columns(sql)` and `stop(job)`, answering JSON text.
"""

import datetime
import decimal
import io
import json
import sys
import traceback
import types

import sluice_bridge

PARAGRAPH = "<paragraph>"

# ---------------------------------------------------------------------------------------------
# Values between the engine and Python (JSON with tags for what JSON lacks)


def _decode_tagged(obj):
    tag = obj.get("$t")
    if tag is None:
        return obj
    v = obj.get("v")
    if tag == "ts":
        return datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=v)
    if tag == "date":
        return datetime.date(1970, 1, 1) + datetime.timedelta(days=v)
    if tag == "time":
        return (datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=v)).time()
    if tag == "dec":
        return decimal.Decimal(v)
    if tag == "bytes":
        return bytes(v)
    if tag == "map":
        return {k: x for k, x in v}
    if tag == "row":
        return Row(*v)
    if tag == "f":
        return float(v)
    return obj


def _loads(text):
    return json.loads(text, object_hook=_decode_tagged)


def _encode_value(v):
    """A Python value as the engine reads it back (see `src/ui/python.rs::value_from_json`)."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return {"$t": "f", "v": repr(v)}
        return v
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        delta = v - datetime.datetime(1970, 1, 1)
        return {"$t": "ts", "v": delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000}
    if isinstance(v, datetime.date):
        return {"$t": "date", "v": (v - datetime.date(1970, 1, 1)).days}
    if isinstance(v, datetime.time):
        return {"$t": "time", "v": ((v.hour * 60 + v.minute) * 60 + v.second) * 1000 + v.microsecond // 1000}
    if isinstance(v, decimal.Decimal):
        return {"$t": "dec", "v": str(v)}
    if isinstance(v, (bytes, bytearray)):
        return {"$t": "bytes", "v": list(v)}
    if isinstance(v, dict):
        return {"$t": "map", "v": [[_encode_value(k), _encode_value(x)] for k, x in v.items()]}
    if isinstance(v, (list, tuple)):
        return [_encode_value(x) for x in v]
    raise TypeError(f"a function returned {type(v).__name__} {v!r}, which no SQL type holds")


def _answer(text):
    """A bridge answer: its `ok` value, or the engine's error raised as a Python exception."""
    reply = _loads(text)
    if "error" in reply:
        e = reply["error"]
        raise SqlError(e["message"], e.get("line"), e.get("column"))
    return reply["ok"]


class SqlError(Exception):
    """The engine refused a statement: its message, and where in the statement."""

    def __init__(self, message, line=None, column=None):
        super().__init__(message)
        self.line, self.column = line, column


class Row(tuple):
    """A row of a result, as `pyflink.common.Row`: a tuple whose fields may have names."""

    def __new__(cls, *values, **named):
        if named:
            row = super().__new__(cls, named.values())
            row._fields = list(named)
            return row
        row = super().__new__(cls, values)
        row._fields = None
        return row

    def __getattr__(self, name):
        fields = self.__dict__.get("_fields")
        if fields and name in fields:
            return self[fields.index(name)]
        raise AttributeError(name)

    def as_dict(self):
        return dict(zip(self._fields or range(len(self)), self))

    def __repr__(self):
        if self._fields:
            return "Row(" + ", ".join(f"{k}={v!r}" for k, v in zip(self._fields, self)) + ")"
        return "Row(" + ", ".join(repr(v) for v in self) + ")"


# ---------------------------------------------------------------------------------------------
# DataTypes: each is its SQL type text


class DataType:
    def __init__(self, sql, nullable=True):
        self.sql, self.nullable = sql, nullable

    def not_null(self):
        return DataType(self.sql, False)

    def nullable_(self):
        return DataType(self.sql, True)

    def __str__(self):
        return self.sql if self.nullable else self.sql + " NOT NULL"

    __repr__ = __str__

    def __eq__(self, other):
        return isinstance(other, DataType) and str(self) == str(other)

    def __hash__(self):
        return hash(str(self))


class DataField:
    def __init__(self, name, data_type, description=None):
        self.name, self.data_type = name, data_type

    def __str__(self):
        return f"`{self.name}` {self.data_type}"


def _t(sql):
    return lambda nullable=True: DataType(sql, nullable)


class DataTypes:
    NULL = _t("NULL")
    BOOLEAN = _t("BOOLEAN")
    TINYINT = _t("TINYINT")
    SMALLINT = _t("SMALLINT")
    INT = _t("INT")
    BIGINT = _t("BIGINT")
    FLOAT = _t("FLOAT")
    DOUBLE = _t("DOUBLE")
    STRING = _t("STRING")
    BYTES = _t("BYTES")
    DATE = _t("DATE")

    @staticmethod
    def CHAR(length, nullable=True):
        return DataType(f"CHAR({length})", nullable)

    @staticmethod
    def VARCHAR(length, nullable=True):
        return DataType(f"VARCHAR({length})", nullable)

    @staticmethod
    def BINARY(length, nullable=True):
        return DataType(f"BINARY({length})", nullable)

    @staticmethod
    def VARBINARY(length, nullable=True):
        return DataType(f"VARBINARY({length})", nullable)

    @staticmethod
    def DECIMAL(precision, scale, nullable=True):
        return DataType(f"DECIMAL({precision}, {scale})", nullable)

    @staticmethod
    def TIME(precision=0, nullable=True):
        return DataType(f"TIME({precision})", nullable)

    @staticmethod
    def TIMESTAMP(precision=6, nullable=True):
        return DataType(f"TIMESTAMP({precision})", nullable)

    @staticmethod
    def TIMESTAMP_LTZ(precision=6, nullable=True):
        return DataType(f"TIMESTAMP_LTZ({precision})", nullable)

    TIMESTAMP_WITH_LOCAL_TIME_ZONE = TIMESTAMP_LTZ

    @staticmethod
    def ARRAY(element, nullable=True):
        return DataType(f"ARRAY<{element}>", nullable)

    @staticmethod
    def MAP(key, value, nullable=True):
        return DataType(f"MAP<{key}, {value}>", nullable)

    @staticmethod
    def MULTISET(element, nullable=True):
        return DataType(f"MULTISET<{element}>", nullable)

    @staticmethod
    def FIELD(name, data_type, description=None):
        return DataField(name, data_type, description)

    @staticmethod
    def ROW(fields=(), nullable=True):
        return DataType("ROW<" + ", ".join(str(f) for f in fields) + ">", nullable)


# ---------------------------------------------------------------------------------------------
# Expressions: each is SQL text


def _sql_of(value):
    """`value` as SQL: an Expression as it is, a Python constant as a literal."""
    if isinstance(value, Expression):
        return value.sql
    if isinstance(value, UserDefinedFunction):
        raise TypeError(f"call the function `{value.name}` with its arguments: {value.name}(col('x'))")
    return _literal(value)


def _literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return f"CAST('{v!r}' AS DOUBLE)"
        return f"CAST({v!r} AS DOUBLE)"
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    if isinstance(v, datetime.datetime):
        return f"TIMESTAMP '{v.isoformat(sep=' ')}'"
    if isinstance(v, datetime.date):
        return f"DATE '{v.isoformat()}'"
    raise TypeError(f"{type(v).__name__} {v!r} has no SQL literal")


def _name(name):
    return "`" + str(name).replace("`", "``") + "`"


def _identifier(name):
    """A function's name as CREATE FUNCTION takes it: plain when it is a plain identifier."""
    name = str(name)
    return name if name.isidentifier() and name.isascii() else _name(name)


class Expression:
    def __init__(self, sql, name=None):
        self.sql, self.name = sql, name

    def __str__(self):
        return self.sql

    __repr__ = __str__

    def _op(self, op, other):
        return Expression(f"({self.sql} {op} {_sql_of(other)})")

    def _rop(self, op, other):
        return Expression(f"({_sql_of(other)} {op} {self.sql})")

    __add__ = lambda s, o: s._op("+", o)
    __radd__ = lambda s, o: s._rop("+", o)
    __sub__ = lambda s, o: s._op("-", o)
    __rsub__ = lambda s, o: s._rop("-", o)
    __mul__ = lambda s, o: s._op("*", o)
    __rmul__ = lambda s, o: s._rop("*", o)
    __truediv__ = lambda s, o: s._op("/", o)
    __rtruediv__ = lambda s, o: s._rop("/", o)
    __mod__ = lambda s, o: Expression(f"MOD({s.sql}, {_sql_of(o)})")
    __eq__ = lambda s, o: s._op("=", o)
    __ne__ = lambda s, o: s._op("<>", o)
    __lt__ = lambda s, o: s._op("<", o)
    __le__ = lambda s, o: s._op("<=", o)
    __gt__ = lambda s, o: s._op(">", o)
    __ge__ = lambda s, o: s._op(">=", o)
    __and__ = lambda s, o: s._op("AND", o)
    __rand__ = lambda s, o: s._rop("AND", o)
    __or__ = lambda s, o: s._op("OR", o)
    __ror__ = lambda s, o: s._rop("OR", o)
    __invert__ = lambda s: Expression(f"(NOT {s.sql})")
    __neg__ = lambda s: Expression(f"(- {s.sql})")
    __hash__ = object.__hash__

    def alias(self, name, *more):
        return Expression(f"{self.sql} AS {_name(name)}", name)

    def cast(self, data_type):
        return Expression(f"CAST({self.sql} AS {data_type})")

    def _fn(self, name):
        return Expression(f"{name}({self.sql})")

    # Aggregates and common functions, as properties like PyFlink's.
    count = property(lambda s: s._fn("COUNT"))
    sum = property(lambda s: s._fn("SUM"))
    avg = property(lambda s: s._fn("AVG"))
    min = property(lambda s: s._fn("MIN"))
    max = property(lambda s: s._fn("MAX"))
    stddev_pop = property(lambda s: s._fn("STDDEV_POP"))
    stddev_samp = property(lambda s: s._fn("STDDEV_SAMP"))
    upper_case = property(lambda s: s._fn("UPPER"))
    lower_case = property(lambda s: s._fn("LOWER"))
    char_length = property(lambda s: s._fn("CHAR_LENGTH"))
    abs = property(lambda s: s._fn("ABS"))
    floor = property(lambda s: s._fn("FLOOR"))
    ceil = property(lambda s: s._fn("CEIL"))
    is_null = property(lambda s: Expression(f"({s.sql} IS NULL)"))
    is_not_null = property(lambda s: Expression(f"({s.sql} IS NOT NULL)"))
    is_true = property(lambda s: Expression(f"({s.sql} IS TRUE)"))
    is_false = property(lambda s: Expression(f"({s.sql} IS FALSE)"))

    def round(self, places):
        return Expression(f"ROUND({self.sql}, {_sql_of(places)})")

    def like(self, pattern):
        return Expression(f"({self.sql} LIKE {_sql_of(pattern)})")

    def between(self, low, high):
        return Expression(f"({self.sql} BETWEEN {_sql_of(low)} AND {_sql_of(high)})")

    def in_(self, *values):
        return Expression(f"({self.sql} IN ({', '.join(_sql_of(v) for v in values)}))")

    def if_null(self, other):
        return Expression(f"IFNULL({self.sql}, {_sql_of(other)})")

    # Intervals: lit(10).seconds
    def _interval(self, unit):
        return Expression(f"INTERVAL '{self.sql.strip(chr(39))}' {unit}")

    second = seconds = property(lambda s: s._interval("SECOND"))
    minute = minutes = property(lambda s: s._interval("MINUTE"))
    hour = hours = property(lambda s: s._interval("HOUR"))
    day = days = property(lambda s: s._interval("DAY"))
    milli = millis = property(lambda s: Expression(f"INTERVAL '{int(s.sql) / 1000}' SECOND"))

    # A group window's properties: col('w').start
    start = property(lambda s: s._window_property("START"))
    end = property(lambda s: s._window_property("END"))
    rowtime = property(lambda s: s._window_property("ROWTIME"))
    proctime = property(lambda s: s._window_property("PROCTIME"))

    def _window_property(self, what):
        window = _WINDOWS.get(self.name)
        if window is None:
            raise ValueError(f"`{self.name}` is not a group window's alias: name the window with .alias('{self.name}')")
        return Expression(window.function(what))


def col(name):
    return Expression(_name(name), name)


def lit(value, data_type=None):
    e = Expression(_literal(value))
    return e.cast(data_type) if data_type is not None else e


def call(f, *args):
    name = (f.registered or f.name) if isinstance(f, UserDefinedFunction) else str(f)
    return Expression(f"{_identifier(name)}({', '.join(_sql_of(a) for a in args)})")


def call_sql(sql):
    return Expression(sql)


def and_(*es):
    return Expression("(" + " AND ".join(_sql_of(e) for e in es) + ")")


def or_(*es):
    return Expression("(" + " OR ".join(_sql_of(e) for e in es) + ")")


def not_(e):
    return ~e


def if_then_else(cond, a, b):
    return Expression(f"(CASE WHEN {_sql_of(cond)} THEN {_sql_of(a)} ELSE {_sql_of(b)} END)")


def concat(*es):
    return Expression(f"CONCAT({', '.join(_sql_of(e) for e in es)})")


current_timestamp = lambda: Expression("CURRENT_TIMESTAMP")
current_watermark = lambda c: Expression(f"CURRENT_WATERMARK({_sql_of(c)})")


# ---------------------------------------------------------------------------------------------
# Group windows: Tumble, Slide, Session; `table.window(w.alias('w')).group_by(col('w'), ...)`

_WINDOWS = {}


class GroupWindow:
    def __init__(self, kind, size=None, slide=None, gap=None, time=None, alias=None):
        self.kind, self.size, self.slide, self.gap, self.time, self.name = kind, size, slide, gap, time, alias

    def _with(self, **k):
        w = GroupWindow(self.kind, self.size, self.slide, self.gap, self.time, self.name)
        for key, v in k.items():
            setattr(w, key, v)
        return w

    def every(self, slide):
        return self._with(slide=slide)

    def on(self, time):
        return self._with(time=time)

    def alias(self, name):
        w = self._with(name=name)
        return w

    def arguments(self):
        if self.time is None:
            raise ValueError("say which time attribute the window is on: .on(col('event_time'))")
        t = _sql_of(self.time)
        if self.kind == "TUMBLE":
            return f"{t}, {_sql_of(self.size)}"
        if self.kind == "HOP":
            if self.slide is None:
                raise ValueError("a sliding window needs .every(...)")
            return f"{t}, {_sql_of(self.slide)}, {_sql_of(self.size)}"
        return f"{t}, {_sql_of(self.gap)}"

    def group(self):
        return f"{self.kind}({self.arguments()})"

    def function(self, what):
        return f"{self.kind}_{what}({self.arguments()})"


class Tumble:
    @staticmethod
    def over(size):
        return GroupWindow("TUMBLE", size=size)


class Slide:
    @staticmethod
    def over(size):
        return GroupWindow("HOP", size=size)


class Session:
    @staticmethod
    def with_gap(gap):
        return GroupWindow("SESSION", gap=gap)


# ---------------------------------------------------------------------------------------------
# Tables: SQL text composed by the Table API

_views = iter(range(1, 1 << 62))


def _items(exprs):
    out = []
    for e in exprs:
        if isinstance(e, str):
            out.append(e)
        else:
            out.append(_sql_of(e))
    return ", ".join(out) or "*"


class Table:
    def __init__(self, env, sql, path=None):
        self._env, self._sql, self._path = env, sql, path

    def __str__(self):
        return self._sql

    def _source(self):
        """What a query over this Table reads FROM: the table itself, or this Table's query."""
        if self._path is not None:
            return self._path
        return f"({self._sql}) AS _t{next(_views)}"

    def get_sql(self):
        """The query this Table stands for (Sluice's; not in PyFlink)."""
        return self._sql

    def select(self, *exprs):
        return Table(self._env, f"SELECT {_items(exprs)} FROM {self._source()}")

    def where(self, predicate):
        return Table(self._env, f"SELECT * FROM {self._source()} WHERE {_sql_of(predicate) if not isinstance(predicate, str) else predicate}")

    filter = where

    def add_columns(self, *exprs):
        return Table(self._env, f"SELECT *, {_items(exprs)} FROM {self._source()}")

    def drop_columns(self, *names):
        drop = {n.name if isinstance(n, Expression) else n for n in names}
        keep = [n for n in self.get_schema().get_field_names() if n not in drop]
        return Table(self._env, f"SELECT {', '.join(_name(n) for n in keep)} FROM {self._source()}")

    def alias(self, field, *fields):
        names = [field, *fields]
        columns = self.get_schema().get_field_names()
        if len(names) > len(columns):
            raise ValueError(f"{len(names)} names for a table of {len(columns)} columns ({', '.join(columns)})")
        items = [f"{_name(c)} AS {_name(n)}" for c, n in zip(columns, names)] + [_name(c) for c in columns[len(names):]]
        return Table(self._env, f"SELECT {', '.join(items)} FROM {self._source()}")

    def distinct(self):
        return Table(self._env, f"SELECT DISTINCT * FROM {self._source()}")

    def limit(self, fetch, offset=0):
        tail = f" OFFSET {int(offset)}" if offset else ""
        return Table(self._env, f"SELECT * FROM {self._source()} LIMIT {int(fetch)}{tail}")

    fetch = limit

    def union_all(self, other):
        return Table(self._env, f"({self._sql}) UNION ALL ({other._sql})")

    def union(self, other):
        return Table(self._env, f"({self._sql}) UNION ({other._sql})")

    def group_by(self, *keys):
        return GroupedTable(self, keys, None)

    def window(self, window):
        if window.name is None:
            raise ValueError("name the window: .alias('w'), then group_by(col('w'), ...)")
        _WINDOWS[window.name] = window
        return GroupWindowedTable(self, window)

    def get_schema(self):
        return TableSchema(_answer(sluice_bridge.columns(self._sql)))

    def get_resolved_schema(self):
        return self.get_schema()

    def print_schema(self):
        print(self.get_schema())

    def execute(self):
        return TableResult(self._env, self._sql, query=True)

    def execute_insert(self, table_path, overwrite=False):
        return self._env.execute_sql(f"INSERT INTO {table_path} {self._sql}")

    def to_pandas(self):
        raise NotImplementedError("pandas is not in the page's Python (Pyodide's core has no pandas); use execute().collect()")

    def explain(self, *details):
        return "\n".join(o["text"] for o in _answer(sluice_bridge.execute(f"EXPLAIN {self._sql}", None)) if o["kind"] == "text")


class TableSchema:
    def __init__(self, columns):
        self._columns = columns

    def get_field_names(self):
        return [c["name"] for c in self._columns]

    def get_field_data_types(self):
        return [DataType(c["type"]) for c in self._columns]

    def __str__(self):
        return "(\n" + ",\n".join(f"  `{c['name']}` {c['type']}" for c in self._columns) + "\n)"


class GroupedTable:
    def __init__(self, table, keys, window):
        self._table, self._keys, self._window = table, keys, window

    def select(self, *exprs):
        keys = []
        for k in self._keys:
            if self._window is not None and isinstance(k, Expression) and k.name == self._window.name:
                keys.append(self._window.group())
            else:
                keys.append(_sql_of(k) if not isinstance(k, str) else k)
        group = f" GROUP BY {', '.join(keys)}" if keys else ""
        return Table(self._table._env, f"SELECT {_items(exprs)} FROM {self._table._source()}{group}")


class GroupWindowedTable:
    def __init__(self, table, window):
        self._table, self._window = table, window

    def group_by(self, *keys):
        if not any(isinstance(k, Expression) and k.name == self._window.name for k in keys):
            raise ValueError(f"group by the window too: group_by(col('{self._window.name}'), ...)")
        return GroupedTable(self._table, keys, self._window)


class TableResult:
    """What `execute_sql` and `Table.execute` give: for a query, its rows on `collect()`, its live
    view on `print()` (as `z.show`); for a statement, its outcome."""

    def __init__(self, env, sql, query=False, outcomes=()):
        self._env, self._sql, self._query, self._outcomes = env, sql, query, list(outcomes)

    def collect(self):
        if not self._query:
            for o in self._outcomes:
                if o["kind"] == "table":
                    names = [c["name"] for c in o["columns"]]
                    return iter([Row(**dict(zip(names, r))) if len(set(names)) == len(names) else Row(*r) for r in o["rows"]])
            return iter([Row(o.get("message", "OK")) for o in self._outcomes])
        # Run as a %flink.bsql paragraph: to the end of its input, its final rows.
        for o in _answer(sluice_bridge.execute("%flink.bsql\n" + self._sql, None)):
            if o["kind"] == "table":
                names = [c["name"] for c in o["columns"]]
                unique = len(set(names)) == len(names)
                return _Rows([Row(**dict(zip(names, r))) if unique else Row(*r) for r in o["rows"]])
        return _Rows([])

    def print(self):
        if self._query:
            z.show(Table(self._env, self._sql))
            return
        for o in self._outcomes:
            if o["kind"] == "table":
                names = [c["name"] for c in o["columns"]]
                print(" | ".join(names))
                for r in o["rows"]:
                    print(" | ".join("NULL" if v is None else str(v) for v in r))
            elif o["kind"] == "text":
                print(o["text"])
            elif o["kind"] == "done":
                print(o["message"])

    def get_job_client(self):
        return None

    def wait(self, timeout_ms=None):
        return None


class _Rows(list):
    """`collect()`'s rows: an iterator that is also a closable context manager, as PyFlink's."""

    def __iter__(self):
        return list.__iter__(self)

    def __enter__(self):
        return iter(self)

    def __exit__(self, *exc):
        return False

    def close(self):
        pass


_QUERY_START = ("SELECT", "WITH", "VALUES", "(")


class TableConfig:
    def __init__(self, env):
        self._env = env

    def set(self, key, value):
        self._env.execute_sql(f"SET '{key}' = '{value}'")
        return self

    def get_configuration(self):
        return self

    set_string = set


class TableEnvironment:
    """`st_env` (streaming) and `bt_env` (batch: its queries run as `%flink.bsql` paragraphs)."""

    def __init__(self, batch=False):
        self._batch = batch

    def execute_sql(self, sql):
        if sql.lstrip().upper().startswith(_QUERY_START):
            # Checked now, as Flink plans it now; run when printed or collected.
            _answer(sluice_bridge.columns(sql))
            return TableResult(self, sql, query=True)
        return TableResult(self, sql, outcomes=_answer(sluice_bridge.execute(sql, None)))

    def sql_query(self, sql):
        return Table(self, sql)

    def from_path(self, path):
        return Table(self, f"SELECT * FROM {path}", path)

    def create_temporary_view(self, name, table):
        if not isinstance(table, Table):
            raise TypeError(f"create_temporary_view takes a Table, not {type(table).__name__}")
        _answer(sluice_bridge.execute(f"CREATE TEMPORARY VIEW {_name(name)} AS {table._sql}", None))

    def drop_temporary_view(self, name):
        _answer(sluice_bridge.execute(f"DROP TEMPORARY VIEW IF EXISTS {_name(name)}", None))
        return True

    def register_function(self, name, function):
        self.create_temporary_function(name, function)

    def create_temporary_function(self, name, function):
        self._create_function(name, function, "TEMPORARY ")

    def create_temporary_system_function(self, name, function):
        self._create_function(name, function, "TEMPORARY SYSTEM ")

    def _create_function(self, name, function, scope):
        if not isinstance(function, UserDefinedFunction):
            if callable(function):
                raise TypeError(f"decorate `{name}` with @udf(result_type=...) first: the engine needs its result type")
            raise TypeError(f"`{name}` is not a function")
        _FUNCTIONS[function.target] = function
        function.registered = name
        # Backquoted: PyFlink registers any name (through Java, not SQL), and a reserved word
        # (`convert`, `value`) is refused unquoted in Flink's SQL, as in Sluice's.
        _answer(sluice_bridge.execute(f"CREATE {scope}FUNCTION {_name(name)} AS '{function.target}' LANGUAGE PYTHON", None))

    def drop_temporary_function(self, name):
        _answer(sluice_bridge.execute(f"DROP TEMPORARY FUNCTION IF EXISTS {_name(name)}", None))
        return True

    def _names(self, sql):
        for o in _answer(sluice_bridge.execute(sql, None)):
            if o["kind"] == "table":
                return [r[0] for r in o["rows"]]
        return []

    def list_tables(self):
        return self._names("SHOW TABLES")

    def list_views(self):
        return self._names("SHOW VIEWS")

    def list_user_defined_functions(self):
        return self._names("SHOW USER FUNCTIONS")

    def list_functions(self):
        return self._names("SHOW FUNCTIONS")

    def get_config(self):
        return TableConfig(self)

    def from_elements(self, elements, schema=None):
        rows = [e if isinstance(e, (list, tuple)) else (e,) for e in elements]
        if not rows:
            raise ValueError("from_elements needs at least one element")
        values = ", ".join("(" + ", ".join(_literal(v) for v in r) + ")" for r in rows)
        names = schema if isinstance(schema, (list, tuple)) else [f"_{i + 1}" for i in range(len(rows[0]))]
        return Table(self, f"SELECT * FROM (VALUES {values}) AS _v({', '.join(_name(n) for n in names)})")

    def create_statement_set(self):
        return StatementSet(self)

    def execute_statement_set(self, *a):
        raise NotImplementedError


class StatementSet:
    def __init__(self, env):
        self._env, self._inserts = env, []

    def add_insert_sql(self, sql):
        self._inserts.append(sql)
        return self

    def add_insert(self, path, table, overwrite=False):
        self._inserts.append(f"INSERT INTO {path} {table._sql}")
        return self

    def execute(self):
        body = ";\n".join(self._inserts)
        return TableResult(self._env, "", outcomes=_answer(sluice_bridge.execute(f"EXECUTE STATEMENT SET BEGIN\n{body};\nEND", None)))


# ---------------------------------------------------------------------------------------------
# User functions: @udf and @udtf

_FUNCTIONS = {}


class UserDefinedFunction:
    def __init__(self, func, kind, input_types, result_type, deterministic, name):
        self.func, self.kind = func, kind
        self.input_types = list(input_types) if input_types is not None else None
        self.result_type = result_type
        self.deterministic = deterministic
        self.name = name or getattr(func, "__name__", "f")
        # The name SQL calls it by, once registered.
        self.registered = None
        self.target = f"__studio__.{self.name}"
        if hasattr(func, "open") and hasattr(func, "eval"):
            func.open(None)
            self._call = func.eval
        else:
            self._call = func

    def __call__(self, *args):
        return call(self, *args)

    def describe(self):
        if self.kind == "table":
            types = self.result_type if isinstance(self.result_type, (list, tuple)) else [self.result_type]
            result = "ROW<" + ", ".join(f"`f{i}` {t}" for i, t in enumerate(types)) + ">"
        else:
            result = str(self.result_type)
        return {
            "kind": self.kind,
            "params": [str(t) for t in self.input_types] if self.input_types is not None else None,
            "result": result,
            "deterministic": self.deterministic,
        }


def _udf_decorator(kind):
    def decorator(f=None, input_types=None, result_type=None, result_types=None, deterministic=None, name=None, func_type="general", udf_type=None):
        result = result_types if result_types is not None else result_type
        if result is None:
            raise TypeError(f"@{'udtf' if kind == 'table' else 'udf'} needs result_type{'s' if kind == 'table' else ''}=DataTypes...")
        if isinstance(input_types, DataType):
            input_types = [input_types]

        def wrap(func):
            return UserDefinedFunction(func, kind, input_types, result, deterministic is not False, name)

        return wrap(f) if f is not None else wrap

    return decorator


udf = _udf_decorator("scalar")
udtf = _udf_decorator("table")


class ScalarFunction:
    def open(self, function_context):
        pass

    def close(self):
        pass


class TableFunction(ScalarFunction):
    pass


def _sluice_describe(target):
    f = _FUNCTIONS.get(target)
    if f is None:
        return json.dumps({"error": f"no Python function `{target}`: define it with @udf in a Python paragraph and register it with st_env.create_temporary_function"})
    return json.dumps({"ok": f.describe()})


def _sluice_call(target, args_json, rows):
    """One batch: `args[i][r]` is argument i of row r. Answers each row's result, or the first
    row that raised, with its traceback."""
    f = _FUNCTIONS.get(target)
    if f is None:
        return json.dumps({"error": {"row": None, "message": f"no Python function `{target}`"}})
    columns = _loads(args_json)
    out = []
    fn = f._call
    table = f.kind == "table"
    for r in range(rows):
        try:
            v = fn(*[c[r] for c in columns])
            if table:
                produced = []
                for item in (v if v is not None else ()):
                    produced.append(_encode_value(list(item) if isinstance(item, (tuple, list, Row)) else [item]))
                out.append(produced)
            else:
                out.append(_encode_value(v))
        except Exception as e:
            return json.dumps({"error": {"row": r, "message": _traceback(e, skip_studio=True)}})
    return json.dumps(out, allow_nan=False)


# ---------------------------------------------------------------------------------------------
# z.show and running a paragraph


class ZeppelinContext:
    def show(self, table, stream_type="update", **_):
        if isinstance(table, TableResult):
            table = Table(table._env, table._sql)
        if not isinstance(table, Table):
            raise TypeError(f"z.show takes a Table, not {type(table).__name__}")
        if stream_type not in ("update", "append", "single"):
            raise ValueError(f"stream_type is 'update', 'append' or 'single', not {stream_type!r}")
        sql = table._sql
        if table._env._batch:
            sql = "%flink.bsql\n" + sql
        _answer(sluice_bridge.execute(sql, stream_type))


z = ZeppelinContext()
st_env = TableEnvironment()
s_env = st_env
bt_env = TableEnvironment(batch=True)
b_env = bt_env


def _traceback(e, skip_studio=False):
    """The exception's traceback, keeping only the paragraph's own frames (and those of any
    module it imported), so its lines are the paragraph's."""
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == PARAGRAPH or not f.filename.startswith(("/lib/", "<frozen", __file__))]
    lines = ["Traceback (most recent call last):\n"] + traceback.format_list(frames) if frames else []
    lines += traceback.format_exception_only(type(e), e)
    return "".join(lines).rstrip()


def _paragraph_line(e, code):
    """Where in the paragraph's text the error is: a syntax error's place, or the line of the
    paragraph's innermost frame (at its first non-blank character)."""
    if isinstance(e, SyntaxError) and e.filename == PARAGRAPH:
        return e.lineno, e.offset or 1
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == PARAGRAPH]
    if not frames:
        return None, None
    line = frames[-1].lineno
    text = code.splitlines()[line - 1] if 0 < line <= len(code.splitlines()) else ""
    return line, len(text) - len(text.lstrip()) + 1


_globals = {"__name__": "__main__"}


def _sluice_run(code):
    """Runs a paragraph's code (its interpreter line blanked, so line numbers stay the text's) in
    the note's one namespace. Answers JSON: what it printed, and its error if it raised."""
    out = io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = out
    error = None
    try:
        compiled = compile(code, PARAGRAPH, "exec")
        exec(compiled, _globals)
    except BaseException as e:  # noqa: BLE001 - everything a paragraph raises is its error
        line, column = _paragraph_line(e, code)
        error = {"traceback": _traceback(e) if not isinstance(e, SyntaxError) else "".join(traceback.format_exception_only(type(e), e)).rstrip(), "line": line, "column": column}
    finally:
        sys.stdout, sys.stderr = saved
    return json.dumps({"printed": out.getvalue(), "error": error})


# ---------------------------------------------------------------------------------------------
# The modules Studio code imports


def _module(name, **names):
    m = types.ModuleType(name)
    m.__dict__.update(names)
    sys.modules[name] = m
    return m


_expressions = dict(col=col, lit=lit, call=call, call_sql=call_sql, and_=and_, or_=or_, not_=not_, if_then_else=if_then_else, concat=concat, current_timestamp=current_timestamp, current_watermark=current_watermark)
_window = dict(Tumble=Tumble, Slide=Slide, Session=Session)
_udf = dict(udf=udf, udtf=udtf, ScalarFunction=ScalarFunction, TableFunction=TableFunction, UserDefinedFunction=UserDefinedFunction)
_table = dict(DataTypes=DataTypes, DataType=DataType, Table=Table, TableEnvironment=TableEnvironment, StreamTableEnvironment=TableEnvironment, TableResult=TableResult, EnvironmentSettings=types.SimpleNamespace(in_streaming_mode=lambda: None, in_batch_mode=lambda: None), Row=Row, TableSchema=TableSchema, **_udf, **_window)

_module("pyflink")
_module("pyflink.common", Row=Row)
_module("pyflink.table", expressions=None, **_table)
_module("pyflink.table.expressions", **_expressions)
_module("pyflink.table.window", **_window)
_module("pyflink.table.udf", **_udf)
_module("pyflink.table.types", DataTypes=DataTypes, DataType=DataType, Row=Row)
sys.modules["pyflink.table"].expressions = sys.modules["pyflink.table.expressions"]
sys.modules["pyflink"].table = sys.modules["pyflink.table"]
sys.modules["pyflink"].common = sys.modules["pyflink.common"]

_globals.update(st_env=st_env, s_env=s_env, bt_env=bt_env, b_env=b_env, z=z, DataTypes=DataTypes, udf=udf, udtf=udtf, col=col, lit=lit)
