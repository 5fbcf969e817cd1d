#!/usr/bin/env python3
"""Writes what Apache Flink 2.3 computes for every built-in function case below: one golden
file per family (`arithmetic.jsonl`, `string.jsonl`, …), each line a case with the SQL
expression, the function it exercises, Flink's result type and value — or Flink's error, for
calls Flink refuses. `tests/function_conformance.rs` runs the same expressions through Sluice.

Not part of the test command: the tests read the committed output. Run it with the Python of
scripts/setup.sh's Flink venv after changing CASES (one Flink JVM for the whole run):

    ~/.cache/sluice/flink-2.3.0/bin/python tests/functions/generate.py

Every case runs as `SELECT <expr> FROM <from>` in batch mode with the session time zone UTC;
`from` defaults to a one-row VALUES table `t(x)`. Values are recorded as Java prints them
(`String.valueOf`): `1.0E10`, `2020-02-29T10:00`, `1970-01-01T00:00:00Z`.
"""

import decimal
import json
import os
import sys

os.environ["TZ"] = "UTC"
HERE = os.path.dirname(os.path.abspath(__file__))
ONE = "(VALUES (1)) AS t(x)"

S = "CAST(NULL AS STRING)"
I = "CAST(NULL AS INT)"
D = "CAST(NULL AS DOUBLE)"
TS = "CAST(NULL AS TIMESTAMP(3))"

