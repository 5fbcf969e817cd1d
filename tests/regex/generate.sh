#!/usr/bin/env bash
# Regenerates, with the installed Java (17):
#   golden.txt — what java.util.regex finds, matches and replaces for each case of cases.txt
#                (tests/regex_java.rs compares Sluice with it);
#   src/engine/regex/unicode_tables.rs — Java's Unicode general categories, for \p{L} and the rest.
set -euo pipefail
cd "$(dirname "$0")"
java JavaRegexGolden.java cases.txt > golden.txt
echo "wrote $(wc -l < golden.txt) cases to tests/regex/golden.txt"
java UnicodeTables.java > ../../src/engine/regex/unicode_tables.rs
echo "wrote src/engine/regex/unicode_tables.rs ($(wc -c < ../../src/engine/regex/unicode_tables.rs) bytes)"
