#!/usr/bin/env bash
# A minimal paycalc HTTP client in plain shell (curl + jq): what a Java, .NET or PHP HR
# system does to run a month's payroll through `paycalc serve` (see docs/http-api.md).
#
#   examples/http/client.sh ROSTER.{csv,xlsx,jsonl} YYYY-MM [SERVICE_URL]
#
# Uploads the roster, writes the register as `paycalc run --out REGISTER.csv` writes it (one
# row per paid worker, then the 合计 row) to standard output, lists rows not employed,
# failed rows and the summary on standard error. Set PAYCALC_HEADERS=codes for code headers.
# Exit 0: every row paid; 1: some rows failed (the others are in the register); 2: the
# service refused the request.
set -euo pipefail

roster=${1:?usage: client.sh ROSTER YYYY-MM [SERVICE_URL]}
month=${2:?usage: client.sh ROSTER YYYY-MM [SERVICE_URL]}
service=${3:-${PAYCALC_URL:-http://127.0.0.1:8000}}
headers=${PAYCALC_HEADERS:-labels}

answer=$(mktemp)
trap 'rm -f "$answer"' EXIT

status=$(curl -sS -o "$answer" -w '%{http_code}' \
  -F "file=@${roster}" -F "month=${month}" -F "headers=${headers}" "${service}/v1/payroll")
if [ "$status" != 200 ]; then
  echo "paycalc refused the request (HTTP $status):" >&2
  jq -r '.problems[] | "  \(.source): \(.location): \(.message)"' "$answer" >&2
  exit 2
fi

# The register: the columns in order, one CSV line per slip, the 合计 line. Text a
# spreadsheet would run as a formula (=, +, -, @ first, not a number) gets a ' in front.
jq -r 'def cell: if type == "string" and test("^[=+\\-@\t\r]")
                   and (test("^[+-]?[0-9]+(\\.[0-9]+)?$") | not) then "'"'"'" + . else . end;
  .columns as $columns | ($columns | map(cell) | @csv),
  ((.register[], .totals) | [.[$columns[]] | cell] | @csv)' "$answer"

jq -r '.file_problems[] | "\(.source): \(.location): \(.message)"' "$answer" >&2
jq -r '.not_employed[] | "not employed: row \(.row) (\(.worker_id)) \(.field): \(.reason)"' "$answer" >&2
jq -r '.errors[] | "row \(.row) (\(.worker_id)) \(.field): \(.reason)"' "$answer" >&2
jq -r '.summary' "$answer" >&2
[ "$(jq '.failed_rows' "$answer")" = 0 ] || exit 1