# family -> [(function, expression[, from])]
CASES = {
    "arithmetic": [
        ("ABS", "ABS(-2)"), ("ABS", "ABS(-2.5)"), ("ABS", "ABS(CAST(-1.5 AS DOUBLE))"), ("ABS", f"ABS({I})"),
        ("ABS", "ABS(-2147483647)"),
        ("MOD", "MOD(7, 3)"), ("MOD", "MOD(-7, 3)"), ("MOD", "MOD(7, -3)"), ("MOD", f"MOD({I}, 3)"), ("MOD", "MOD(7.5, 2)"),
        ("POWER", "POWER(2, 10)"), ("POWER", "POWER(2.0, -1)"), ("POWER", "POWER(-8, 0.5)"), ("POWER", f"POWER({D}, 2)"),
        ("SQRT", "SQRT(16)"), ("SQRT", "SQRT(2)"), ("SQRT", "SQRT(-1)"), ("SQRT", f"SQRT({I})"),
        ("LN", "LN(1)"), ("LN", "LN(10)"), ("LN", "LN(0)"), ("LN", "LN(-1)"), ("LN", f"LN({D})"),
        ("LOG10", "LOG10(1000)"), ("LOG10", "LOG10(2)"), ("LOG10", f"LOG10({D})"),
        ("LOG2", "LOG2(8)"), ("LOG2", "LOG2(10)"), ("LOG2", f"LOG2({I})"),
        ("LOG", "LOG(10)"), ("LOG", "LOG(2, 8)"), ("LOG", "LOG(10, 1000)"), ("LOG", f"LOG(2, {D})"),
        ("EXP", "EXP(0)"), ("EXP", "EXP(1)"), ("EXP", "EXP(-2.5)"), ("EXP", f"EXP({D})"),
        ("CEIL", "CEIL(1.2)"), ("CEIL", "CEIL(-1.2)"), ("CEIL", "CEIL(CAST(1.5 AS DOUBLE))"), ("CEIL", "CEIL(7)"),
        ("CEILING", "CEILING(2.01)"), ("CEIL", f"CEIL({D})"),
        ("FLOOR", "FLOOR(1.8)"), ("FLOOR", "FLOOR(-1.2)"), ("FLOOR", "FLOOR(CAST(-0.5 AS DOUBLE))"), ("FLOOR", f"FLOOR({D})"),
        ("SIN", "SIN(0)"), ("SIN", "SIN(1)"), ("SIN", f"SIN({D})"),
        ("COS", "COS(0)"), ("COS", "COS(1)"),
        ("TAN", "TAN(1)"), ("COT", "COT(1)"), ("COT", "COT(0.5)"),
        ("ASIN", "ASIN(1)"), ("ASIN", "ASIN(2)"), ("ACOS", "ACOS(0.5)"), ("ATAN", "ATAN(1)"),
        ("ATAN2", "ATAN2(1, 1)"), ("ATAN2", "ATAN2(-1, 0)"), ("ATAN2", f"ATAN2({D}, 1)"),
        ("SINH", "SINH(1)"), ("COSH", "COSH(1)"), ("TANH", "TANH(0.5)"), ("TANH", f"TANH({D})"),
        ("DEGREES", "DEGREES(PI())"), ("DEGREES", "DEGREES(1)"), ("RADIANS", "RADIANS(180)"), ("RADIANS", f"RADIANS({I})"),
        ("SIGN", "SIGN(-8)"), ("SIGN", "SIGN(0)"), ("SIGN", "SIGN(CAST(2.5 AS DOUBLE))"), ("SIGN", "SIGN(-2.5)"), ("SIGN", f"SIGN({I})"),
        ("ROUND", "ROUND(3.14159, 2)"), ("ROUND", "ROUND(2.5)"), ("ROUND", "ROUND(-2.5)"), ("ROUND", "ROUND(1234, -2)"),
        ("ROUND", "ROUND(CAST(2.675 AS DOUBLE), 2)"), ("ROUND", "ROUND(CAST(1.005 AS DOUBLE), 2)"), ("ROUND", f"ROUND({D}, 1)"),
        ("ROUND", "ROUND(CAST(-0.5 AS DOUBLE))"),
        ("PI", "PI()"), ("E", "E()"),
        ("RAND", "RAND(42)"), ("RAND_INTEGER", "RAND_INTEGER(42, 100)"),
        ("BIN", "BIN(12)"), ("BIN", "BIN(0)"), ("BIN", "BIN(-1)"), ("BIN", f"BIN({I})"),
        ("HEX", "HEX(100)"), ("HEX", "HEX(-1)"), ("HEX", "HEX('hello,world')"), ("HEX", "HEX('é')"), ("HEX", f"HEX({S})"),
        ("TRUNCATE", "TRUNCATE(42.324, 2)"), ("TRUNCATE", "TRUNCATE(-42.325, 2)"), ("TRUNCATE", "TRUNCATE(CAST(42.324 AS DOUBLE), 1)"),
        ("TRUNCATE", "TRUNCATE(1234, -2)"), ("TRUNCATE", "TRUNCATE(CAST(42.9 AS DOUBLE))"), ("TRUNCATE", f"TRUNCATE({D}, 1)"),
        ("UUID", "CHAR_LENGTH(UUID())"),
        ("LOG", "LOG()"), ("SIN", "SIN('a')"), ("ABS", "ABS(1, 2)"),
    ],
    "string": [
        ("CHAR_LENGTH", "CHAR_LENGTH('Flink')"), ("CHAR_LENGTH", "CHAR_LENGTH('')"), ("CHAR_LENGTH", "CHAR_LENGTH('héllo wörld')"),
        ("CHARACTER_LENGTH", "CHARACTER_LENGTH('abc')"), ("CHAR_LENGTH", f"CHAR_LENGTH({S})"),
        ("UPPER", "UPPER('hello Wörld')"), ("UPPER", f"UPPER({S})"), ("LOWER", "LOWER('HELLO ÄÖ')"), ("LOWER", "LOWER('')"),
        ("POSITION", "POSITION('SQL' IN 'Flink SQL')"), ("POSITION", "POSITION('x' IN 'abc')"), ("POSITION", "POSITION('' IN 'abc')"),
        ("POSITION", f"POSITION('a' IN {S})"),
        ("PRINTF", "PRINTF('%s has %d rows', 't', 3)"), ("PRINTF", "PRINTF('%5.2f|%-4d|%04d', 1.23456, 7, -7)"),
        ("PRINTF", f"PRINTF('%s', {S})"), ("PRINTF", "PRINTF('%x', 255)"), ("PRINTF", f"PRINTF({S}, 1)"),
        ("TRIM", "TRIM('  hi  ')"), ("TRIM", "TRIM(BOTH 'x' FROM 'xxhixx')"), ("TRIM", "TRIM(LEADING 'x' FROM 'xxhixx')"),
        ("TRIM", "TRIM(TRAILING 'xy' FROM 'xxhiyx')"), ("TRIM", f"TRIM({S})"),
        ("LTRIM", "LTRIM('  hi  ')"), ("LTRIM", "LTRIM('xxhi', 'x')"), ("RTRIM", "RTRIM('  hi  ')"), ("RTRIM", "RTRIM('hixx', 'x')"),
        ("BTRIM", "BTRIM('  hi  ')"), ("BTRIM", "BTRIM('xyhixy', 'xy')"), ("BTRIM", f"BTRIM({S})"),
        ("REPEAT", "REPEAT('ab', 3)"), ("REPEAT", "REPEAT('ab', 0)"), ("REPEAT", "REPEAT('ab', -1)"), ("REPEAT", f"REPEAT('a', {I})"),
        ("REGEXP_REPLACE", "REGEXP_REPLACE('foobar', 'oo|ar', '')"), ("REGEXP_REPLACE", "REGEXP_REPLACE('a1b22', '[0-9]+', '#')"),
        ("REGEXP_REPLACE", f"REGEXP_REPLACE({S}, 'a', 'b')"),
        ("OVERLAY", "OVERLAY('xxxxxtest' PLACING 'xxxx' FROM 6)"), ("OVERLAY", "OVERLAY('xxxxxtest' PLACING 'xxxx' FROM 6 FOR 2)"),
        ("OVERLAY", "OVERLAY('abc' PLACING 'Z' FROM 1 FOR 0)"), ("OVERLAY", "OVERLAY('abcdef' PLACING 'XY' FROM 3 FOR 0)"),
        ("OVERLAY", "OVERLAY('abcdef' PLACING 'XY' FROM 3 FOR 1)"), ("OVERLAY", "OVERLAY('abcdef' PLACING 'XY' FROM 3 FOR 10)"),
        ("OVERLAY", "OVERLAY('abcdef' PLACING 'XY' FROM 3 FOR -1)"), ("OVERLAY", "OVERLAY('abc' PLACING 'XY' FROM 4 FOR 0)"),
        ("OVERLAY", "OVERLAY('abc' PLACING 'XY' FROM 5)"), ("OVERLAY", "OVERLAY('abc' PLACING 'XY' FROM 0)"),
        ("OVERLAY", "OVERLAY('abc' PLACING '' FROM 2)"), ("OVERLAY", "OVERLAY('héllo' PLACING 'É' FROM 2 FOR 0)"),
        ("OVERLAY", f"OVERLAY({S} PLACING 'a' FROM 1)"), ("OVERLAY", f"OVERLAY('abc' PLACING 'a' FROM 1 FOR {I})"),
        ("STARTSWITH", "STARTSWITH('Flink', 'Fl')"), ("STARTSWITH", "STARTSWITH('Flink', '')"), ("STARTSWITH", f"STARTSWITH({S}, 'a')"),
        ("ENDSWITH", "ENDSWITH('Flink', 'nk')"), ("ENDSWITH", "ENDSWITH('Flink', 'Fl')"),
        ("SUBSTRING", "SUBSTRING('Flink SQL' FROM 7)"), ("SUBSTRING", "SUBSTRING('Flink SQL' FROM 2 FOR 3)"),
        ("SUBSTRING", "SUBSTRING('abc' FROM 0 FOR 2)"), ("SUBSTRING", "SUBSTRING('abc' FROM -2)"), ("SUBSTRING", "SUBSTRING('abc' FROM 5)"),
        ("SUBSTRING", f"SUBSTRING({S} FROM 1)"), ("SUBSTR", "SUBSTR('héllo', 2, 3)"), ("SUBSTR", "SUBSTR('abc', -5, 3)"),
        ("REPLACE", "REPLACE('hello world', 'world', 'flink')"), ("REPLACE", "REPLACE('ababab', 'abab', 'z')"),
        ("REPLACE", "REPLACE('abc', '', 'x')"), ("REPLACE", f"REPLACE('abc', 'b', {S})"),
        ("REGEXP_COUNT", "REGEXP_COUNT('ababab', 'ab')"), ("REGEXP_COUNT", "REGEXP_COUNT('abc', 'x')"), ("REGEXP_COUNT", "REGEXP_COUNT('abc', '(')"),
        ("REGEXP_COUNT", f"REGEXP_COUNT({S}, 'a')"),
        ("REGEXP_EXTRACT", "REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 2)"), ("REGEXP_EXTRACT", "REGEXP_EXTRACT('abc', 'x(.)')"),
        ("REGEXP_EXTRACT", "REGEXP_EXTRACT('a1', '[a-z]([0-9])', 1)"), ("REGEXP_EXTRACT", "REGEXP_EXTRACT('a1', '[a-z]([0-9])', 3)"),
        ("REGEXP_INSTR", "REGEXP_INSTR('hello world', 'o w')"), ("REGEXP_INSTR", "REGEXP_INSTR('abc', 'x')"), ("REGEXP_INSTR", f"REGEXP_INSTR({S}, 'a')"),
        ("REGEXP_SUBSTR", "REGEXP_SUBSTR('Flink 2.3', '[0-9.]+')"), ("REGEXP_SUBSTR", "REGEXP_SUBSTR('abc', 'x')"),
        ("TRANSLATE", "TRANSLATE('hello', 'el', 'ip')"), ("TRANSLATE", "TRANSLATE('hello', 'elo', 'i')"), ("TRANSLATE", f"TRANSLATE({S}, 'a', 'b')"),
        ("INITCAP", "INITCAP('hello FLINK sql')"), ("INITCAP", "INITCAP('it''s a-b_c 1st')"), ("INITCAP", "INITCAP('éclair ünd')"), ("INITCAP", f"INITCAP({S})"),
        ("CONCAT", "CONCAT('AA', 'BB', 'CC')"), ("CONCAT", f"CONCAT('AA', {S})"), ("CONCAT", "CONCAT('', 'x')"),
        ("CONCAT_WS", "CONCAT_WS('~', 'AA', 'BB', '', 'CC')"), ("CONCAT_WS", f"CONCAT_WS('~', 'AA', {S}, 'BB')"), ("CONCAT_WS", f"CONCAT_WS({S}, 'AA')"),
        ("LPAD", "LPAD('hi', 4, '??')"), ("LPAD", "LPAD('hi', 1, '??')"), ("LPAD", "LPAD('hi', 5, 'xy')"), ("LPAD", "LPAD('hi', -1, '?')"),
        ("LPAD", "LPAD('hi', 4, '')"), ("LPAD", f"LPAD({S}, 4, '?')"),
        ("RPAD", "RPAD('hi', 4, '??')"), ("RPAD", "RPAD('hi', 1, '??')"), ("RPAD", "RPAD('hi', 5, 'xy')"), ("RPAD", "RPAD('hi', 0, 'x')"),
        ("FROM_BASE64", "FROM_BASE64('aGVsbG8gd29ybGQ=')"), ("FROM_BASE64", f"FROM_BASE64({S})"), ("FROM_BASE64", "FROM_BASE64('')"),
        ("TO_BASE64", "TO_BASE64('hello world')"), ("TO_BASE64", "TO_BASE64('é')"), ("TO_BASE64", "TO_BASE64('')"),
        ("ASCII", "ASCII('abc')"), ("ASCII", "ASCII('')"), ("ASCII", f"ASCII({S})"),
        ("CHR", "CHR(97)"), ("CHR", "CHR(353)"), ("CHR", "CHR(-1)"), ("CHR", f"CHR({I})"),
        ("INSTR", "INSTR('banana', 'na')"), ("INSTR", "INSTR('banana', 'x')"), ("INSTR", f"INSTR('banana', {S})"),
        ("LEFT", "LEFT('Flink', 3)"), ("LEFT", "LEFT('Flink', -1)"), ("LEFT", "LEFT('Flink', 10)"), ("LEFT", f"LEFT({S}, 1)"),
        ("RIGHT", "RIGHT('Flink', 3)"), ("RIGHT", "RIGHT('Flink', -1)"), ("RIGHT", "RIGHT('Flink', 10)"),
        ("LOCATE", "LOCATE('a', 'banana')"), ("LOCATE", "LOCATE('a', 'banana', 3)"), ("LOCATE", "LOCATE('x', 'banana')"),
        ("LOCATE", "LOCATE('a', 'banana', 0)"), ("LOCATE", f"LOCATE('a', {S})"),
        ("URL_DECODE", "URL_DECODE('a+b%26c%C3%A9')"), ("URL_DECODE", "URL_DECODE('%zz')"), ("URL_DECODE", f"URL_DECODE({S})"),
        ("URL_ENCODE", "URL_ENCODE('a b&c=é/~*')"), ("URL_ENCODE", "URL_ENCODE('')"),
        ("PARSE_URL", "PARSE_URL('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'HOST')"),
        ("PARSE_URL", "PARSE_URL('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'QUERY', 'k1')"),
        ("PARSE_URL", "PARSE_URL('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'PATH')"),
        ("PARSE_URL", "PARSE_URL('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'REF')"),
        ("PARSE_URL", "PARSE_URL('http://user@facebook.com:8080/p?q=1', 'AUTHORITY')"),
        ("PARSE_URL", "PARSE_URL('http://user@facebook.com:8080/p?q=1', 'USERINFO')"),
        ("PARSE_URL", "PARSE_URL('http://facebook.com/p?q=1', 'FILE')"), ("PARSE_URL", "PARSE_URL('http://facebook.com/p', 'PROTOCOL')"),
        ("PARSE_URL", "PARSE_URL('http://facebook.com/p', 'QUERY')"), ("PARSE_URL", "PARSE_URL('not a url', 'HOST')"),
        ("REGEXP", "REGEXP('flink', 'l.n')"), ("REGEXP", "REGEXP('flink', '^l')"), ("REGEXP", f"REGEXP({S}, 'a')"),
        ("REVERSE", "REVERSE('abc')"), ("REVERSE", "REVERSE('héllo')"), ("REVERSE", f"REVERSE({S})"),
        ("SPLIT_INDEX", "SPLIT_INDEX('a,b,c', ',', 1)"), ("SPLIT_INDEX", "SPLIT_INDEX('a,b,c', ',', 5)"), ("SPLIT_INDEX", "SPLIT_INDEX('a,b,c', ',', -1)"),
        ("SPLIT_INDEX", "SPLIT_INDEX('a,,c', ',', 1)"), ("SPLIT_INDEX", "SPLIT_INDEX('a::b', '::', 1)"),
        ("JSON_QUOTE", "JSON_QUOTE('a\"b')"), ("JSON_QUOTE", "JSON_QUOTE('x/y')"), ("JSON_QUOTE", f"JSON_QUOTE({S})"),
        ("JSON_UNQUOTE", "JSON_UNQUOTE('\"a\\nb\"')"), ("JSON_UNQUOTE", "JSON_UNQUOTE('abc')"), ("JSON_UNQUOTE", "JSON_UNQUOTE('\"\\u00e9\"')"),
        ("ELT", "ELT(2, 'a', 'b', 'c')"), ("ELT", "ELT(4, 'a', 'b')"), ("ELT", "ELT(0, 'a')"), ("ELT", f"ELT({I}, 'a')"),
        ("LPAD", "LPAD('hi')"), ("UPPER", "UPPER(1)"),
    ],
    "temporal": [
        ("EXTRACT", "EXTRACT(DAY FROM DATE '2006-06-05')"), ("EXTRACT", "EXTRACT(YEAR FROM TIMESTAMP '2020-02-29 10:11:12')"),
        ("EXTRACT", "EXTRACT(DOW FROM DATE '2020-02-29')"), ("EXTRACT", "EXTRACT(MILLISECOND FROM TIMESTAMP '2020-02-29 10:11:12.345')"),
        ("EXTRACT", f"EXTRACT(HOUR FROM {TS})"),
        ("YEAR", "YEAR(DATE '1994-09-27')"), ("QUARTER", "QUARTER(DATE '1994-09-27')"), ("MONTH", "MONTH(DATE '2020-02-29')"),
        ("WEEK", "WEEK(DATE '1994-09-27')"), ("WEEK", "WEEK(DATE '2021-01-01')"), ("DAYOFYEAR", "DAYOFYEAR(DATE '2020-12-31')"),
        ("DAYOFMONTH", "DAYOFMONTH(DATE '2020-02-29')"), ("DAYOFWEEK", "DAYOFWEEK(DATE '1994-09-27')"),
        ("HOUR", "HOUR(TIMESTAMP '1994-09-27 13:14:15')"), ("MINUTE", "MINUTE(TIMESTAMP '1994-09-27 13:14:15')"),
        ("SECOND", "SECOND(TIMESTAMP '1994-09-27 13:14:15')"), ("YEAR", f"YEAR({TS})"),
        ("DATE_FORMAT", "DATE_FORMAT(TIMESTAMP '2020-02-29 10:11:12.345', 'yyyy-MM-dd HH:mm:ss.SSS')"),
        ("DATE_FORMAT", "DATE_FORMAT(TIMESTAMP '2020-02-29 10:11:12', 'EEE, d MMM yyyy')"),
        ("DATE_FORMAT", "DATE_FORMAT('2020-02-29 10:11:12', 'yyyy/MM/dd')"), ("DATE_FORMAT", f"DATE_FORMAT({TS}, 'yyyy')"),
        ("TIMESTAMPADD", "TIMESTAMPADD(MINUTE, 5, TIMESTAMP '2020-02-29 23:58:00')"), ("TIMESTAMPADD", "TIMESTAMPADD(YEAR, 1, DATE '2020-02-29')"),
        ("TIMESTAMPADD", "TIMESTAMPADD(MONTH, -1, TIMESTAMP '2020-03-31 00:00:00')"), ("TIMESTAMPADD", f"TIMESTAMPADD(DAY, 1, {TS})"),
        ("TIMESTAMPDIFF", "TIMESTAMPDIFF(DAY, DATE '2021-05-01', DATE '2021-05-19')"),
        ("TIMESTAMPDIFF", "TIMESTAMPDIFF(MONTH, TIMESTAMP '2020-01-31 00:00:00', TIMESTAMP '2020-02-29 00:00:00')"),
        ("TIMESTAMPDIFF", "TIMESTAMPDIFF(SECOND, TIMESTAMP '2020-01-01 00:00:10', TIMESTAMP '2020-01-01 00:00:00')"),
        ("FROM_UNIXTIME", "FROM_UNIXTIME(44)"), ("FROM_UNIXTIME", "FROM_UNIXTIME(1582971072, 'yyyy-MM-dd')"), ("FROM_UNIXTIME", f"FROM_UNIXTIME({I})"),
        ("FROM_UNIXTIME", "FROM_UNIXTIME(-1)"),
        ("UNIX_TIMESTAMP", "UNIX_TIMESTAMP('1970-01-01 00:01:00')"), ("UNIX_TIMESTAMP", "UNIX_TIMESTAMP('2020-02-29', 'yyyy-MM-dd')"),
        ("UNIX_TIMESTAMP", "UNIX_TIMESTAMP('garbage')"), ("UNIX_TIMESTAMP", f"UNIX_TIMESTAMP({S})"),
        ("TO_DATE", "TO_DATE('2020-02-29')"), ("TO_DATE", "TO_DATE('29/02/2020', 'dd/MM/yyyy')"), ("TO_DATE", "TO_DATE('2019-02-29')"),
        ("TO_DATE", f"TO_DATE({S})"),
        ("TO_TIMESTAMP", "TO_TIMESTAMP('2020-02-29 10:11:12')"), ("TO_TIMESTAMP", "TO_TIMESTAMP('2020-02-29', 'yyyy-MM-dd')"),
        ("TO_TIMESTAMP", "TO_TIMESTAMP('nope')"), ("TO_TIMESTAMP", f"TO_TIMESTAMP({S})"),
        ("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_LTZ(1582971072, 0)"), ("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_LTZ(1582971072123, 3)"),
        ("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_LTZ(-1000, 3)"), ("TO_TIMESTAMP_LTZ", f"TO_TIMESTAMP_LTZ({I}, 0)"),
        ("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_LTZ(1, 6)"),
        ("FLOOR", "FLOOR(TIMESTAMP '2020-02-29 10:11:12' TO HOUR)"), ("CEIL", "CEIL(TIMESTAMP '2020-02-29 10:11:12' TO MINUTE)"),
        ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP IS NOT NULL"), ("NOW", "NOW() IS NOT NULL"), ("LOCALTIMESTAMP", "LOCALTIMESTAMP IS NOT NULL"),
        ("CURRENT_ROW_TIMESTAMP", "CURRENT_ROW_TIMESTAMP() IS NOT NULL"), ("CURRENT_DATE", "CURRENT_DATE IS NOT NULL"),
        ("CURRENT_TIME", "CURRENT_TIME IS NOT NULL"), ("LOCALTIME", "LOCALTIME IS NOT NULL"), ("UNIX_TIMESTAMP", "UNIX_TIMESTAMP() > 0"),
        ("CONVERT_TZ", "CONVERT_TZ('1970-01-01 00:00:00', 'UTC', 'America/Los_Angeles')"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-03-08 10:00:00', 'UTC', 'America/Los_Angeles')"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-03-08 02:30:00', 'America/Los_Angeles', 'UTC')"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-11-01 01:30:00', 'America/Los_Angeles', 'UTC')"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-02-29 12:00:00', 'GMT+08:00', 'Europe/Berlin')"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-02-29 12:00:00', 'PST', 'UTC')"), ("CONVERT_TZ", "CONVERT_TZ('2020-02-29 12:00:00', 'EST', 'UTC')"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-02-29 12:00:00', 'Nowhere/Land', 'UTC')"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-02-29 12:00:00.123', 'UTC', 'Asia/Kolkata')"), ("CONVERT_TZ", "CONVERT_TZ('garbage', 'UTC', 'UTC')"),
        ("CONVERT_TZ", f"CONVERT_TZ({S}, 'UTC', 'UTC')"), ("CONVERT_TZ", f"CONVERT_TZ('2020-02-29 12:00:00', 'UTC', {S})"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-02-29', 'UTC', 'Asia/Tokyo')"), ("CONVERT_TZ", "CONVERT_TZ('1900-01-01 00:00:00', 'UTC', 'Asia/Shanghai')"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-06-01 00:00:00', 'Australia/Lord_Howe', 'UTC')"), ("CONVERT_TZ", "CONVERT_TZ('2020-02-29 12:00:00', 'utc', 'UTC')"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-02-29 12:00:00', 'UTC+1', 'UTC')"), ("CONVERT_TZ", "CONVERT_TZ('2020-02-29 12:00:00', 'GMT-8', 'UTC')"),
        ("CONVERT_TZ", "CONVERT_TZ('2020-2-9 1:2:3', 'UTC', 'Asia/Tokyo')"), ("CONVERT_TZ", "CONVERT_TZ(' 2020-02-29 12:00:00', 'UTC', 'UTC')"),
    ],
    "conditional": [
        ("NULLIF", "NULLIF(5, 5)"), ("NULLIF", "NULLIF(5, 0)"), ("NULLIF", f"NULLIF({I}, 1)"),
        ("COALESCE", f"COALESCE({S}, 'default')"), ("COALESCE", f"COALESCE({I}, {I})"), ("COALESCE", "COALESCE(1, 2.5)"),
        ("IF", "IF(5 > 3, 5, 3)"), ("IF", "IF(CAST(NULL AS BOOLEAN), 1, 2)"), ("IF", "IF(1 > 2, 'a', 'bc')"),
        ("IFNULL", f"IFNULL({I}, 5)"), ("IFNULL", "IFNULL(3, 5)"), ("IFNULL", f"IFNULL({S}, {S})"),
        ("IS_ALPHA", "IS_ALPHA('abc')"), ("IS_ALPHA", "IS_ALPHA('ab1')"), ("IS_ALPHA", "IS_ALPHA('')"), ("IS_ALPHA", "IS_ALPHA('héllo')"),
        ("IS_ALPHA", f"IS_ALPHA({S})"),
        ("IS_DECIMAL", "IS_DECIMAL('1.5')"), ("IS_DECIMAL", "IS_DECIMAL('-1.5e3')"), ("IS_DECIMAL", "IS_DECIMAL('1.')"), ("IS_DECIMAL", "IS_DECIMAL('.5')"),
        ("IS_DECIMAL", "IS_DECIMAL('abc')"), ("IS_DECIMAL", "IS_DECIMAL('')"), ("IS_DECIMAL", f"IS_DECIMAL({S})"), ("IS_DECIMAL", "IS_DECIMAL(' 1')"),
        ("IS_DIGIT", "IS_DIGIT('123')"), ("IS_DIGIT", "IS_DIGIT('12.3')"), ("IS_DIGIT", "IS_DIGIT('')"), ("IS_DIGIT", f"IS_DIGIT({S})"),
        ("GREATEST", "GREATEST(1, 5, 3)"), ("GREATEST", f"GREATEST(1, {I}, 3)"), ("GREATEST", "GREATEST('a', 'b')"), ("GREATEST", "GREATEST(1, 2.5)"),
        ("LEAST", "LEAST(1, 5, 3)"), ("LEAST", f"LEAST(1, {I})"), ("LEAST", "LEAST(DATE '2020-02-29', DATE '2020-03-01')"),
        ("TYPEOF", "TYPEOF(1)"), ("TYPEOF", "TYPEOF('ab')"), ("TYPEOF", f"TYPEOF({S})"), ("TYPEOF", "TYPEOF(1.5)"),
        ("CAST", "CAST('42' AS INT)"), ("CAST", "CAST(' 42 ' AS INT)"), ("CAST", "CAST('x' AS INT)"), ("CAST", "CAST(2.5 AS INT)"),
        ("CAST", "CAST(-2.5 AS INT)"), ("CAST", "CAST(TRUE AS INT)"), ("CAST", "CAST('2020-02-29' AS DATE)"), ("CAST", "CAST(1.5 AS STRING)"),
        ("CAST", "CAST(CAST(1.0E10 AS DOUBLE) AS STRING)"),
        ("TRY_CAST", "TRY_CAST('x' AS INT)"), ("TRY_CAST", "TRY_CAST('42' AS BIGINT)"), ("TRY_CAST", "TRY_CAST('2019-02-29' AS DATE)"),
    ],
    "catalog": [
        ("CURRENT_DATABASE", "CURRENT_DATABASE()"), ("CURRENT_DATABASE", "CHAR_LENGTH(CURRENT_DATABASE())"),
        ("CURRENT_CATALOG", "CURRENT_CATALOG"), ("CURRENT_DATABASE", "CURRENT_DATABASE(1)"),
    ],
    "hash": [
        ("MD5", "MD5('')"), ("MD5", "MD5('hello')"), ("MD5", "MD5('héllo')"), ("MD5", f"MD5({S})"),
        ("SHA1", "SHA1('hello')"), ("SHA1", f"SHA1({S})"),
        ("SHA224", "SHA224('hello')"), ("SHA256", "SHA256('hello')"), ("SHA256", "SHA256('')"), ("SHA384", "SHA384('hello')"), ("SHA512", "SHA512('hello')"),
        ("SHA2", "SHA2('hello', 256)"), ("SHA2", "SHA2('hello', 224)"), ("SHA2", "SHA2('hello', 512)"), ("SHA2", "SHA2('hello', 100)"),
        ("SHA2", f"SHA2('hello', {I})"),
    ],
    "operators": [
        ("=", "1 = 1"), ("=", f"1 = {I}"), ("<>", "'a' <> 'b'"), (">", "2 > 1.5"), (">=", "DATE '2020-02-29' >= DATE '2020-02-28'"),
        ("<", "'a' < 'b'"), ("<=", "1 <= 1"),
        ("IS NULL", f"{I} IS NULL"), ("IS NOT NULL", "1 IS NOT NULL"),
        ("IS DISTINCT FROM", f"1 IS DISTINCT FROM {I}"), ("IS DISTINCT FROM", f"{I} IS DISTINCT FROM {I}"), ("IS DISTINCT FROM", "1 IS DISTINCT FROM 1"),
        ("IS NOT DISTINCT FROM", f"{I} IS NOT DISTINCT FROM {I}"), ("IS NOT DISTINCT FROM", f"1 IS NOT DISTINCT FROM {I}"),
        ("BETWEEN", "12 BETWEEN 15 AND 12"), ("BETWEEN", f"12 BETWEEN 10 AND {I}"), ("BETWEEN", f"12 BETWEEN {I} AND 10"),
        ("BETWEEN", "12 BETWEEN SYMMETRIC 15 AND 12"), ("NOT BETWEEN", "12 NOT BETWEEN 15 AND 12"), ("NOT BETWEEN", f"12 NOT BETWEEN {I} AND 15"),
        ("NOT BETWEEN", "12 NOT BETWEEN SYMMETRIC 15 AND 12"), ("BETWEEN", f"12 BETWEEN SYMMETRIC {I} AND 12"),
        ("NOT BETWEEN", f"12 NOT BETWEEN SYMMETRIC 12 AND {I}"), ("BETWEEN", "12 BETWEEN ASYMMETRIC 15 AND 12"),
        ("LIKE", "'WARNING' LIKE 'WARN%'"), ("LIKE", "'OK' LIKE '_K'"), ("NOT LIKE", "'OK' NOT LIKE 'O%'"), ("LIKE", f"{S} LIKE 'a'"),
        ("IN", "4 IN (1, 2, 3)"), ("IN", f"1 IN (1, 2, {I})"), ("IN", f"4 IN (1, 2, {I})"), ("NOT IN", "4 NOT IN (1, 2, 3)"),
        ("NOT IN", f"4 NOT IN (1, 2, {I})"),
        ("OR", "TRUE OR CAST(NULL AS BOOLEAN)"), ("AND", "TRUE AND CAST(NULL AS BOOLEAN)"), ("NOT", "NOT CAST(NULL AS BOOLEAN)"),
        ("IS FALSE", "CAST(NULL AS BOOLEAN) IS FALSE"), ("IS NOT FALSE", "CAST(NULL AS BOOLEAN) IS NOT FALSE"),
        ("IS TRUE", "TRUE IS TRUE"), ("IS NOT TRUE", "CAST(NULL AS BOOLEAN) IS NOT TRUE"),
        ("IS UNKNOWN", "CAST(NULL AS BOOLEAN) IS UNKNOWN"), ("IS NOT UNKNOWN", "TRUE IS NOT UNKNOWN"),
        ("+", "1 + 2"), ("+", "2147483647 + 1"), ("-", "- 5"), ("-", "5 - 7.5"), ("*", "3 * 4"), ("*", "1.5 * 2.25"), ("/", "7 / 2"),
        ("/", "7.0 / 2"), ("/", "CAST(7 AS DOUBLE) / 0"), ("%", "-7 % 3"), ("||", "'a' || 'b'"), ("||", f"'a' || {S}"),
        ("CASE", "CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END"), ("CASE", "CASE 3 WHEN 1, 3 THEN 'odd' ELSE 'even' END"),
        ("CASE", "CASE WHEN 1 > 2 THEN 'a' END"),
        ("INTERVAL", "TIMESTAMP '2020-02-29 00:00:00' + INTERVAL '10 00:00:00.004' DAY TO SECOND"),
        ("INTERVAL", "TIMESTAMP '2020-02-29 00:00:00' + INTERVAL '1:30' HOUR TO MINUTE"),
        ("INTERVAL", "TIMESTAMP '2020-02-29 00:00:00' + INTERVAL '2-10' YEAR TO MONTH"),
        ("INTERVAL", "TIMESTAMP '2020-03-31 10:00:00' + INTERVAL '1' MONTH"), ("INTERVAL", "TIMESTAMP '2020-03-31 10:00:00' - INTERVAL '1' MONTH"),
        ("INTERVAL", "DATE '2020-02-29' + INTERVAL '1' YEAR"), ("INTERVAL", "INTERVAL '1-1' YEAR TO MONTH + DATE '2019-01-31'"),
        ("INTERVAL", "TIMESTAMP '2020-01-31 00:00:00.123' + INTERVAL '-2-1' YEAR TO MONTH"), ("INTERVAL", f"{TS} + INTERVAL '1' MONTH"),
        ("CASE", "CASE 'b' WHEN 'a', 'b' THEN 1 WHEN 'c' THEN 2 END"), ("CASE", f"CASE {I} WHEN 1, 2 THEN 'x' ELSE 'y' END"),
        ("CASE", "CASE 2 WHEN 1, 2, 3 THEN 10 ELSE 20 END"),
    ],
    # Flink's result types where simpler ones are easy to get wrong. DECIMAL arithmetic and
    # aggregates, typed by Flink's LogicalTypeMerging (a product
    # DECIMAL(p1 + p2 + 1, s1 + s2), a quotient of scale max(6, s1 + p2 + 1), …, past 38 digits
    # capped keeping at least 6 fraction digits) and computed exactly, rounded HALF_UP; a value
    # past its precision is NULL (the TRY_CASTs make the results nullable: a NOT NULL one fails
    # Flink's result sink instead). Integers count as DECIMAL(3/5/10/19, 0); a DOUBLE makes DOUBLE.
    "types": [
        ("+", "1.5 + 1"), ("+", "CAST(1 AS TINYINT) + 1.5"), ("+", "CAST(1.25 AS DECIMAL(3, 2)) + CAST(1.5 AS DECIMAL(38, 37))"),
        ("+", "CAST(0.5 AS DECIMAL(38, 37)) + CAST(1 AS DECIMAL(38, 0))"),
        ("+", "CAST(0.0000005 AS DECIMAL(38, 37)) + CAST(1 AS DECIMAL(38, 0))"),
        ("+", "CAST(0.0000004 AS DECIMAL(38, 37)) + CAST(1 AS DECIMAL(38, 0))"),
        ("+", "CAST(-0.0000005 AS DECIMAL(38, 37)) + CAST(1 AS DECIMAL(38, 0))"),
        ("-", "CAST(-0.0000005 AS DECIMAL(38, 37)) - CAST(1 AS DECIMAL(38, 0))"),
        ("+", "TRY_CAST('99999999999999999999999999999999999999' AS DECIMAL(38, 0)) + 1"),
        ("+", "TRY_CAST('99999999999999999999999999999999999998' AS DECIMAL(38, 0)) + 1"),
        ("+", "CAST('99999999999999999999999999999999999999' AS DECIMAL(38, 0)) + 1"),
        ("-", "TRY_CAST('-99999999999999999999999999999999999999' AS DECIMAL(38, 0)) - 1"),
        ("+", f"1.5 + CAST(NULL AS DECIMAL(5, 2))"),
        ("*", "CAST(1 AS BIGINT) * 1.5"), ("*", "-1.5 * 2.25"), ("*", "-1.5 * -2.25"),
        ("*", "CAST(1.5 AS DECIMAL(38, 10)) * CAST(2.5 AS DECIMAL(38, 10))"),
        ("*", "CAST(1.1234567891 AS DECIMAL(38, 10)) * CAST(1.1234567891 AS DECIMAL(38, 10))"),
        ("*", "CAST(-1.0000005 AS DECIMAL(38, 7)) * CAST(1 AS DECIMAL(38, 0))"),
        ("*", "TRY_CAST('12345678901234567890' AS DECIMAL(20, 0)) * TRY_CAST('123456789012345678' AS DECIMAL(18, 0))"),
        ("*", "TRY_CAST('99999999999999999999999999999999999999' AS DECIMAL(38, 0)) * 10"),
        ("*", "TRY_CAST('12345678901234567890.123456789012345678' AS DECIMAL(38, 18)) * TRY_CAST('12345678901234567890.123456789012345678' AS DECIMAL(38, 18))"),
        ("/", "1.0 / 3"), ("/", "2.0 / 3"), ("/", "-2.0 / 3"), ("/", "-7 / 2"), ("/", "CAST(1 AS DECIMAL(38, 0)) / 3"),
        ("/", "CAST(1 AS DECIMAL(37, 17)) / CAST(3 AS DECIMAL(1, 0))"), ("/", "CAST(2 AS DECIMAL(37, 17)) / CAST(3 AS DECIMAL(1, 0))"),
        ("/", "TRY_CAST('123456789012345678.91' AS DECIMAL(20, 2)) / CAST('0.003' AS DECIMAL(4, 3))"),
        ("/", "TRY_CAST('1234567890123456789012345678.1234567891' AS DECIMAL(38, 10)) / CAST('7' AS DECIMAL(1, 0))"),
        ("/", "TRY_CAST('-1234567890123456789012345678.1234567891' AS DECIMAL(38, 10)) / CAST('0.7' AS DECIMAL(2, 1))"),
        ("/", "TRY_CAST('99999999999999999999999999999999999999' AS DECIMAL(38, 0)) / 0.1"),
        ("/", "1.0 / 0"), ("/", "1.0 / 0.0"), ("/", "1 / 0"), ("/", "CAST(7 AS FLOAT) / 0"),
        ("/", "x / y", "(VALUES (CAST(7.25 AS DECIMAL(5, 2)), CAST(0 AS DECIMAL(3, 1)))) AS t(x, y)"),
        ("/", "x / y", "(VALUES (CAST(1 AS DECIMAL(3, 1)), CAST(3 AS DECIMAL(3, 1)))) AS t(x, y)"),
        ("/", "x / 0", "(VALUES (CAST(7 AS DOUBLE))) AS t(x)"),
        ("/", "CAST(x AS DOUBLE) / 0", "(VALUES (7)) AS t(x)"),
        ("%", "-7.5 % 2"), ("%", "7.5 % 2"), ("MOD", "MOD(-7.5, 2)"), ("MOD", "MOD(7, 2.5)"), ("MOD", "MOD(1.5, 0)"),
        ("%", "x % y", "(VALUES (CAST(-7.25 AS DECIMAL(5, 2)), CAST(2 AS DECIMAL(3, 1)))) AS t(x, y)"),
        ("%", "x % y", "(VALUES (CAST(7.25 AS DECIMAL(5, 2)), CAST(0 AS DECIMAL(3, 1)))) AS t(x, y)"),
        ("+", "1.5 + CAST(1 AS DOUBLE)"), ("*", "1.5 * CAST(2 AS FLOAT)"),
        ("=", "1.5 = CAST(1.5 AS DOUBLE)"), ("=", "1.50 = 1.5"), ("<", "1.5 < 2"), ("<", "CAST(-0.5 AS DECIMAL(38, 37)) < CAST(0 AS DECIMAL(38, 0))"),
        ("SUM", "SUM(x)", "(VALUES (1.25), (2.5), (-0.125)) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (1.25), (2.5), (-0.125)) AS t(x)"),
        ("MIN", "MIN(x)", "(VALUES (1.25), (2.5), (-0.125)) AS t(x)"),
        ("MAX", "MAX(x)", "(VALUES (1.25), (2.5), (-0.125)) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (CAST(1 AS DECIMAL(5, 0))), (2), (2)) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (CAST(1 AS DECIMAL(5, 0))), (-2), (-2)) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (CAST(0.0000005 AS DECIMAL(9, 7))), (0), (0)) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (CAST(-0.000001 AS DECIMAL(9, 6))), (0)) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (CAST(1 AS DECIMAL(38, 10))), (0), (0)) AS t(x)"),
        ("SUM", "SUM(x)", "(VALUES (CAST(NULL AS DECIMAL(5, 2))), (CAST(NULL AS DECIMAL(5, 2)))) AS t(x)"),
        ("SUM", "SUM(x * 2)", "(VALUES (1.25), (2.5)) AS t(x)"),
        ("AVG", "AVG(x / 3)", "(VALUES (1.25), (2.5)) AS t(x)"),
        ("SUM", "SUM(x)", "(VALUES (CAST('99999999999999999999999999999999999999' AS DECIMAL(38, 0))), (CAST(1 AS DECIMAL(38, 0)))) AS t(x)"),
        ("SUM", "SUM(x)", "(VALUES (CAST('99999999999999999999999999999999999999' AS DECIMAL(38, 0))), (CAST(1 AS DECIMAL(38, 0))), (CAST(5 AS DECIMAL(38, 0)))) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (CAST('99999999999999999999999999999999999999' AS DECIMAL(38, 0))), (CAST(1 AS DECIMAL(38, 0))), (CAST(5 AS DECIMAL(38, 0)))) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (CAST('99999999999999999999999999999999999999' AS DECIMAL(38, 0))), (CAST(-1 AS DECIMAL(38, 0)))) AS t(x)"),
        # A literal's precision counts every digit written.
        ("literal", "0.5"), ("literal", "00.5"), ("literal", ".5"), ("literal", "-0.05"), ("literal", "0.5 * 2"),
        ("literal", "0.0000000000000000000000000000000000001"), ("literal", "0.000000000000000000000000000000000000000001"),
        ("literal", "12345678901234567890.5"),
        # Strings: CHAR || CHAR is a CHAR of both lengths, else VARCHAR; CHARs of different
        # lengths meet as a VARCHAR of the longest.
        ("||", "'ab' || 'c'"), ("||", "'a' || CAST('b' AS VARCHAR(5))"), ("||", "CAST('a' AS VARCHAR(3)) || CAST('b' AS VARCHAR(5))"),
        ("||", "'a' || CAST('b' AS STRING)"),
        ("CASE", "CASE WHEN x = 1 THEN 'ab' ELSE 'cd' END"), ("CASE", "CASE WHEN x = 1 THEN 'ab' ELSE CAST('cd' AS VARCHAR(5)) END"),
        ("COALESCE", "COALESCE('a', 'bcd')"), ("IF", "IF(x = 1, 'a', 'bcd')"), ("GREATEST", "GREATEST('a', 'bcd')"),
        ("VALUES", "x", "(VALUES ('a'), ('bcd')) AS t(x)"),
        # A TIMESTAMP(p) plus an interval keeps p fraction digits, floored.
        ("INTERVAL", "TIMESTAMP '2020-02-29 00:00:00' - INTERVAL '0.004' SECOND"),
        ("INTERVAL", "TIMESTAMP '1970-01-01 00:00:00' - INTERVAL '0.004' SECOND"),
        ("INTERVAL", "CAST(TIMESTAMP '2020-02-29 00:00:00.123' AS TIMESTAMP(1)) + INTERVAL '0.456' SECOND"),
        ("INTERVAL", "TIMESTAMP '2020-02-29 00:00:00.5' + INTERVAL '0.06' SECOND"),
        ("CAST", "CAST(TIMESTAMP '2020-02-29 00:00:00.123' AS TIMESTAMP(1))"),
        ("CAST", "CAST(TIMESTAMP '1969-12-31 23:59:59.996' AS TIMESTAMP(2))"),
        ("CAST", "CAST('2020-02-29 00:00:00.987' AS TIMESTAMP(0))"),
        ("CAST", "CAST(TIMESTAMP '2020-02-29 00:00:00.987' AS TIMESTAMP_LTZ(0))"),
        ("CAST", "CAST(CAST(TIMESTAMP '2020-02-29 00:00:00.987' AS TIMESTAMP_LTZ(3)) AS TIMESTAMP_LTZ(1))"),
        ("CAST", "CAST(ts AS TIMESTAMP(0))", "(VALUES (TIMESTAMP '2020-02-29 00:00:00.987')) AS t(ts)"),
    ],
    "json": [
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('{"a": "x"}', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1.0}', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1.10}', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1e2}', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1E-7}', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 12345678901234567890}', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 2147483648}', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": -0.0}', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1e400}', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": true}', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('{"a": null}', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": [1, 2]}', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('{"a": {"b": 1}}', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": [1, 2]}', '$.a[1]')"""), ("JSON_VALUE", """JSON_VALUE('{"a": [1, 2]}', '$.a[5]')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": [1, 2]}', '$.a[-1]')"""), ("JSON_VALUE", """JSON_VALUE('{"a": [1, 2]}', '$.a[*]')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": [1]}', '$.a[*]')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.b')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": {"b": 2}}', '$.a.b')"""), ("JSON_VALUE", """JSON_VALUE('{"a": {"b": 2}}', '$.a.c.d')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": {"b": 2}}', '$["a"]["b"]')"""), ("JSON_VALUE", """JSON_VALUE('{"a b": 3}', '$[''a b'']')"""),
        ("JSON_VALUE", """JSON_VALUE('[10, 20]', '$[0]')"""), ("JSON_VALUE", """JSON_VALUE('"s"', '$')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$')"""),
        ("JSON_VALUE", r"""JSON_VALUE('{"a": "\u00e9\n\"x\"\/"}', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('{"a": "é"}', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1, "a": 2}', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}x', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('not json', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{a: 1}', '$.a')"""), ("JSON_VALUE", """JSON_VALUE('{''a'': 1}', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('[1, 2,]', '$[0]')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 01}', '$.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": NaN}', '$.a')"""),
        ("JSON_VALUE", f"""JSON_VALUE({S}, '$.a')"""), ("JSON_VALUE", f"""JSON_VALUE('{{"a": 1}}', {S})"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', 'strict $.b')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}', 'lax $.b')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', 'strict $.a')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}', 'bad path')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}', 'a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.b' DEFAULT 'd' ON EMPTY)"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.b' ERROR ON EMPTY)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.b' NULL ON EMPTY)"""), ("JSON_VALUE", """JSON_VALUE('{"a": null}', '$.a' DEFAULT 'd' ON EMPTY)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": [1]}', '$.a' DEFAULT 'e' ON ERROR)"""), ("JSON_VALUE", """JSON_VALUE('{"a": [1]}', '$.a' ERROR ON ERROR)"""),
        ("JSON_VALUE", """JSON_VALUE('not json', '$.a' ERROR ON ERROR)"""), ("JSON_VALUE", """JSON_VALUE('not json', '$.a' DEFAULT 'e' ON ERROR)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', 'strict $.b' DEFAULT 'd' ON EMPTY DEFAULT 'e' ON ERROR)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', 'strict $.b' ERROR ON ERROR)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.a' RETURNING INT)"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1.5}', '$.a' RETURNING DOUBLE)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1.5}', '$.a' RETURNING INT)"""), ("JSON_VALUE", """JSON_VALUE('{"a": "x"}', '$.a' RETURNING INT)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": "12"}', '$.a' RETURNING INT)"""), ("JSON_VALUE", """JSON_VALUE('{"a": true}', '$.a' RETURNING BOOLEAN)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.a' RETURNING BIGINT)"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1.25}', '$.a' RETURNING DECIMAL(5, 1))"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": "2020-02-29"}', '$.a' RETURNING DATE)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.b' RETURNING INT DEFAULT 7 ON EMPTY)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": "x"}', '$.a' RETURNING INT DEFAULT 8 ON ERROR)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": "x"}', '$.a' RETURNING INT ERROR ON ERROR)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.a' RETURNING STRING)"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.a' RETURNING VARCHAR(3))"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.b' DEFAULT 1 ON EMPTY)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": [1, 2]}', '$.a')"""), ("JSON_QUERY", """JSON_QUERY('{"a": {"b": 1.0, "c": "é/\\""}}', '$.a')"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": [1e2, 1E-7, 12345678901234567890, -0.0, 1.10]}', '$.a')"""),
        ("JSON_QUERY", """JSON_QUERY('{ "a" : [ true , null ] }', '$')"""), ("JSON_QUERY", r"""JSON_QUERY('["\u0001\t\u00e9"]', '$')"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.a')"""), ("JSON_QUERY", """JSON_QUERY('{"a": null}', '$.a')"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.a' WITH WRAPPER)"""), ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.a' WITH ARRAY WRAPPER)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": [1]}', '$.a' WITH CONDITIONAL WRAPPER)"""), ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.a' WITH CONDITIONAL ARRAY WRAPPER)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": [1]}', '$.a' WITH UNCONDITIONAL ARRAY WRAPPER)"""), ("JSON_QUERY", """JSON_QUERY('{"a": [1]}', '$.a' WITHOUT WRAPPER)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": null}', '$.a' WITH WRAPPER)"""), ("JSON_QUERY", """JSON_QUERY('{"a": "x"}', '$.a' WITH WRAPPER)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": [{"b": 1}, {"b": 2}, {"c": 3}]}', '$.a[*].b')"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": [{"b": 1}, {"b": 2}, {"c": 3}]}', '$.a[*].b' WITH WRAPPER)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": [[1], [2]]}', '$.a[*]')"""), ("JSON_QUERY", """JSON_QUERY('{"a": {"b": [1]}}', '$.*')"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.b')"""), ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.b' EMPTY ARRAY ON EMPTY)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.b' EMPTY OBJECT ON EMPTY)"""), ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.b' ERROR ON EMPTY)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.a' EMPTY ARRAY ON ERROR)"""), ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.a' EMPTY OBJECT ON ERROR)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.a' ERROR ON ERROR)"""), ("JSON_QUERY", """JSON_QUERY('not json', '$')"""),
        ("JSON_QUERY", """JSON_QUERY('not json', '$' EMPTY OBJECT ON ERROR)"""), ("JSON_QUERY", """JSON_QUERY('{"a": 1}', 'strict $.b')"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', 'strict $.b' EMPTY ARRAY ON ERROR)"""), ("JSON_QUERY", f"""JSON_QUERY({S}, '$')"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$' RETURNING STRING)"""), ("JSON_QUERY", """JSON_QUERY('[]', '$[0]')"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": {}}', '$.a')"""),
        ("JSON_EXISTS", """JSON_EXISTS('{"a": true}', '$.a')"""), ("JSON_EXISTS", """JSON_EXISTS('{"a": true}', '$.b')"""),
        ("JSON_EXISTS", """JSON_EXISTS('{"a": null}', '$.a')"""), ("JSON_EXISTS", """JSON_EXISTS('{"a": [1]}', '$.a[2]')"""),
        ("JSON_EXISTS", """JSON_EXISTS('{"a": [1]}', '$.a[0]')"""), ("JSON_EXISTS", """JSON_EXISTS('{"a": [1]}', '$.a[*]')"""),
        ("JSON_EXISTS", """JSON_EXISTS('{"a": []}', '$.a[*]')"""),
        ("JSON_EXISTS", """JSON_EXISTS('{"a": 1}', 'strict $.b')"""), ("JSON_EXISTS", """JSON_EXISTS('{"a": 1}', 'strict $.b' TRUE ON ERROR)"""),
        ("JSON_EXISTS", """JSON_EXISTS('{"a": 1}', 'strict $.b' FALSE ON ERROR)"""), ("JSON_EXISTS", """JSON_EXISTS('{"a": 1}', 'strict $.b' UNKNOWN ON ERROR)"""),
        ("JSON_EXISTS", """JSON_EXISTS('{"a": 1}', 'strict $.b' ERROR ON ERROR)"""), ("JSON_EXISTS", """JSON_EXISTS('bad', '$.a')"""),
        ("JSON_EXISTS", """JSON_EXISTS('bad', '$.a' ERROR ON ERROR)"""), ("JSON_EXISTS", f"""JSON_EXISTS({S}, '$.a')"""),
        ("JSON_EXISTS", """JSON_EXISTS('{"a": 1}', 'lax $.b')"""),
        ("IS JSON", "'1' IS JSON"), ("IS JSON", "'x' IS JSON"), ("IS JSON", "'{}' IS JSON OBJECT"), ("IS JSON", "'[]' IS JSON OBJECT"),
        ("IS JSON", "'[]' IS JSON ARRAY"), ("IS JSON", "'1' IS JSON SCALAR"), ("IS JSON", "'{}' IS JSON SCALAR"), ("IS JSON", "'' IS JSON"),
        ("IS JSON", f"{S} IS JSON"), ("IS JSON", f"{S} IS NOT JSON"), ("IS JSON", "'\"a\"' IS JSON VALUE"), ("IS JSON", "' {\"a\": 1} ' IS JSON"),
        ("IS JSON", "'{\"a\": 1}x' IS JSON"), ("IS JSON", "'[1, 2,]' IS JSON"), ("IS JSON", "'01' IS JSON"), ("IS JSON", "'null' IS JSON SCALAR"),
        ("IS JSON", "'x' IS NOT JSON"), ("IS JSON", "'[1]' IS NOT JSON ARRAY"), ("IS JSON", "'{\"a\": 1, \"a\": 2}' IS JSON"),
        ("IS JSON", "'NaN' IS JSON"), ("IS JSON", "'{''a'': 1}' IS JSON"), ("IS JSON", "'1 2' IS JSON"),
        ("JSON_STRING", "JSON_STRING(1)"), ("JSON_STRING", "JSON_STRING('a\"b')"), ("JSON_STRING", "JSON_STRING(TRUE)"), ("JSON_STRING", f"JSON_STRING({S})"),
        ("JSON_STRING", "JSON_STRING(1.50)"), ("JSON_STRING", "JSON_STRING(CAST(1.5 AS DOUBLE))"), ("JSON_STRING", "JSON_STRING(CAST(1E10 AS DOUBLE))"),
        ("JSON_STRING", "JSON_STRING(DATE '2020-02-29')"), ("JSON_STRING", "JSON_STRING(TIMESTAMP '2020-02-29 10:11:12.5')"),
        ("JSON_STRING", "JSON_STRING(TIMESTAMP '2020-02-29 10:11:00')"), ("JSON_STRING", "JSON_STRING(TO_TIMESTAMP_LTZ(0, 3))"),
        ("JSON_STRING", "JSON_STRING('é/\n')"), ("JSON_STRING", "JSON_STRING(CAST(2 AS BIGINT))"), ("JSON_STRING", "JSON_STRING(CAST(1.5 AS FLOAT))"),
        ("JSON_STRING", "JSON_STRING(TIME '10:11:12')"),
        ("JSON_OBJECT", "JSON_OBJECT()"), ("JSON_OBJECT", "JSON_OBJECT('K1' VALUE 'V1', 'K2' VALUE 1)"), ("JSON_OBJECT", "JSON_OBJECT(KEY 'K' VALUE 2)"),
        ("JSON_OBJECT", f"JSON_OBJECT('K' VALUE {S})"), ("JSON_OBJECT", f"JSON_OBJECT('K' VALUE {S} NULL ON NULL)"),
        ("JSON_OBJECT", f"JSON_OBJECT('K' VALUE {S}, 'L' VALUE 1 ABSENT ON NULL)"), ("JSON_OBJECT", "JSON_OBJECT('K' VALUE JSON_OBJECT('a' VALUE 1))"),
        ("JSON_OBJECT", "JSON_OBJECT('K' VALUE JSON_ARRAY(1, 2))"), ("JSON_OBJECT", "JSON_OBJECT('K' VALUE JSON_QUERY('[1]', '$'))"),
        ("JSON_OBJECT", "JSON_OBJECT('K' VALUE JSON_STRING(1))"), ("JSON_OBJECT", "JSON_OBJECT('K' VALUE 1.5, 'D' VALUE CAST(1.5 AS DOUBLE))"),
        ("JSON_OBJECT", "JSON_OBJECT('K' VALUE TRUE, 'T' VALUE TIMESTAMP '2020-02-29 10:11:12')"), ("JSON_OBJECT", "JSON_OBJECT('K' VALUE 1, 'K' VALUE 2)"),
        ("JSON_OBJECT", "JSON_OBJECT('b' VALUE 1, 'a' VALUE 2)"), ("JSON_OBJECT", f"JSON_OBJECT({S} VALUE 1)"), ("JSON_OBJECT", "JSON_OBJECT(1 VALUE 1)"),
        ("JSON_OBJECT", "JSON_OBJECT('K' VALUE 'é\"')"), ("JSON_OBJECT", "JSON_OBJECT('K' VALUE DATE '2020-02-29')"),
        ("JSON_ARRAY", "JSON_ARRAY()"), ("JSON_ARRAY", f"JSON_ARRAY(1, 'a', TRUE, {S})"), ("JSON_ARRAY", f"JSON_ARRAY(1, {S} NULL ON NULL)"),
        ("JSON_ARRAY", f"JSON_ARRAY(1, {S} ABSENT ON NULL)"), ("JSON_ARRAY", "JSON_ARRAY(JSON_ARRAY(1), JSON_OBJECT('a' VALUE 1))"),
        ("JSON_ARRAY", "JSON_ARRAY(JSON_VALUE('[1]', '$[0]'))"), ("JSON_ARRAY", "JSON_ARRAY(CAST(1.0E-7 AS DOUBLE), 2.50)"),
        ("JSON_ARRAY", f"JSON_ARRAY({S})"),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', 'lax $.b' DEFAULT 'd' ON EMPTY)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": null}', 'lax $.a' DEFAULT 'd' ON EMPTY)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": [1]}', 'lax $.a' DEFAULT 'd' ON EMPTY)"""), ("JSON_VALUE", """JSON_VALUE('{"a": [1]}', 'lax $.a')"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": null}', '$.a' DEFAULT 'd' ON EMPTY DEFAULT 'e' ON ERROR)"""),
        ("JSON_VALUE", """JSON_VALUE('not json', 'lax $.a' DEFAULT 'd' ON EMPTY)"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}', 'lax $.b' ERROR ON EMPTY)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.a' RETURNING DOUBLE)"""), ("JSON_VALUE", """JSON_VALUE('{"a": 2147483648}', '$.a' RETURNING INT)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1.5}', '$.a' RETURNING BOOLEAN)"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}', 'lax $.b' RETURNING INT DEFAULT 7 ON EMPTY)"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.b' RETURNING DOUBLE DEFAULT 1.5 ON ERROR)"""), ("JSON_VALUE", """JSON_VALUE('{"a": 12345}', '$.a' RETURNING VARCHAR(3))"""),
        ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.a' RETURNING FLOAT)"""), ("JSON_VALUE", """JSON_VALUE('{"a": {"b": 1}}', '$.*')"""),
        ("JSON_VALUE", """JSON_VALUE('[1, 2, 3]', '$[-5]')"""), ("JSON_VALUE", """JSON_VALUE('{"a": 1}', '$.a.b')"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', 'lax $.b' EMPTY ARRAY ON EMPTY)"""), ("JSON_QUERY", """JSON_QUERY('{"a": 1}', 'lax $.a' EMPTY OBJECT ON EMPTY)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', 'lax $.b' ERROR ON EMPTY)"""), ("JSON_QUERY", """JSON_QUERY('not json', 'lax $' EMPTY ARRAY ON EMPTY)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": {"b": [1, {"c": 2}]}}', '$.a.b[1]')"""), ("JSON_QUERY", """JSON_QUERY('{"a": [1, 2, 3]}', '$.a[1:]')"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": [1, 2, 3]}', '$.a[0, 2]')"""), ("JSON_QUERY", """JSON_QUERY('{"a": [1, 2, 3]}', '$.a[:-1]')"""),
        # RETURNING ARRAY<STRING>: each element as JSON_QUERY would return it alone, a string unquoted.
        ("JSON_QUERY", """JSON_QUERY('{"a": [1, "x", null, {"b": 2}, [3], true, 1.50, "é"]}', '$.a' RETURNING ARRAY<STRING>)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', '$.a' RETURNING ARRAY<STRING>)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": {"b": 1}}', '$.a' RETURNING ARRAY<STRING>)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', 'lax $.a' RETURNING ARRAY<STRING>)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 1}', 'strict $.a' RETURNING ARRAY<STRING> ERROR ON ERROR)"""),
        ("JSON_QUERY", """JSON_QUERY('{}', 'lax $.a' RETURNING ARRAY<STRING>)"""),
        ("JSON_QUERY", """JSON_QUERY('{}', 'lax $.a' RETURNING ARRAY<STRING> EMPTY ARRAY ON EMPTY)"""),
        ("JSON_QUERY", """JSON_QUERY('{}', 'strict $.a' RETURNING ARRAY<STRING> EMPTY ARRAY ON ERROR)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": [1, 2]}', '$.a[*]' RETURNING ARRAY<STRING> WITH WRAPPER)"""),
        ("JSON_QUERY", """JSON_QUERY('{"a": 7}', '$.a' RETURNING ARRAY<STRING> WITH CONDITIONAL WRAPPER)"""),
        ("JSON_QUERY", """JSON_QUERY('[]', '$' RETURNING ARRAY<STRING>)"""),
        ("JSON_QUERY", f"JSON_QUERY({S}, '$' RETURNING ARRAY<STRING>)"),
        ("JSON_QUERY", """JSON_QUERY('[1, 2]', '$' RETURNING ARRAY<INT>)"""),
        ("JSON_QUERY", """JSON_QUERY('[1, 2]', '$' RETURNING INT)"""),
        ("JSON_QUERY", """CARDINALITY(JSON_QUERY('[1, [2], {}]', '$' RETURNING ARRAY<STRING>))"""),
        ("JSON_QUERY", """JSON_QUERY('[1, [2, 3]]', '$[1]')"""), ("JSON_QUERY", """JSON_QUERY('{"b": 1, "a": {"d": 1, "c": 2}}', '$')"""),
        ("JSON_EXISTS", """JSON_EXISTS('{"a": 1}', '$.a.b')"""), ("JSON_EXISTS", """JSON_EXISTS('{"a": 1}', 'lax $.a.b')"""),
        ("JSON_EXISTS", """JSON_EXISTS('{"a": [{"b": 1}]}', '$.a[*].c')"""),
        ("JSON_STRING", "JSON_STRING(CAST(0.1 AS FLOAT))"), ("JSON_STRING", "JSON_STRING(CAST(100 AS DOUBLE))"),
        ("JSON_STRING", "JSON_STRING(CAST(0.00015 AS DOUBLE))"), ("JSON_STRING", "JSON_STRING(100.0)"),
        ("JSON_STRING", "JSON_STRING(TIMESTAMP '2020-02-29 10:11:12.123')"), ("JSON_STRING", "JSON_STRING(CAST(-1.5 AS DECIMAL(10, 3)))"),
        ("JSON_OBJECT", "JSON_OBJECT('K' VALUE CAST(1.5 AS FLOAT), 'i' VALUE CAST(3 AS TINYINT))"),
        ("JSON_OBJECTAGG", "JSON_OBJECTAGG(KEY k VALUE v)", "(VALUES ('a', 1), ('b', CAST(NULL AS INT))) AS t(k, v)"),
        ("JSON_OBJECTAGG", "JSON_OBJECTAGG(KEY k VALUE v ABSENT ON NULL)", "(VALUES ('a', 1), ('b', CAST(NULL AS INT))) AS t(k, v)"),
        ("JSON_OBJECTAGG", "JSON_OBJECTAGG(k VALUE v)", "(VALUES ('a', 1), ('a', 2)) AS t(k, v)"),
        ("JSON_ARRAYAGG", "JSON_ARRAYAGG(v)", "(VALUES (1), (CAST(NULL AS INT)), (3)) AS t(v)"),
        ("JSON_ARRAYAGG", "JSON_ARRAYAGG(v NULL ON NULL)", "(VALUES (1), (CAST(NULL AS INT)), (3)) AS t(v)"),
        ("JSON_ARRAYAGG", "JSON_ARRAYAGG(v)", "(VALUES ('x'), ('y')) AS t(v)"),
    ],
    "collection": [
        ("ARRAY", "ARRAY[1, 2, 3]"), ("ARRAY", "ARRAY['a', CAST(NULL AS STRING)]"), ("ARRAY", "ARRAY[1, 2.5]"),
        ("MAP", "MAP['a', 1, 'b', 2]"), ("MAP", "MAP[1, 'x']"),
        ("ROW", "ROW(1, 'x')"), ("ROW", "ROW(1, CAST(NULL AS INT)).EXPR$1"),
        ("ITEM", "ARRAY[10, 20, 30][2]"), ("ITEM", "ARRAY[10, 20, 30][4]"), ("ITEM", "ARRAY[10, 20, 30][0]"), ("ITEM", "MAP['a', 1]['a']"),
        ("ITEM", "MAP['a', 1]['z']"), ("ITEM", f"ARRAY[10, 20][{I}]"),
        ("CARDINALITY", "CARDINALITY(ARRAY[1, 2, 3])"), ("CARDINALITY", "CARDINALITY(MAP['a', 1])"),
        ("CARDINALITY", "CARDINALITY(CAST(NULL AS ARRAY<INT>))"),
        ("ELEMENT", "ELEMENT(ARRAY[5])"), ("ELEMENT", "ELEMENT(CAST(NULL AS ARRAY<INT>))"), ("ELEMENT", "ELEMENT(ARRAY[1, 2])"),
        ("ARRAY_APPEND", "ARRAY_APPEND(ARRAY[1, 2], 3)"), ("ARRAY_APPEND", f"ARRAY_APPEND(ARRAY[1, 2], {I})"),
        ("ARRAY_APPEND", "ARRAY_APPEND(CAST(NULL AS ARRAY<INT>), 3)"),
        ("ARRAY_PREPEND", "ARRAY_PREPEND(ARRAY[1, 2], 0)"), ("ARRAY_PREPEND", f"ARRAY_PREPEND(ARRAY[1, 2], {I})"),
        ("ARRAY_CONTAINS", "ARRAY_CONTAINS(ARRAY[1, 2], 2)"), ("ARRAY_CONTAINS", "ARRAY_CONTAINS(ARRAY[1, 2], 3)"),
        ("ARRAY_CONTAINS", f"ARRAY_CONTAINS(ARRAY[1, {I}], {I})"), ("ARRAY_CONTAINS", f"ARRAY_CONTAINS(ARRAY[1, 2], {I})"),
        ("ARRAY_DISTINCT", "ARRAY_DISTINCT(ARRAY[1, 2, 1, 3, 2])"), ("ARRAY_DISTINCT", f"ARRAY_DISTINCT(ARRAY[{I}, 1, {I}])"),
        ("ARRAY_POSITION", "ARRAY_POSITION(ARRAY[1, 2, 1], 1)"), ("ARRAY_POSITION", "ARRAY_POSITION(ARRAY[1, 2], 5)"),
        ("ARRAY_POSITION", f"ARRAY_POSITION(ARRAY[1, 2], {I})"),
        ("ARRAY_REMOVE", "ARRAY_REMOVE(ARRAY[1, 2, 1, 3], 1)"), ("ARRAY_REMOVE", f"ARRAY_REMOVE(ARRAY[1, {I}, 2], {I})"),
        ("ARRAY_REVERSE", "ARRAY_REVERSE(ARRAY[1, 2, 3])"), ("ARRAY_REVERSE", "ARRAY_REVERSE(CAST(NULL AS ARRAY<INT>))"),
        ("ARRAY_SLICE", "ARRAY_SLICE(ARRAY[1, 2, 3, 4], 2, 3)"), ("ARRAY_SLICE", "ARRAY_SLICE(ARRAY[1, 2, 3, 4], -2)"),
        ("ARRAY_SLICE", "ARRAY_SLICE(ARRAY[1, 2, 3, 4], 3, 1)"), ("ARRAY_SLICE", "ARRAY_SLICE(ARRAY[1, 2, 3, 4], 0, 2)"),
        ("ARRAY_SLICE", "ARRAY_SLICE(ARRAY[1, 2, 3, 4], 2)"),
        ("ARRAY_SORT", "ARRAY_SORT(ARRAY[3, 1, 2])"), ("ARRAY_SORT", "ARRAY_SORT(ARRAY[3, 1, 2], FALSE)"),
        ("ARRAY_SORT", f"ARRAY_SORT(ARRAY[3, {I}, 1])"), ("ARRAY_SORT", f"ARRAY_SORT(ARRAY[3, {I}, 1], TRUE, FALSE)"),
        ("ARRAY_SORT", "ARRAY_SORT(ARRAY['b', 'a'])"),
        ("ARRAY_UNION", "ARRAY_UNION(ARRAY[1, 2, 2], ARRAY[3, 1])"), ("ARRAY_UNION", "ARRAY_UNION(ARRAY[1], CAST(NULL AS ARRAY<INT>))"),
        ("ARRAY_CONCAT", "ARRAY_CONCAT(ARRAY[1, 2], ARRAY[2, 3])"), ("ARRAY_CONCAT", "ARRAY_CONCAT(ARRAY[1], ARRAY[2], ARRAY[3])"),
        ("ARRAY_CONCAT", "ARRAY_CONCAT(ARRAY[1], CAST(NULL AS ARRAY<INT>))"),
        ("ARRAY_EXCEPT", "ARRAY_EXCEPT(ARRAY[1, 2, 2, 3], ARRAY[2])"), ("ARRAY_EXCEPT", f"ARRAY_EXCEPT(ARRAY[1, {I}], ARRAY[1])"),
        ("ARRAY_INTERSECT", "ARRAY_INTERSECT(ARRAY[1, 2, 2, 3], ARRAY[2, 3, 4])"), ("ARRAY_INTERSECT", "ARRAY_INTERSECT(ARRAY[1], ARRAY[2])"),
        ("ARRAY_MAX", "ARRAY_MAX(ARRAY[3, 7, 1])"), ("ARRAY_MAX", f"ARRAY_MAX(ARRAY[3, {I}, 1])"), ("ARRAY_MAX", "ARRAY_MAX(ARRAY['a', 'c'])"),
        ("ARRAY_MIN", "ARRAY_MIN(ARRAY[3, 7, 1])"), ("ARRAY_MIN", "ARRAY_MIN(ARRAY[2.5, 1.5])"),
        ("ARRAY_JOIN", "ARRAY_JOIN(ARRAY['a', 'b', 'c'], ',')"), ("ARRAY_JOIN", f"ARRAY_JOIN(ARRAY['a', {S}, 'c'], ',')"),
        ("ARRAY_JOIN", f"ARRAY_JOIN(ARRAY['a', {S}, 'c'], ',', '?')"),
        ("MAP_KEYS", "MAP_KEYS(MAP['a', 1, 'b', 2])"), ("MAP_VALUES", "MAP_VALUES(MAP['a', 1, 'b', 2])"),
        ("MAP_ENTRIES", "MAP_ENTRIES(MAP['a', 1])"),
        ("MAP_FROM_ARRAYS", "MAP_FROM_ARRAYS(ARRAY['a', 'b'], ARRAY[1, 2])"), ("MAP_FROM_ARRAYS", "MAP_FROM_ARRAYS(ARRAY['a', 'b'], ARRAY[1])"),
        ("MAP_UNION", "MAP_UNION(MAP['a', 1, 'b', 2], MAP['b', 3])"),
        ("SPLIT", "SPLIT('a,b,,c', ',')"), ("SPLIT", "SPLIT('abc', '')"), ("SPLIT", f"SPLIT({S}, ',')"), ("SPLIT", "SPLIT('a::b', '::')"),
        ("STR_TO_MAP", "STR_TO_MAP('a=1,b=2')"), ("STR_TO_MAP", "STR_TO_MAP('a:1;b', ';', ':')"), ("STR_TO_MAP", f"STR_TO_MAP({S})"),
        ("REGEXP_EXTRACT_ALL", "REGEXP_EXTRACT_ALL('a1b22c333', '[0-9]+')"), ("REGEXP_EXTRACT_ALL", "REGEXP_EXTRACT_ALL('k1=v1;k2=v2', '(k[0-9])=(v[0-9])', 2)"),
        ("REGEXP_EXTRACT_ALL", "REGEXP_EXTRACT_ALL('abc', 'x')"),
        ("CAST", "CAST(ARRAY[1, 2] AS STRING)"), ("CAST", "CAST(ARRAY[1, 2] AS ARRAY<BIGINT>)"), ("CAST", "CAST(MAP['a', 1] AS STRING)"),
        ("CARDINALITY", "CARDINALITY(ARRAY[1])"), ("ARRAY_CONTAINS", "ARRAY_CONTAINS(1, 2)"),
    ],
    "binary": [
        ("CAST", "CAST('ab' AS BYTES)"), ("CAST", "CAST(CAST('héllo' AS BYTES) AS STRING)"), ("CAST", "CAST('ab' AS BINARY(3))"),
        ("CAST", "CAST('abc' AS VARBINARY(2))"),
        ("UNHEX", "UNHEX('6869')"), ("UNHEX", "UNHEX('7')"), ("UNHEX", "UNHEX('zz')"), ("UNHEX", f"UNHEX({S})"),
        ("ENCODE", "ENCODE('héllo', 'UTF-8')"), ("ENCODE", "ENCODE('hi', 'US-ASCII')"), ("ENCODE", f"ENCODE({S}, 'UTF-8')"),
        ("DECODE", "DECODE(ENCODE('héllo', 'UTF-8'), 'UTF-8')"), ("DECODE", "DECODE(UNHEX('6869'), 'ISO-8859-1')"),
        ("TO_BASE64", "TO_BASE64(CAST('hi' AS BYTES))"), ("HEX", "HEX(CAST('hi' AS BYTES))"),
        ("CHAR_LENGTH", "CHAR_LENGTH(CAST('ab' AS BYTES))"),
    ],
    "aggregate": [
        ("COUNT", "COUNT(x)", "(VALUES (1), (2), (CAST(NULL AS INT))) AS t(x)"),
        ("COUNT", "COUNT(*)", "(VALUES (1), (2), (CAST(NULL AS INT))) AS t(x)"),
        ("SUM", "SUM(x)", "(VALUES (1), (2), (CAST(NULL AS INT))) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (1), (2), (CAST(NULL AS INT))) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (1.5), (2.0)) AS t(x)"),
        ("MIN", "MIN(x)", "(VALUES ('b'), ('a')) AS t(x)"), ("MAX", "MAX(x)", "(VALUES (1), (5), (3)) AS t(x)"),
        ("STDDEV_POP", "STDDEV_POP(x)", "(VALUES (1.0), (2.0), (4.0)) AS t(x)"),
        ("STDDEV_SAMP", "STDDEV_SAMP(x)", "(VALUES (1.0), (2.0), (4.0)) AS t(x)"),
        ("VAR_POP", "VAR_POP(x)", "(VALUES (CAST(1 AS DOUBLE)), (2), (4)) AS t(x)"),
        ("VAR_SAMP", "VAR_SAMP(x)", "(VALUES (CAST(1 AS DOUBLE)), (2), (4)) AS t(x)"),
        ("VARIANCE", "VARIANCE(x)", "(VALUES (CAST(1 AS DOUBLE)), (2), (4)) AS t(x)"),
        ("FIRST_VALUE", "FIRST_VALUE(x)", "(VALUES (3), (1)) AS t(x)"), ("LAST_VALUE", "LAST_VALUE(x)", "(VALUES (3), (1)) AS t(x)"),
        ("LISTAGG", "LISTAGG(x)", "(VALUES ('a'), ('b')) AS t(x)"), ("LISTAGG", "LISTAGG(x, ';')", "(VALUES ('a'), ('b')) AS t(x)"),
        ("ARRAY_AGG", "ARRAY_AGG(x)", "(VALUES (2), (1), (2)) AS t(x)"),
        ("ARRAY_AGG", "ARRAY_AGG(x RESPECT NULLS)", "(VALUES (1), (CAST(NULL AS INT)), (3)) AS t(x)"),
        ("ARRAY_AGG", "ARRAY_AGG(x IGNORE NULLS)", "(VALUES (1), (CAST(NULL AS INT)), (3)) AS t(x)"),
        ("ARRAY_AGG", "ARRAY_AGG(DISTINCT x)", "(VALUES ('a'), ('b'), ('a')) AS t(x)"),
        ("ARRAY_AGG", "ARRAY_AGG(x)", "(VALUES (CAST(NULL AS STRING))) AS t(x)"),
        ("ARRAY_AGG", "ARRAY_AGG(x IGNORE NULLS)", "(VALUES (CAST(NULL AS STRING))) AS t(x)"),
        ("COLLECT", "COLLECT(x)", "(VALUES (1), (CAST(NULL AS INT)), (2), (1)) AS t(x)"),
        ("COLLECT", "COLLECT(x)", "(VALUES (CAST(NULL AS INT))) AS t(x)"),
        ("COLLECT", "COLLECT(DISTINCT x)", "(VALUES ('a'), ('b'), ('a')) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (1.25), (2.0), (CAST(NULL AS DECIMAL(3, 2)))) AS t(x)"),
        ("AVG", "AVG(x)", "(VALUES (CAST(-1 AS DECIMAL(10, 0))), (-2)) AS t(x)"),
        ("SUM", "SUM(x)", "(VALUES (1.25), (2.0)) AS t(x)"),
        ("STDDEV_POP", "STDDEV_POP(x)", "(VALUES (1), (2), (4)) AS t(x)"),
        ("STDDEV_SAMP", "STDDEV_SAMP(x)", "(VALUES (CAST(1.5 AS DOUBLE)), (2), (4)) AS t(x)"),
        ("LISTAGG", "LISTAGG(x)", "(VALUES (CAST('a' AS STRING)), (CAST(NULL AS STRING)), ('bc')) AS t(x)"),
        ("LISTAGG", "LISTAGG(x, '--')", "(VALUES ('ab'), ('c')) AS t(x) GROUP BY 1 + 1"),
        # The grouping functions, each query's rows narrowed to one by HAVING (row order is free).
        ("GROUPING", "GROUPING(x)", "(VALUES (1, 'a')) AS t(x, y) GROUP BY GROUPING SETS ((x), ()) HAVING GROUPING(x) = 1"),
        ("GROUPING", "GROUPING(x)", "(VALUES (1, 'a')) AS t(x, y) GROUP BY ROLLUP (x) HAVING x IS NOT NULL"),
        ("GROUPING", "GROUPING(y)", "(VALUES (1, 'a'), (2, 'b')) AS t(x, y) GROUP BY CUBE (x, y) HAVING x = 2 AND y IS NULL"),
        ("GROUPING_ID", "GROUPING_ID(x, y)", "(VALUES (1, 'a')) AS t(x, y) GROUP BY CUBE (x, y) HAVING x IS NULL AND y IS NOT NULL"),
        ("GROUPING_ID", "GROUPING_ID(x, y)", "(VALUES (1, 'a')) AS t(x, y) GROUP BY ROLLUP (x, y) HAVING GROUPING_ID(x, y) = 3"),
        ("GROUPING_ID", "GROUPING_ID(y)", "(VALUES (1, 'a')) AS t(x, y) GROUP BY x, y"),
        ("GROUP_ID", "GROUP_ID()", "(VALUES (1)) AS t(x) GROUP BY x"),
        ("GROUP_ID", "GROUP_ID()", "(VALUES (1)) AS t(x) GROUP BY GROUPING SETS ((x), (x)) HAVING GROUP_ID() = 1"),
    ],
    # Flink 2.3's PERCENTILE aggregate (its own family: regenerating `aggregate` takes minutes).
    "percentile": [
        ("PERCENTILE", "PERCENTILE(x, 0.5)", "(VALUES (1), (2), (3), (4)) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, 0)", "(VALUES (3), (1), (2)) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, 1.0)", "(VALUES (3), (1), (2)) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, 0.3)", "(VALUES (40), (CAST(NULL AS INT)), (10), (20)) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, 0.25)", "(VALUES (1.5), (2.5), (-0.5)) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, 0.75)", "(VALUES (CAST(0.1 AS DOUBLE)), (0.2), (0.7), (0.7)) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, 0.5)", "(VALUES (CAST(NULL AS INT))) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, 0.5)", "(VALUES (7)) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, 1.5)", "(VALUES (7)) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, 0.5)", "(VALUES ('a')) AS t(x)"),
        # The ARRAY of percentages and the frequency argument.
        ("PERCENTILE", "PERCENTILE(x, ARRAY[0.25, 0.5, 1.0])", "(VALUES (1), (2), (3), (4)) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, ARRAY[0.1, 0.9])", "(VALUES (CAST(0.5 AS DOUBLE)), (2.5), (CAST(NULL AS DOUBLE))) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, ARRAY[0.5])", "(VALUES (CAST(NULL AS INT))) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, ARRAY[0.5, 1.5])", "(VALUES (1)) AS t(x)"),
        ("PERCENTILE", "PERCENTILE(x, 0.5, f)", "(VALUES (1, 3), (2, 1), (10, 1)) AS t(x, f)"),
        ("PERCENTILE", "PERCENTILE(x, 0.75, f)", "(VALUES (1, 3), (2, 1), (10, 1)) AS t(x, f)"),
        ("PERCENTILE", "PERCENTILE(x, ARRAY[0.25, 0.75], f)", "(VALUES (1.5, 2), (-1.0, 1), (4.0, 1)) AS t(x, f)"),
        ("PERCENTILE", "PERCENTILE(x, 0.5, f)", "(VALUES (1, 0), (2, 2), (3, CAST(NULL AS INT))) AS t(x, f)"),
        ("PERCENTILE", "PERCENTILE(x, 0.5, f)", "(VALUES (1, -1), (2, 2)) AS t(x, f)"),
        ("PERCENTILE", "PERCENTILE(x, 0.5, f)", "(VALUES (1, CAST(2 AS BIGINT))) AS t(x, f)"),
    ],
    # MULTISET values (a multiset has no order: the suite compares them as sets of entries).
    # CARDINALITY of a MULTISET plans in Flink 2.3 and then fails to generate its code
    # ("Expect an array or a map.").
    "multiset": [
        ("CARDINALITY", "CARDINALITY(COLLECT(x))", "(VALUES (1), (1), (2), (CAST(NULL AS INT))) AS t(x)"),
        ("CARDINALITY", "CARDINALITY(COLLECT(DISTINCT x))", "(VALUES ('a'), ('b'), ('a')) AS t(x)"),
        ("CARDINALITY", "CARDINALITY(COLLECT(x))", "(VALUES (CAST(NULL AS INT))) AS t(x)"),
        ("COLLECT", "COLLECT(x)", "(VALUES ('b'), ('a'), ('b'), ('c'), ('é')) AS t(x)"),
        ("COLLECT", "COLLECT(x)", "(VALUES (30), (1), (17), (1), (-4)) AS t(x)"),
        ("COLLECT", "COLLECT(x)", "(VALUES (1, 'b'), (2, 'a'), (1, 'a')) AS t(x, y) GROUP BY y HAVING y = 'a'"),
    ],
    # ROW_NUMBER as Top-N (the form streaming runs), each narrowed to one row. RANK and
    # DENSE_RANK are left out: Flink's streaming planner refuses them, as Sluice does, and these
    # cases run in batch mode.
    "ranking": [
        ("ROW_NUMBER", "x * 10 + rn", "(SELECT x, ROW_NUMBER() OVER (ORDER BY x DESC) AS rn FROM (VALUES (1), (3), (2)) AS t(x)) WHERE rn <= 1"),
        ("ROW_NUMBER", "x * 10 + rn", "(SELECT x, ROW_NUMBER() OVER (PARTITION BY MOD(x, 2) ORDER BY x) AS rn FROM (VALUES (1), (3), (2), (5)) AS t(x)) WHERE rn = 2 AND MOD(x, 2) = 1"),
    ],
}


