#!/usr/bin/env python3
"""Asks Apache Flink 2.3 which words it refuses as unquoted identifiers, and where.

Flink's documentation lists "Reserved Keywords" (docs/content/docs/sql/reference/overview.md),
but that list mixes reserved and non-reserved words: only Flink's parser (Calcite's reserved
keywords minus Flink's `nonReservedKeywords`) decides. This script puts every word of that list,
and every other keyword Flink's parser knows (its `getMetadata().getTokens()`), unquoted into
each identifier position below and records what Flink answers: `R` when the parser refuses the
statement (SqlParserException, "SQL parse failed. Encountered ..."), `A` when it runs, `V` when it
parses but fails later (validation). Parse and validate only: `sql_query`, and `execute_sql` of
DDL on `blackhole` and `filesystem` tables, `explain_sql` of INSERT; one JVM for the whole run.

Not part of the test command; run it with the Python of scripts/setup.sh's Flink venv to remake
the data files that tests/reserved_words.rs reads:

    ~/.cache/sluice/flink-2.3.0/bin/python tests/flink/reserved_words.py

It writes tests/flink/reserved_words.tsv (a word per line, a column per position) and
tests/flink/reserved_words_messages.txt (Flink's messages for a few words and positions).
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# docs/content/docs/sql/reference/overview.md, section "Reserved Keywords" (Flink 2.3).
DOCS = """
A, ABS, ABSOLUTE, ACTION, ADA, ADD, ADMIN, AFTER, ALL, ALLOCATE, ALLOW, ALTER, ALWAYS, AND, ANALYZE, ANY, ARE, ARRAY, AS, ASC, ASENSITIVE, ASSERTION, ASSIGNMENT, ASYMMETRIC, AT, ATOMIC, ATTRIBUTE, ATTRIBUTES, AUTHORIZATION, AVG, BEFORE, BEGIN, BERNOULLI, BETWEEN, BIGINT, BINARY, BIT, BLOB, BOOLEAN, BOTH, BREADTH, BY, BYTES, C, CALL, CALLED, CARDINALITY, CASCADE, CASCADED, CASE, CAST, CATALOG, CATALOG_NAME, CEIL, CEILING, CENTURY, CHAIN, CHAR, CHARACTER, CHARACTERISTICS, CHARACTERS, CHARACTER_LENGTH, CHARACTER_SET_CATALOG, CHARACTER_SET_NAME, CHARACTER_SET_SCHEMA, CHAR_LENGTH, CHECK, CLASS_ORIGIN, CLOB, CLOSE, COALESCE, COBOL, COLLATE, COLLATION, COLLATION_CATALOG, COLLATION_NAME, COLLATION_SCHEMA, COLLECT, COLUMN, COLUMNS, COLUMN_NAME, COMMAND_FUNCTION, COMMAND_FUNCTION_CODE, COMMIT, COMMITTED, CONDITION, CONDITION_NUMBER, CONNECT, CONNECTION, CONNECTION_NAME, CONSTRAINT, CONSTRAINTS, CONSTRAINT_CATALOG, CONSTRAINT_NAME, CONSTRAINT_SCHEMA, CONSTRUCTOR, CONTAINS, CONTINUE, CONVERT, CORR, CORRESPONDING, COUNT, COVAR_POP, COVAR_SAMP, CREATE, CROSS, CUBE, CUME_DIST, CURRENT, CURRENT_CATALOG, CURRENT_DATE, CURRENT_DEFAULT_TRANSFORM_GROUP, CURRENT_PATH, CURRENT_ROLE, CURRENT_SCHEMA, CURRENT_TIME, CURRENT_TIMESTAMP, CURRENT_TRANSFORM_GROUP_FOR_TYPE, CURRENT_USER, CURSOR, CURSOR_NAME, CYCLE, DATA, DATABASE, DATE, DATETIME_INTERVAL_CODE, DATETIME_INTERVAL_PRECISION, DAY, DEALLOCATE, DEC, DECADE, DECIMAL, DECLARE, DEFAULT, DEFAULTS, DEFERRABLE, DEFERRED, DEFINED, DEFINER, DEGREE, DELETE, DENSE_RANK, DEPTH, DEREF, DERIVED, DESC, DESCRIBE, DESCRIPTION, DESCRIPTOR, DETERMINISTIC, DIAGNOSTICS, DISALLOW, DISCONNECT, DISPATCH, DISTINCT, DOMAIN, DOUBLE, DOW, DOY, DROP, DYNAMIC, DYNAMIC_FUNCTION, DYNAMIC_FUNCTION_CODE, EACH, ELEMENT, ELSE, END, END-EXEC, EPOCH, EQUALS, ESCAPE, EVERY, EXCEPT, EXCEPTION, EXCLUDE, EXCLUDING, EXEC, EXECUTE, EXISTS, EXP, EXPLAIN, EXTEND, EXTERNAL, EXTRACT, FALSE, FETCH, FILTER, FINAL, FIRST, FIRST_VALUE, FLOAT, FLOOR, FOLLOWING, FOR, FOREIGN, FORTRAN, FOUND, FRAC_SECOND, FREE, FROM, FULL, FUNCTION, FUSION, G, GENERAL, GENERATED, GET, GLOBAL, GO, GOTO, GRANT, GRANTED, GROUP, GROUPING, HAVING, HIERARCHY, HOLD, HOUR, IDENTITY, IMMEDIATE, IMPLEMENTATION, IMPORT, IN, INCLUDING, INCREMENT, INDICATOR, INITIALLY, INNER, INOUT, INPUT, INSENSITIVE, INSERT, INSTANCE, INSTANTIABLE, INT, INTEGER, INTERSECT, INTERSECTION, INTERVAL, INTO, INVOKER, IS, ISOLATION, JAVA, JOIN, K, KEY, KEY_MEMBER, KEY_TYPE, LABEL, LANGUAGE, LARGE, LAST, LAST_VALUE, LATERAL, LEADING, LEFT, LENGTH, LEVEL, LIBRARY, LIKE, LIMIT, LN, LOCAL, LOCALTIME, LOCALTIMESTAMP, LOCATOR, LOWER, M, MAP, MATCH, MATCHED, MAX, MAXVALUE, MEMBER, MERGE, MESSAGE_LENGTH, MESSAGE_OCTET_LENGTH, MESSAGE_TEXT, METHOD, MICROSECOND, MILLENNIUM, MIN, MINUTE, MINVALUE, MOD, MODIFIES, MODULE, MODULES, MONTH, MORE, MULTISET, MUMPS, NAME, NAMES, NATIONAL, NATURAL, NCHAR, NCLOB, NESTING, NEW, NEXT, NO, NONE, NORMALIZE, NORMALIZED, NOT, NULL, NULLABLE, NULLIF, NULLS, NUMBER, NUMERIC, OBJECT, OCTETS, OCTET_LENGTH, OF, OFFSET, OLD, ON, ONLY, OPEN, OPTION, OPTIONS, OR, ORDER, ORDERING, ORDINALITY, OTHERS, OUT, OUTER, OUTPUT, OVER, OVERLAPS, OVERLAY, OVERRIDING, PAD, PARAMETER, PARAMETER_MODE, PARAMETER_NAME, PARAMETER_ORDINAL_POSITION, PARAMETER_SPECIFIC_CATALOG, PARAMETER_SPECIFIC_NAME, PARAMETER_SPECIFIC_SCHEMA, PARTIAL, PARTITION, PASCAL, PASSTHROUGH, PATH, PERCENTILE_CONT, PERCENTILE_DISC, PERCENT_RANK, PLACING, PLAN, PLI, POSITION, POWER, PRECEDING, PRECISION, PREPARE, PRESERVE, PRIMARY, PRIOR, PRIVILEGES, PROCEDURE, PUBLIC, QUARTER, RANGE, RANK, RAW, READ, READS, REAL, RECURSIVE, REF, REFERENCES, REFERENCING, REGR_AVGX, REGR_AVGY, REGR_COUNT, REGR_INTERCEPT, REGR_R2, REGR_SLOPE, REGR_SXX, REGR_SXY, REGR_SYY, RELATIVE, RELEASE, REPEATABLE, RESET, RESTART, RESTRICT, RESULT, RETURN, RETURNED_CARDINALITY, RETURNED_LENGTH, RETURNED_OCTET_LENGTH, RETURNED_SQLSTATE, RETURNS, REVOKE, RIGHT, ROLE, ROLLBACK, ROLLUP, ROUTINE, ROUTINE_CATALOG, ROUTINE_NAME, ROUTINE_SCHEMA, ROW, ROWS, ROW_COUNT, ROW_NUMBER, SAVEPOINT, SCALE, SCHEMA, SCHEMA_NAME, SCOPE, SCOPE_CATALOGS, SCOPE_NAME, SCOPE_SCHEMA, SCROLL, SEARCH, SECOND, SECTION, SECURITY, SELECT, SELF, SENSITIVE, SEQUENCE, SERIALIZABLE, SERVER, SERVER_NAME, SESSION, SESSION_USER, SET, SETS, SIMILAR, SIMPLE, SIZE, SMALLINT, SOME, SOURCE, SPACE, SPECIFIC, SPECIFICTYPE, SPECIFIC_NAME, SQL, SQLEXCEPTION, SQLSTATE, SQLWARNING, SQL_TSI_DAY, SQL_TSI_FRAC_SECOND, SQL_TSI_HOUR, SQL_TSI_MICROSECOND, SQL_TSI_MINUTE, SQL_TSI_MONTH, SQL_TSI_QUARTER, SQL_TSI_SECOND, SQL_TSI_WEEK, SQL_TSI_YEAR, SQRT, START, STATE, STATEMENT, STATIC, STATISTICS, STDDEV_POP, STDDEV_SAMP, STREAM, STRING, STRUCTURE, STYLE, SUBCLASS_ORIGIN, SUBMULTISET, SUBSTITUTE, SUBSTRING, SUM, SYMMETRIC, SYSTEM, SYSTEM_USER, TABLE, TABLESAMPLE, TABLE_NAME, TEMPORARY, THEN, TIES, TIME, TIMESTAMP, TIMESTAMPADD, TIMESTAMPDIFF, TIMEZONE_HOUR, TIMEZONE_MINUTE, TINYINT, TO, TOP_LEVEL_COUNT, TRAILING, TRANSACTION, TRANSACTIONS_ACTIVE, TRANSACTIONS_COMMITTED, TRANSACTIONS_ROLLED_BACK, TRANSFORM, TRANSFORMS, TRANSLATE, TRANSLATION, TREAT, TRIGGER, TRIGGER_CATALOG, TRIGGER_NAME, TRIGGER_SCHEMA, TRIM, TRUE, TYPE, UESCAPE, UNBOUNDED, UNCOMMITTED, UNDER, UNION, UNIQUE, UNKNOWN, UNNAMED, UNNEST, UPDATE, UPPER, UPSERT, USAGE, USER, USER_DEFINED_TYPE_CATALOG, USER_DEFINED_TYPE_CODE, USER_DEFINED_TYPE_NAME, USER_DEFINED_TYPE_SCHEMA, USING, VALUE, VALUES, VARBINARY, VARCHAR, VARYING, VAR_POP, VAR_SAMP, VERSION, VIEW, WEEK, WHEN, WHENEVER, WHERE, WIDTH_BUCKET, WINDOW, WITH, WITHIN, WITHOUT, WORK, WRAPPER, WRITE, XML, YEAR, ZONE
"""

# Each identifier position: a name (the TSV's column) and the statement with `{w}` where the
# word goes. `{t}` is a (filesystem, so both source and sink) table named by the word (backquoted), with a column named by the word
# (backquoted), `a INT` and a rowtime `ts`; `{n}` a fresh name for a table the statement creates.
POSITIONS = [
    ("column_name", "CREATE TABLE {n} ({w} INT) WITH ('connector'='blackhole')"),
    ("computed_column", "CREATE TABLE {n} (a INT, {w} AS a + 1) WITH ('connector'='blackhole')"),
    ("row_field", "CREATE TABLE {n} (r ROW<{w} INT>) WITH ('connector'='blackhole')"),
    ("primary_key", "CREATE TABLE {n} (`{W}` INT NOT NULL, PRIMARY KEY ({w}) NOT ENFORCED) WITH ('connector'='blackhole')"),
    ("watermark", "CREATE TABLE {n} (`{W}` TIMESTAMP(3), WATERMARK FOR {w} AS `{W}`) WITH ('connector'='blackhole')"),
    ("table_name", "CREATE TABLE {w} (a INT) WITH ('connector'='blackhole')"),
    ("view_name", "CREATE VIEW {w} AS SELECT 1 AS a"),
    ("view_column", "CREATE VIEW {n} ({w}) AS SELECT 1"),
    ("from_table", "SELECT a FROM {w}"),
    ("select_column", "SELECT {w} FROM {t}"),
    ("where_column", "SELECT a FROM {t} WHERE {w} IS NOT NULL"),
    ("qualified_column", "SELECT x.{w} FROM {t} AS x"),
    ("column_qualifier", "SELECT {w}.a FROM {t}"),
    ("select_alias_as", "SELECT a AS {w} FROM {t}"),
    ("select_alias_bare", "SELECT a {w} FROM {t}"),
    ("table_alias_as", "SELECT a FROM {t} AS {w}"),
    ("table_alias_bare", "SELECT a FROM {t} {w}"),
    ("column_alias_list", "SELECT * FROM (VALUES (1)) AS x ({w})"),
    ("cte_name", "WITH {w} AS (SELECT 1 AS a) SELECT a FROM {w}"),
    ("function_arg_name", "SELECT * FROM TABLE(TUMBLE(DATA => TABLE {t}, TIMECOL => DESCRIPTOR(ts), {w} => INTERVAL '1' MINUTE))"),
    ("descriptor", "SELECT * FROM TABLE(TUMBLE(TABLE {t}, DESCRIPTOR({w}), INTERVAL '1' MINUTE))"),
    ("window_name", "SELECT a, COUNT(*) OVER {w} FROM {t} WINDOW {w} AS (ORDER BY ts)"),
    ("match_variable", "SELECT * FROM {t} MATCH_RECOGNIZE (ORDER BY ts MEASURES {w}.a AS aa PATTERN ({w}) DEFINE {w} AS {w}.a > 0)"),
    ("partitioned_by", "CREATE TABLE {n} (`{W}` INT, a INT) PARTITIONED BY ({w}) WITH ('connector'='blackhole')"),
    ("like_source", "CREATE TABLE {n} LIKE {w}"),
    ("insert_table", "INSERT INTO {w} SELECT 1, 2, TIMESTAMP '2020-01-01 00:00:00'"),
    ("insert_column", "INSERT INTO {t} ({w}) SELECT 1"),
    ("describe", "DESCRIBE {w}"),
    ("show_columns", "SHOW COLUMNS FROM {w}"),
    ("function_name", "CREATE TEMPORARY FUNCTION {w} AS 'rw.NoSuchClass'"),
    # Last: if Flink takes it, the word's table is gone.
    ("drop_table", "DROP TABLE {w}"),
]

# Words whose messages the messages file keeps (Flink's words for the refusal): the first line,
# and the whole message for VALUE as a column name.
MESSAGE_WORDS = {"VALUE", "USER", "TIMESTAMP", "KEY"}


def words(parser_tokens):
    docs = [w.strip() for w in DOCS.split(",") if w.strip()]
    out = {}
    for w in docs:
        out[w] = "docs"
    for w in parser_tokens:
        out.setdefault(w, "parser")
    # END-EXEC is not one word in any SQL tokenizer (END - EXEC): it cannot be an identifier.
    return {w: s for w, s in out.items() if re.fullmatch(r"[A-Z_][A-Z0-9_]*", w)}


def main():
    from pyflink.java_gateway import get_gateway
    from pyflink.table import EnvironmentSettings, TableEnvironment

    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    env.get_config().set("parallelism.default", "1")
    jvm = get_gateway().jvm
    # The planner lives in its own class loader: reach Flink's parser through it.
    loader = env._j_tenv.getParser().getClass().getClassLoader()
    parser_class = jvm.java.lang.Class.forName("org.apache.flink.sql.parser.impl.FlinkSqlParserImpl", True, loader)
    factory = parser_class.getField("FACTORY").get(None)
    tokens = list(factory.getParser(jvm.java.io.StringReader("")).getMetadata().getTokens())

    def ask(statement):
        try:
            if statement.startswith("SELECT") or statement.startswith("WITH"):
                env.sql_query(statement)
            elif statement.startswith("INSERT"):
                env.explain_sql(statement)
            else:
                env.execute_sql(statement)
            return "A", ""
        except Exception as e:  # through py4j
            text = str(e)
            line = next((l for l in text.splitlines() if "Exception: " in l), text.splitlines()[0])
            message = line.split("Exception: ", 1)[1] if "Exception: " in line else line
            # SqlParserEOFException (a statement cut short) is a parse failure too.
            if "SqlParserException" in line or "SqlParserEOFException" in line:
                # The whole message: its first line and "Was expecting one of:" list.
                lines = text.splitlines()
                rest = []
                for l in lines[lines.index(line) + 1:]:
                    if l.startswith("\tat ") or l.startswith("Caused by"):
                        break
                    rest.append(l)
                return "R", "\n".join([message] + rest).rstrip()
            return "V", message

    all_words = words(tokens)
    rows = []
    messages = []
    counter = 0
    only = set(sys.argv[1:])
    for word, source in sorted(all_words.items()):
        if only and word not in only:
            continue
        table = f"`{word}`"
        answers = {}

        def position(name):
            nonlocal counter
            counter += 1
            template = dict(POSITIONS)[name]
            statement = template.format(w=word, W=word, t=table, n=f"rw_{counter}")
            verdict, message = ask(statement)
            answers[name] = verdict
            if verdict == "V":
                messages.append((word, name, f"== {word} {name}: {statement}\nVALIDATION: {message[:300]}"))
            elif verdict == "R" and word in MESSAGE_WORDS:
                # The first line, and the whole "Was expecting one of:" list for one case.
                full = (word, name) == ("VALUE", "column_name")
                messages.append((word, name, f"== {word} {name}: {statement}\n{message if full else message.splitlines()[0]}"))

        # A table and a view named by the word, before the word's own table exists.
        position("table_name")
        env.execute_sql(f"DROP TABLE IF EXISTS {table}")
        position("view_name")
        env.execute_sql(f"DROP VIEW IF EXISTS {table}")
        # The table the queries read: named by the word, with a column named by it.
        env.execute_sql(
            f"CREATE TABLE {table} (`{word}` INT, a INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)"
            " WITH ('connector'='filesystem', 'path'='/tmp/sluice-reserved-words', 'format'='csv')"
        )
        for name, _ in POSITIONS:
            if name not in answers:
                position(name)
        env.execute_sql(f"DROP TABLE IF EXISTS {table}")
        env.execute_sql(f"DROP TEMPORARY FUNCTION IF EXISTS {table}")
        row = [answers[name] for name, _ in POSITIONS]
        rows.append((word, source, row))
        print(word, "".join(row), file=sys.stderr)

    if only:
        for _, _, m in messages:
            print(m)
        return
    with open(os.path.join(HERE, "reserved_words.tsv"), "w") as f:
        f.write("# Made by tests/flink/reserved_words.py from Flink 2.3: R refused by the parser, A accepted, V parsed\n")
        f.write("# but refused by validation (reserved_words_messages.txt says why). source: docs (the Reserved\n")
        f.write("# Keywords list of Flink's SQL overview) or parser (a keyword of Flink's parser the list leaves out).\n")
        f.write("# Each position's statement: {w} and {W} the word ({W} goes in backquotes), {t} a table named by the\n")
        f.write("# word (backquoted) with columns `{W}` INT, a INT, ts TIMESTAMP(3) (a rowtime), {n} a fresh name.\n")
        for name, template in POSITIONS:
            f.write(f"@{name}\t{template}\n")
        f.write("\t".join(["word", "source"] + [name for name, _ in POSITIONS]) + "\n")
        for word, source, answers in rows:
            f.write("\t".join([word, source] + answers) + "\n")
    # Every V of a word Flink reserves somewhere; of the others (V only where any word's statement
    # fails validation: a named argument TUMBLE lacks, a DESCRIPTOR of an INT) the first word's.
    reserved = {word for word, _, answers in rows if "R" in answers}
    shown = set()
    kept = []
    for word, name, text in messages:
        if word in reserved or word in MESSAGE_WORDS or name not in shown:
            kept.append(text)
        if word not in reserved:
            shown.add(name)
    with open(os.path.join(HERE, "reserved_words_messages.txt"), "w") as f:
        f.write("# Made by tests/flink/reserved_words.py: Flink 2.3's messages: the refusals of a few words, every V of\n")
        f.write("# a word refused elsewhere, and one V per position of the words Flink takes everywhere.\n")
        f.write("\n".join(kept) + "\n")


if __name__ == "__main__":
    main()
