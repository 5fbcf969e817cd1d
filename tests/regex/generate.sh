#!/usr/bin/env bash
# Regenerates golden.txt from cases.txt with the installed Java (17): what java.util.regex
# finds, matches and replaces for each case. tests/regex_java.rs compares Sluice with it.
set -euo pipefail
cd "$(dirname "$0")"
java JavaRegexGolden.java cases.txt > golden.txt
echo "wrote $(wc -l < golden.txt) cases to tests/regex/golden.txt"