def printed(gateway, v):
    """A value inside a collection as Flink's result printer writes it: `[1, NULL]`, `{a=1}`,
    `(1, x)`, `x'6869'`."""
    from py4j.java_collections import JavaArray, JavaMap, JavaList
    if v is None:
        return "NULL"
    if isinstance(v, (bytes, bytearray)):
        return "x'" + bytes(v).hex() + "'"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (JavaArray, JavaList, list)):
        return "[" + ", ".join(printed(gateway, x) for x in v) + "]"
    if isinstance(v, (JavaMap, dict)):
        return "{" + ", ".join(f"{printed(gateway, k)}={printed(gateway, x)}" for k, x in v.items()) + "}"
    if is_row(v):
        return "(" + ", ".join(printed(gateway, v.getField(i)) for i in range(v.getArity())) + ")"
    return java_text(gateway, v)


def is_row(v):
    """Whether a Java value is a Flink Row; py4j raises (not AttributeError) when asked for a
    method a LocalDateTime or Instant lacks, so `hasattr` cannot tell."""
    try:
        return v.getClass().getName() == "org.apache.flink.types.Row"
    except Exception:  # noqa: BLE001 - a Python value
        return False


def java_text(gateway, v):
    """A Java value as `String.valueOf` prints it (py4j hands primitives over as Python's);
    arrays, maps, rows and bytes as Flink's result printer writes them."""
    from py4j.java_collections import JavaArray, JavaMap, JavaList
    if v is None:
        return None
    if isinstance(v, (bytes, bytearray, JavaArray, JavaMap, JavaList)) or is_row(v):
        return printed(gateway, v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return gateway.jvm.java.lang.Double.toString(v)
    if isinstance(v, (int, str, decimal.Decimal)):
        return str(v)
    return v.toString()


# The cases whose value depends on the session time zone ('table.local-time-zone'), each run in
# every zone of ZONES; the records carry the zone. Instants around Los Angeles's DST changes of
# 2020 (spring forward 2020-03-08 02:00 PST = 10:00 UTC, fall back 2020-11-01 02:00 PDT = 09:00
# UTC) and Kolkata's half-hour offset.
ZONES = ["UTC", "America/Los_Angeles", "Asia/Kolkata"]
LTZ = "CAST(NULL AS TIMESTAMP_LTZ(3))"
ZONED_CASES = [
    ("CAST", "CAST(TO_TIMESTAMP_LTZ(0, 3) AS STRING)"),
    ("CAST", "CAST(TO_TIMESTAMP_LTZ(1583661599000, 3) AS STRING)"),
    ("CAST", "CAST(TO_TIMESTAMP_LTZ(1583661600000, 3) AS STRING)"),
    ("CAST", "CAST(TO_TIMESTAMP_LTZ(1604219400000, 3) AS STRING)"),
    ("CAST", "CAST(TO_TIMESTAMP_LTZ(1604223000000, 3) AS STRING)"),
    ("CAST", "CAST(TO_TIMESTAMP_LTZ(1583661600000, 3) AS TIMESTAMP(3))"),
    ("CAST", "CAST(TO_TIMESTAMP_LTZ(-1, 3) AS TIMESTAMP(3))"),
    ("CAST", f"CAST({LTZ} AS TIMESTAMP(3))"),
    ("CAST", f"CAST({LTZ} AS STRING)"),
    ("CAST", "CAST(TIMESTAMP '2020-03-08 01:59:59' AS TIMESTAMP_LTZ(3))"),
    ("CAST", "CAST(TIMESTAMP '2020-03-08 02:30:00' AS TIMESTAMP_LTZ(3))"),
    ("CAST", "CAST(TIMESTAMP '2020-11-01 01:30:00' AS TIMESTAMP_LTZ(3))"),
    ("CAST", "CAST(TIMESTAMP '1970-01-01 00:00:00' AS TIMESTAMP_LTZ(3))"),
    ("CAST", f"CAST({TS} AS TIMESTAMP_LTZ(3))"),
    ("CAST", "CAST('2020-03-08 02:30:00' AS TIMESTAMP_LTZ(3))"),
    ("CAST", "CAST('2020-02-29 23:59:59.999' AS TIMESTAMP_LTZ(3))"),
    ("CAST", "CAST(CAST(TIMESTAMP '2020-02-29 12:00:00' AS TIMESTAMP_LTZ(3)) AS STRING)"),
    ("CAST", "CAST(TO_TIMESTAMP_LTZ(1583661600000, 3) AS DATE)"),
    ("FROM_UNIXTIME", "FROM_UNIXTIME(0)"),
    ("FROM_UNIXTIME", "FROM_UNIXTIME(1583661599)"),
    ("FROM_UNIXTIME", "FROM_UNIXTIME(1583661600, 'yyyy-MM-dd HH:mm')"),
    ("FROM_UNIXTIME", "FROM_UNIXTIME(1604219400)"),
    ("FROM_UNIXTIME", "FROM_UNIXTIME(1604223000)"),
    ("FROM_UNIXTIME", f"FROM_UNIXTIME({I})"),
    ("UNIX_TIMESTAMP", "UNIX_TIMESTAMP('1970-01-01 00:00:00')"),
    ("UNIX_TIMESTAMP", "UNIX_TIMESTAMP('2020-03-08 01:59:59')"),
    ("UNIX_TIMESTAMP", "UNIX_TIMESTAMP('2020-03-08 02:30:00')"),
    ("UNIX_TIMESTAMP", "UNIX_TIMESTAMP('2020-11-01 01:30:00')"),
    ("UNIX_TIMESTAMP", "UNIX_TIMESTAMP('2020/02/29', 'yyyy/MM/dd')"),
    ("UNIX_TIMESTAMP", "UNIX_TIMESTAMP('nonsense')"),
    ("UNIX_TIMESTAMP", f"UNIX_TIMESTAMP({S})"),
    ("DATE_FORMAT", "DATE_FORMAT(TO_TIMESTAMP_LTZ(1583661600000, 3), 'yyyy-MM-dd HH:mm:ss')"),
    ("DATE_FORMAT", "DATE_FORMAT(TO_TIMESTAMP_LTZ(1604219400000, 3), 'yyyy-MM-dd HH:mm:ss.SSS')"),
    ("DATE_FORMAT", "DATE_FORMAT(TO_TIMESTAMP_LTZ(0, 3), 'yyyy-MM-dd HH:mm')"),
    ("DATE_FORMAT", f"DATE_FORMAT({LTZ}, 'yyyy-MM-dd')"),
    ("DATE_FORMAT", "DATE_FORMAT(TIMESTAMP '2020-03-08 02:30:00', 'yyyy-MM-dd HH:mm')"),
    ("TO_TIMESTAMP", "TO_TIMESTAMP('2020-03-08 02:30:00')"),
    ("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_LTZ('2020-03-08 02:30:00', 'yyyy-MM-dd HH:mm:ss')"),
    ("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_LTZ('1970-01-01 00:00:00.000')"),
    ("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_LTZ('1970-01-01 00:00:00', 'yyyy-MM-dd HH:mm:ss', 'Asia/Kolkata')"),
    ("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_LTZ('2020-11-01 01:30:00', 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles')"),
    ("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_LTZ('not a time', 'yyyy-MM-dd HH:mm:ss')"),
    ("TO_TIMESTAMP_LTZ", "CAST(TO_TIMESTAMP_LTZ('1970-01-01 00:00:00', 'yyyy-MM-dd HH:mm:ss') AS STRING)"),
    # The clock in the session zone, read so the value does not depend on when the case runs:
    # consistency between the clock functions (the date and hour agree with LOCALTIMESTAMP).
    ("CURRENT_DATE", "TIMESTAMPDIFF(SECOND, CAST(CURRENT_DATE AS TIMESTAMP), LOCALTIMESTAMP) / 86400"),
    ("LOCALTIMESTAMP", "CAST(CURRENT_TIMESTAMP AS STRING) = CAST(LOCALTIMESTAMP AS STRING)"),
    ("LOCALTIMESTAMP", "TIMESTAMPDIFF(MINUTE, TO_TIMESTAMP(FROM_UNIXTIME(UNIX_TIMESTAMP())), LOCALTIMESTAMP)"),
    ("CURRENT_TIME", "HOUR(CURRENT_TIME) = HOUR(LOCALTIMESTAMP)"),
    ("LOCALTIME", "MINUTE(LOCALTIME) = MINUTE(LOCALTIMESTAMP)"),
]

# Clock cases whose value is the zone's offset now: run only in zones without daylight saving
# time (their golden value would change with the season).
FIXED_ZONES = ["UTC", "Asia/Kolkata", "GMT-03:00"]
CLOCK_CASES = [
    # The offset in quarter hours: LOCALTIMESTAMP's wall clock against the epoch seconds.
    ("LOCALTIMESTAMP", "(TIMESTAMPDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', LOCALTIMESTAMP) - UNIX_TIMESTAMP() + 30) / 900"),
    # The offset in quarter hours east, 0 to 95: CURRENT_TIME's minute of the day against UTC's.
    ("CURRENT_TIME", "MOD(HOUR(CURRENT_TIME) * 60 + MINUTE(CURRENT_TIME) - MOD(UNIX_TIMESTAMP() / 60, 1440) + 2880 + 7, 1440) / 15"),
    ("CURRENT_DATE", "TIMESTAMPDIFF(MINUTE, CAST(CURRENT_DATE AS TIMESTAMP), LOCALTIMESTAMP) - HOUR(LOCALTIMESTAMP) * 60 - MINUTE(LOCALTIMESTAMP)"),
]

# Cases over a stream with a watermark, in Flink's streaming mode (parallelism 1, a watermark
# after every record): the functions that need a time attribute (CURRENT_WATERMARK, LAG over
# event time) and those Flink's streaming planner refuses (its error is the golden value; Sluice
# runs streaming SQL). Each record carries the table (`{input}` stands for the file's path) and
# the input lines. Record 3 is out of order within the 1 s delay, record 5 behind the watermark.
STREAM_TABLE = ("CREATE TABLE s (x INT, k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) "
                "WITH ('connector' = 'filesystem', 'path' = '{input}', 'format' = 'json')")
STREAM_INPUT = [
    '{"x": 1, "k": "a", "ts": "2020-01-01 00:00:01"}',
    '{"x": 2, "k": "b", "ts": "2020-01-01 00:00:03"}',
    '{"x": 3, "k": "a", "ts": "2020-01-01 00:00:02.500"}',
    '{"x": 4, "k": "b", "ts": "2020-01-01 00:00:06"}',
    '{"x": 5, "k": "a", "ts": "2020-01-01 00:00:04"}',
    '{"x": null, "k": "a", "ts": "2020-01-01 00:00:07"}',
    '{"x": 7, "k": "b", "ts": "2020-01-01 00:00:09.001"}',
]
STREAM_CASES = [
    ("CURRENT_WATERMARK", "CURRENT_WATERMARK(ts)", "s"),
    ("CURRENT_WATERMARK", "x", "s WHERE CURRENT_WATERMARK(ts) IS NULL OR ts > CURRENT_WATERMARK(ts)"),
    ("CURRENT_WATERMARK", "CURRENT_WATERMARK(ts) IS NULL", "s WHERE k = 'b'"),
    ("CURRENT_WATERMARK", "CURRENT_WATERMARK(x)", "s"),
    ("CURRENT_WATERMARK", "CURRENT_WATERMARK(ts)", "(VALUES (TIMESTAMP '2020-01-01 00:00:00')) AS t(ts)"),
    ("LAG", "LAG(x) OVER (ORDER BY ts)", "s"),
    ("LAG", "LAG(x, 2, -1) OVER (PARTITION BY k ORDER BY ts)", "s"),
    ("LAG", "LAG(k) OVER (PARTITION BY k ORDER BY ts)", "s"),
    ("LEAD", "LEAD(x) OVER (ORDER BY ts)", "s"),
    ("CUME_DIST", "CUME_DIST() OVER (ORDER BY ts)", "s"),
    ("PERCENT_RANK", "PERCENT_RANK() OVER (ORDER BY ts)", "s"),
    ("NTILE", "NTILE(2) OVER (ORDER BY ts)", "s"),
    ("RANK", "x", "(SELECT x, RANK() OVER (PARTITION BY k ORDER BY ts DESC) AS r FROM s) WHERE r <= 1"),
    ("DENSE_RANK", "x", "(SELECT x, DENSE_RANK() OVER (PARTITION BY k ORDER BY ts DESC) AS r FROM s) WHERE r <= 1"),
    ("RANK", "RANK() OVER (ORDER BY ts)", "s"),
    ("ROW_NUMBER", "k", "(SELECT k, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) AS r FROM s) WHERE r <= 1 AND k = 'b'"),
]


def run_streaming(path):
    """STREAM_CASES in a streaming TableEnvironment over STREAM_INPUT; each case's rows are its
    changelog folded (an update replaces the row it retracts)."""
    import tempfile
    from pyflink.java_gateway import get_gateway
    from pyflink.table import EnvironmentSettings, TableEnvironment

    gateway = get_gateway()
    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    env.get_config().set("table.local-time-zone", "UTC")
    env.get_config().set("parallelism.default", "1")
    env.get_config().set("pipeline.auto-watermark-interval", "0")
    folder = tempfile.mkdtemp()
    data = os.path.join(folder, "input.jsonl")
    text = "\n".join(STREAM_INPUT) + "\n"
    with open(data, "w", encoding="utf-8") as f:
        f.write(text)
    env.execute_sql(STREAM_TABLE.replace("{input}", data))
    with open(path, "w", encoding="utf-8") as f:
        for case in STREAM_CASES:
            record = plan(env, case)
            record["table"] = STREAM_TABLE
            record["input"] = text
            if "error" not in record:
                try:
                    it = env.sql_query(f"SELECT {case[1]} AS v FROM {case[2]}")._j_table.execute().collect()
                    values = []
                    while it.hasNext():
                        row = it.next()
                        kind = str(row.getKind().toString())
                        v = java_text(gateway, row.getField(0))
                        if kind in ("INSERT", "UPDATE_AFTER"):
                            values.append(v)
                        else:
                            values.remove(v)
                    it.close()
                    record["values"] = values
                except Exception as e:  # noqa: BLE001
                    record["error"] = first_line(e)
                    record["phase"] = "run"
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{path}: {len(STREAM_CASES)} cases")


# An unknown session time zone: Flink refuses every query at plan time.
BAD_ZONES = ["Foo/Bar", "PST", "utc", "GMT+8:30"]


def first_line(e):
    text = str(e)
    for marker in ("org.apache.flink.table.api.ValidationException: ", "org.apache.flink.table.api.SqlParserException: ", "Caused by: "):
        if marker in text:
            text = text.split(marker, 1)[1]
    return text.strip().splitlines()[0][:300] if text.strip() else "error"


def plan(t_env, case):
    """The case's record with Flink's type, or Flink's plan-time error."""
    function, expr = case[0], case[1]
    source = case[2] if len(case) > 2 else ONE
    out = {"function": function, "sql": expr}
    if source != ONE:
        out["from"] = source
    try:
        table = t_env.sql_query(f"SELECT {expr} AS v FROM {source}")
        out["type"] = table._j_table.getResolvedSchema().getColumns().get(0).getDataType().toString()
    except Exception as e:  # noqa: BLE001 - Flink's refusal is the golden value
        out["error"] = first_line(e)
        out["phase"] = "plan"
    return out


def execute(t_env, gateway, cases, records):
    """Runs the one-row cases as the columns of one query (one Flink job); a failing batch is
    split in halves until the failing case is alone and gets Flink's error."""
    if not cases:
        return
    columns = ", ".join(f"{c[1]} AS v{i}" for i, c in enumerate(cases))
    try:
        it = t_env.sql_query(f"SELECT {columns} FROM {ONE}")._j_table.execute().collect()
        rows = []
        while it.hasNext():
            row = it.next()
            rows.append([java_text(gateway, row.getField(i)) for i in range(len(cases))])
        it.close()
        for i, c in enumerate(cases):
            records[id(c)]["values"] = [r[i] for r in rows]
    except Exception as e:  # noqa: BLE001
        if len(cases) == 1:
            records[id(cases[0])]["error"] = first_line(e)
            records[id(cases[0])]["phase"] = "run"
            return
        half = len(cases) // 2
        execute(t_env, gateway, cases[:half], records)
        execute(t_env, gateway, cases[half:], records)


def run_family(t_env, gateway, cases):
    records = {id(c): plan(t_env, c) for c in cases}
    planned = [c for c in cases if "error" not in records[id(c)]]
    one_row = [c for c in planned if len(c) == 2]
    execute(t_env, gateway, one_row, records)
    for c in planned:
        if len(c) > 2:
            execute_single(t_env, gateway, c, records[id(c)])
    return [records[id(c)] for c in cases]


def execute_single(t_env, gateway, case, record):
    try:
        it = t_env.sql_query(f"SELECT {case[1]} AS v FROM {case[2]}")._j_table.execute().collect()
        values = []
        while it.hasNext():
            values.append(java_text(gateway, it.next().getField(0)))
        it.close()
        record["values"] = values
    except Exception as e:  # noqa: BLE001
        record["error"] = first_line(e)
        record["phase"] = "run"


def main():
    from pyflink.java_gateway import get_gateway
    from pyflink.table import EnvironmentSettings, TableEnvironment

    t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    t_env.get_config().set("table.local-time-zone", "UTC")
    t_env.get_config().set("parallelism.default", "1")
    gateway = get_gateway()
    families = sys.argv[1:] or [*CASES, "local_time_zone", "streaming"]
    if "streaming" in families:
        families.remove("streaming")
        run_streaming(os.path.join(HERE, "streaming.jsonl"))
    if "local_time_zone" in families:
        families.remove("local_time_zone")
        path = os.path.join(HERE, "local_time_zone.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for zone in ZONES:
                t_env.get_config().set("table.local-time-zone", zone)
                for record in run_family(t_env, gateway, ZONED_CASES):
                    f.write(json.dumps({"zone": zone, **record}, ensure_ascii=False) + "\n")
            for zone in FIXED_ZONES:
                t_env.get_config().set("table.local-time-zone", zone)
                for record in run_family(t_env, gateway, CLOCK_CASES):
                    f.write(json.dumps({"zone": zone, **record}, ensure_ascii=False) + "\n")
            for zone in BAD_ZONES:
                t_env.get_config().set("table.local-time-zone", zone)
                for record in run_family(t_env, gateway, [("CAST", "CAST(TO_TIMESTAMP_LTZ(0, 3) AS STRING)"), ("ABS", "ABS(-1)")]):
                    f.write(json.dumps({"zone": zone, **record}, ensure_ascii=False) + "\n")
        t_env.get_config().set("table.local-time-zone", "UTC")
        print(f"{path}: {len(ZONES) * len(ZONED_CASES)} cases")
    for family in families:
        path = os.path.join(HERE, f"{family}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for record in run_family(t_env, gateway, CASES[family]):
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{path}: {len(CASES[family])} cases")
    # SHOW FUNCTIONS as Flink lists them, for comparison with Sluice's list.
    names = []
    it = t_env.execute_sql("SHOW FUNCTIONS")._j_table_result.collect()
    while it.hasNext():
        names.append(str(it.next().getField(0)))
    it.close()
    with open(os.path.join(HERE, "show_functions.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(names)) + "\n")


if __name__ == "__main__":
    main()
