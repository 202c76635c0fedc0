#!/usr/bin/env bash
# run.sh BUILD [SECONDS] [TARGET...]: runs libFuzzer targets built with
# -Dfuzz=true (`make fuzz` does the setup and calls this).
#
# Each target (default: every tests/fuzz/corpus/<name>) runs for SECONDS
# (default 60) starting from a temporary copy of its saved corpus, which
# grows there and is left for inspection; the saved corpus is not changed.
# A crash, a sanitizer report, a broken property or a timeout fails the run
# and leaves the input that caused it beside the copy. Prints a line per
# target: executions, their rate, and the corpus before and after.
set -u
build=${1:?usage: run.sh BUILD [SECONDS] [TARGET...]}
secs=${2:-60}
shift $(($# < 2 ? $# : 2))
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
  set -- $(cd "$here/corpus" && ls)
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-fuzz.XXXXXX")
echo "fuzzing $# targets for $secs s each; corpora and logs in $work"
failed=0
for t in "$@"; do
  exe="$build/tests/fuzz/fuzz_$t"
  if [ ! -x "$exe" ]; then
    echo "FAIL fuzz_$t: no $exe (build with -Dfuzz=true)"
    failed=1
    continue
  fi
  cp -r "$here/corpus/$t" "$work/$t"
  before=$(ls "$work/$t" | wc -l)
  dict=()
  [ -f "$here/$t.dict" ] && dict=("-dict=$here/$t.dict")
  "$exe" "${dict[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/crash-$t-" "$work/$t" >"$work/$t.log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t.log" | tail -1)
  after=$(ls "$work/$t" | wc -l)
  if [ $rc -eq 0 ]; then
    echo "ok   fuzz_$t: ${execs:-?} executions (${rate:-?}/s), corpus $before -> $after"
  else
    failed=1
    echo "FAIL fuzz_$t (exit $rc) after ${execs:-?} executions; the log ends:"
    tail -40 "$work/$t.log" | sed 's/^/     | /'
    for a in "$work"/crash-"$t"-*; do
      [ -e "$a" ] && echo "     input: $a (save it in tests/fuzz/corpus/$t/ once fixed)"
    done
  fi
done
exit $failed
