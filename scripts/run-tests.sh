#!/usr/bin/env bash
# `make test`: checks, pure and browser tests once, database tests on SQLite and PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PATH="$PWD/$BIN:$PATH"
RUN_DIR=$(mktemp -d)
trap 'rm -rf "$RUN_DIR"' EXIT
export VK_DATA_DIR="$RUN_DIR/data"
export VK_TEST_DEMO_DIR="$RUN_DIR/demo"
export VK_SHARED_DIR="${VK_SHARED_DIR:-$PWD/../shared}"
unset VK_DATABASE_URL VK_GEMEENTE
start=$(date +%s)
status=0

step() { echo; echo "== $*"; }
pytest_run() {
  # pytest's exit code 5 means "no tests collected": a failure here, never a silent pass
  "$BIN/pytest" "$@"
  local rc=$?
  if [ $rc -eq 5 ]; then echo "geen tests gevonden voor: $*" >&2; return 1; fi
  return $rc
}

step "ruff en mypy"
"$BIN/ruff" check src tests benchmarks || status=1
"$BIN/ruff" format --check src tests benchmarks || status=1
"$BIN/mypy" src/veiligheidskaart/analysis || status=1

step "migraties compleet (makemigrations --check)"
"$BIN/python" -m django makemigrations --check --dry-run --settings=veiligheidskaart.settings || status=1

step "Demostad één keer bouwen (SQLite, via 'veiligheidskaart demo --no-serve')"
VK_DATA_DIR="$VK_TEST_DEMO_DIR" "$BIN/veiligheidskaart" demo --no-serve || status=1

step "pure, browser- en databasetests op SQLite"
pytest_run -p no:cacheprovider || status=1

if [ -n "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null)" ]; then
  step "databasetests op PostgreSQL"
  bash scripts/pg-test.sh "$BIN/pytest" -p no:cacheprovider -m django_db || status=1
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL ontbreekt, en onder CI=true is dat een fout" >&2
  status=1
else
  echo "PostgreSQL niet gevonden: databasetests op PostgreSQL overgeslagen"
fi

echo
echo "make test: klaar in $(( $(date +%s) - start )) s, status $status"
exit $status
