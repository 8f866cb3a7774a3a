# tests/support/checks.sh — the shell side of the tests' support library: one line per
# check, counted. Source it after setting T (a scratch folder); it defines N (checks
# run) and FAILED (checks failed), which the script reports at its end.
#
#   expect CODE DESCRIPTION -- COMMAND...   COMMAND exits CODE; its output in $T/out, $T/err
#   expect_nonzero DESCRIPTION -- COMMAND...  COMMAND fails (stderr in $T/err)
#   check DESCRIPTION -- COMMAND...         COMMAND (a condition) succeeds
#   has TEXT FILE                           FILE contains TEXT
# On failure each prints FAIL with the exit code and the first lines of the output.
FAILED=0
N=0

expect() {
  local want="$1" what="$2"
  shift 3
  N=$((N + 1))
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -eq "$want" ]; then
    echo "ok   $what (exit $rc)"
  else
    echo "FAIL $what: exit $rc, expected $want"
    sed 's/^/     stdout: /' "$T/out" | head -5
    sed 's/^/     stderr: /' "$T/err" | head -5
    FAILED=$((FAILED + 1))
  fi
}

expect_nonzero() {
  local what="$1"
  shift 2
  N=$((N + 1))
  "$@" >/dev/null 2>"$T/err"
  local rc=$?
  if [ "$rc" -ne 0 ]; then echo "ok   $what (exit $rc)"; else
    echo "FAIL $what: exit 0"
    FAILED=$((FAILED + 1))
  fi
}

check() {
  local what="$1"
  shift 2
  N=$((N + 1))
  if "$@"; then echo "ok   $what"; else
    echo "FAIL $what"
    FAILED=$((FAILED + 1))
  fi
}

has() { grep -q -- "$1" "$2"; }
