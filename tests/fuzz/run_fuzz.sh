#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a libFuzzer target against a committed corpus without touching it.
#
#   run_fuzz.sh FUZZER CORPUS_DIR                 fuzz for ${TOE_FUZZ_SECONDS:-60} s
#   run_fuzz.sh --regression FUZZER CORPUS_DIR    run every corpus file once
#
# Fuzz mode copies CORPUS_DIR into a fresh temp working dir and fuzzes there;
# crash artifacts go to the same temp dir. Exits non-zero if libFuzzer found a
# crash (or leak, timeout, OOM), after printing the artifact's path and a
# hexdump. The temp dir is removed on success (kept with TOE_FUZZ_KEEP=1, or on
# failure). Extra libFuzzer flags may be given in TOE_FUZZ_ARGS.
set -euo pipefail

mode=fuzz
if [[ ${1:-} == --regression ]]; then
  mode=regression
  shift
fi
if [[ $# -ne 2 ]]; then
  echo "usage: $0 [--regression] FUZZER CORPUS_DIR" >&2
  exit 2
fi
[[ -x $1 && -f $1 ]] || { echo "run_fuzz: fuzzer '$1' not found or not executable" >&2; exit 2; }
[[ -d $2 ]] || { echo "run_fuzz: corpus dir '$2' not found" >&2; exit 2; }
fuzzer=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=$(cd "$2" && pwd)

hexdump_file() {  # path
  echo "---- $1 ($(wc -c <"$1") bytes) ----"
  od -A x -t x1z -v "$1"
  echo "---- hex: $(od -A n -t x1 -v "$1" | tr -d ' \n')"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/toe-fuzz.XXXXXX")
keep=${TOE_FUZZ_KEEP:-0}
cleanup() { if [[ $keep == 0 ]]; then rm -rf "$work"; fi; }
trap cleanup EXIT
# shellcheck disable=SC2206
extra=(${TOE_FUZZ_ARGS:-})
common=(-timeout=5 -rss_limit_mb=2048 "${extra[@]}")

if [[ $mode == regression ]]; then
  mapfile -d '' files < <(find "$corpus" -maxdepth 1 -type f -print0 | sort -z)
  [[ ${#files[@]} -gt 0 ]] || { echo "run_fuzz: corpus '$corpus' is empty" >&2; exit 2; }
  echo "run_fuzz: running ${#files[@]} corpus files through $fuzzer"
  set +e
  (cd "$work" && "$fuzzer" "${common[@]}" "${files[@]}") >"$work/regression.log" 2>&1
  rc=$?
  set -e
  if [[ $rc -ne 0 ]]; then
    keep=1
    cat "$work/regression.log"
    last=$(grep '^Running: ' "$work/regression.log" | tail -n 1 | sed 's/^Running: //' || true)
    echo "run_fuzz: FAILED (exit $rc) on corpus file: ${last:-unknown}" >&2
    [[ -n $last && -f $last ]] && hexdump_file "$last"
    echo "run_fuzz: log kept in $work/regression.log" >&2
    exit 1
  fi
  echo "run_fuzz: all ${#files[@]} corpus files passed" \
       "($(grep -c '^Executed ' "$work/regression.log") executed)"
  exit 0
fi

secs=${TOE_FUZZ_SECONDS:-60}
mkdir -p "$work/corpus" "$work/artifacts"
cp -R "$corpus/." "$work/corpus/"
echo "run_fuzz: fuzzing $fuzzer for ${secs}s in $work ($(find "$work/corpus" -type f | wc -l) seed files)"
# Full log in $work/fuzz.log; the console skips the per-input NEW/REDUCE lines.
set +e
{
  (cd "$work" && "$fuzzer" -max_total_time="$secs" "${common[@]}" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus")
  echo $? >"$work/rc"
} 2>&1 | tee "$work/fuzz.log" | grep --line-buffered -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE)[[:space:]]'
set -e
rc=$(cat "$work/rc" 2>/dev/null || echo 1)
mapfile -t artifacts < <(find "$work/artifacts" -type f | sort)
if [[ $rc -ne 0 || ${#artifacts[@]} -gt 0 ]]; then
  keep=1
  echo "run_fuzz: libFuzzer FAILED (exit $rc); working dir kept: $work" >&2
  for a in "${artifacts[@]}"; do
    echo "run_fuzz: artifact $a"
    hexdump_file "$a"
  done
  echo "run_fuzz: reproduce with: $fuzzer <artifact>; once fixed, copy it into $corpus (see tests/fuzz/README.md)" >&2
  exit 1
fi
echo "run_fuzz: no crash; $(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/fuzz.log" | tail -n 1 || true)"
if [[ $keep != 0 ]]; then
  echo "run_fuzz: working corpus kept; to add its new coverage: $fuzzer -merge=1 $corpus $work/corpus"
fi
