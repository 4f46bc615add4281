#!/usr/bin/env bash
# End-to-end benchmark (issue 5): trustgate against the floor (read the file + validate JSON) on generated
# plans of 1k, 10k and 50k resources, the HCL index on a generated tree of 10,000 .tf files, and optionally
# Checkov. Prints medians and ratios; bench/RESULTS.md records a run. Not part of the tests or CI.
#
#   bench/run.sh [--runs N] [--sizes "1000 10000 50000"] [--tf-files N] [--with-checkov] [--workdir DIR]
#
# Needs: cargo, python3 (standard library only). --with-checkov installs Checkov from PyPI into a throwaway
# virtualenv under the work directory. Plans come from ../shared/tools/genplan.py (or $GENPLAN).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

runs=5
sizes="1000 10000 50000"
tf_files=10000
with_checkov=0
checkov_runs=3
workdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --tf-files) tf_files=$2; shift 2 ;;
    --with-checkov) with_checkov=1; shift ;;
    --checkov-runs) checkov_runs=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

genplan=${GENPLAN:-$repo/../shared/tools/genplan.py}
[ -f "$genplan" ] || genplan=/work/shared/tools/genplan.py
if [ ! -f "$genplan" ]; then
  echo "run.sh: genplan.py not found; set GENPLAN=/path/to/genplan.py" >&2
  exit 2
fi
if [ -z "$workdir" ]; then
  workdir=$(mktemp -d "${TMPDIR:-/tmp}/trustgate-bench.XXXXXX")
  trap 'rm -rf "$workdir"' EXIT
fi
mkdir -p "$workdir"
results="$workdir/results.jsonl"
: >"$results"
measure() { python3 "$repo/bench/measure.py" run --runs "$runs" --out "$results" "$@"; }

# Boundary of genplan.py's synthetic estate (its ACCOUNT and ORG_ID).
boundary=(--account 111122223333 --org o-7k2m9q4x1z)
modules_for() { case "$1" in 1000) echo 4 ;; 10000) echo 40 ;; 50000) echo 200 ;; *) echo $(($1 / 250)) ;; esac; }

echo "== machine"
echo "date:   $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:    $(nproc) × $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
echo "memory: $(free -h 2>/dev/null | awk '/^Mem:/ {print $2}')"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

echo "== build (release)"
cargo build --release --quiet --bin trustgate --example floor --example hcl_index
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
trustgate="$target/release/trustgate"
floor="$target/release/examples/floor"
hcl_index="$target/release/examples/hcl_index"

echo "== plans"
for n in $sizes; do
  plan="$workdir/plan-$n.json"
  [ -f "$plan" ] || python3 "$genplan" --resources "$n" --modules "$(modules_for "$n")" --seed 1 --out "$plan"
done

echo "== floor and trustgate ($runs runs each, after one warm-up run)"
for n in $sizes; do
  plan="$workdir/plan-$n.json"
  size=$(stat -c %s "$plan")
  measure --label "floor/$n" --size "$size" -- "$floor" "$plan"
  measure --label "trustgate/$n" --size "$size" -- \
    "$trustgate" check "$plan" "${boundary[@]}" --color never
done

if [ "$tf_files" -gt 0 ]; then
  echo "== HCL tree ($tf_files files)"
  tf="$workdir/tf"
  [ -d "$tf" ] || python3 "$repo/bench/gentf.py" --files "$tf_files" --out "$tf"
  tf_size=$(find "$tf" -name '*.tf' -printf '%s\n' | awk '{s += $1} END {print s}')
  # Stand-in until `trustgate check --source` exists: parse every file with hcl-edit on a rayon pool.
  for threads in 1 2; do
    measure --label "hcl/stand-in parse_body, $threads thread(s)" --size "$tf_size" -- "$hcl_index" "$tf" "$threads"
  done
  if "$trustgate" check --help | grep -q -- '--source'; then
    # An empty plan, so that the time is the index of the sources (plus trustgate's ~3 ms start-up).
    empty="$workdir/empty-plan.json"
    echo '{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[]}' >"$empty"
    for threads in 1 2; do
      measure --label "hcl/trustgate --source, $threads thread(s)" --size "$tf_size" -- \
        env RAYON_NUM_THREADS="$threads" "$trustgate" check "$empty" --source "$tf" \
        "${boundary[@]}" --color never
    done
  else
    echo "  (trustgate has no --source yet: only the stand-in is measured)"
  fi
fi

if [ "$with_checkov" = 1 ]; then
  echo "== Checkov (throwaway virtualenv from PyPI)"
  venv="$workdir/checkov-venv"
  if [ ! -x "$venv/bin/checkov" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check checkov
  fi
  echo "  $("$venv/bin/checkov" --version 2>/dev/null | tail -1)"
  for n in $sizes; do
    [ "$n" -le 10000 ] || continue
    plan="$workdir/plan-$n.json"
    runs=$checkov_runs measure --label "checkov/$n" --size "$(stat -c %s "$plan")" --warmup 0 -- \
      "$venv/bin/checkov" -f "$plan" --framework terraform_plan --quiet --compact
  done
fi

echo
echo "== results (medians of $runs runs; wall time and peak RSS)"
python3 "$repo/bench/measure.py" report "$results"
