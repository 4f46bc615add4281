#!/usr/bin/env bash
# Benchmark of the load stage (issue 14): `check --source` on a generated 10,000-resource plan beside a generated
# tree of 10,000 .tf files, with the plan and the sources read at the same time (the default) and one after
# the other (TRUSTGATE_BENCH_SEQUENTIAL_LOAD=1, a switch for this benchmark only). Runs the two in turn and
# prints wall time and peak RSS of each run (GNU time). Not part of the tests or CI.
#
#   bench/load.sh [--runs N] [--resources N] [--tf-files N] [--workdir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
runs=5 resources=10000 tf_files=10000 workdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --resources) resources=$2; shift 2 ;;
    --tf-files) tf_files=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "load.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
genplan=${GENPLAN:-$repo/../shared/tools/genplan.py}
[ -f "$genplan" ] || { echo "load.sh: genplan.py not found; set GENPLAN" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "load.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
[ -n "$workdir" ] || workdir=$(mktemp -d "${TMPDIR:-/tmp}/trustgate-load.XXXXXX")
mkdir -p "$workdir"
cargo build --release --locked --quiet
bin=$repo/target/release/trustgate
[ -f "$workdir/plan.json" ] || python3 "$genplan" --resources "$resources" --out "$workdir/plan.json" >/dev/null
[ -d "$workdir/tf" ] || python3 "$repo/bench/gentf.py" --files "$tf_files" --out "$workdir/tf" >/dev/null
args=(check "$workdir/plan.json" --source "$workdir/tf" --account 111111111111 --format json)
"$bin" "${args[@]}" >/dev/null || true   # warm the page cache
printf 'run\tmode\twall_s\tpeak_rss_kb\n'
for i in $(seq "$runs"); do
  for mode in concurrent sequential; do
    env_args=()
    [ "$mode" = sequential ] && env_args=(TRUSTGATE_BENCH_SEQUENTIAL_LOAD=1)
    line=$( (env "${env_args[@]}" /usr/bin/time -f '%e %M' "$bin" "${args[@]}" 2>&1 >/dev/null || true) | tail -1)
    printf '%s\t%s\t%s\t%s\n' "$i" "$mode" ${line}
  done
done
