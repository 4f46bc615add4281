#!/usr/bin/env bash
# Bounded work (issue 12): `check --source` on a chain of N locals (bench/genlocals.py) and `compare` of two
# trust policies of N principals (bench/genprincipals.py), each at several sizes, so that growth can be read
# off (linear: time doubles with N). Prints CPU seconds (user + sys), wall seconds and peak RSS per run from
# GNU time, and the verdict, which must not change with N. bench/RESULTS.md records a run. Not part of the
# tests or CI.
#
#   bench/bounds.sh [--runs N] [--locals "1000 2000 4000"] [--principals "5000 10000 20000"] [--bin PATH]
#
# Needs: cargo (unless --bin), python3 (standard library only), GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

runs=3
locals="1000 2000 4000"
principals="5000 10000 20000"
bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --locals) locals=$2; shift 2 ;;
    --principals) principals=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "bounds.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "$bin" ]; then
  cargo build --release --quiet --bin trustgate
  target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  bin="$target/release/trustgate"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/trustgate-bounds.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "binary:  $bin"

# Runs "$@" $runs times; prints the median CPU and wall seconds and the largest peak RSS.
measure() {
  local label=$1 out=$2
  shift 2
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%U %S %e %M' -o "$work/time" "$@" >"$out" 2>/dev/null || true
    tail -n 1 "$work/time"
  done | python3 -c '
import statistics, sys
rows = [list(map(float, line.split())) for line in sys.stdin if line.strip()]
cpu = statistics.median(r[0] + r[1] for r in rows)
wall = statistics.median(r[2] for r in rows)
rss = max(r[3] for r in rows) / 1024
print(f"'"$label"': cpu {cpu:.3f} s  wall {wall:.3f} s  peak RSS {rss:.0f} MB")'
}

verdict() {
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
items = d.get("findings", d.get("widenings", []))
print("  verdict:", d.get("verdict", ""), sorted((f["kind"], f["principal"]) for f in items))' "$1"
}

echo "== check --source on a chain of N locals"
for n in $locals; do
  python3 bench/genlocals.py --locals "$n" --out "$work/locals-$n"
  measure "locals $n" "$work/out.json" "$bin" check "$work/locals-$n/plan.json" --source "$work/locals-$n" \
    --account 111122223333 --format json
  verdict "$work/out.json"
done

echo "== compare of two trust policies of N principals"
for n in $principals; do
  python3 bench/genprincipals.py --principals "$n" --out "$work/principals-$n"
  measure "principals $n" "$work/out.json" "$bin" compare "$work/principals-$n/old.json" \
    "$work/principals-$n/new.json" --role trust --account 111122223333 --format json
  verdict "$work/out.json"
done
