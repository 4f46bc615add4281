#!/usr/bin/env bash
# A short run of every fuzz target (CI): a few seconds each from the seeds of fuzz/seed.sh.
#
#   fuzz/smoke.sh [SECONDS_PER_TARGET]     (default 10)
#
# A crash, a timeout or a memory blow-up fails (exit 1) and prints the input, base64-encoded, to
# reproduce it from the log (`base64 -d > crash; cargo fuzz run TARGET crash`). What it cannot do for
# want of the tool or the network (cargo-fuzz not installable, crates not downloadable) is skipped with a
# notice and exit 0, so a slow network never fails CI; a fuzz crate that does not compile fails.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
seconds=${1:-10}
targets=(plan policy hcl config)
export RUSTC_BOOTSTRAP=1

skip() {
  echo "fuzz smoke: SKIPPED: $*" >&2
  if [ -n "${GITHUB_ACTIONS:-}" ]; then
    echo "::notice title=fuzz smoke skipped::$*"
  fi
  exit 0
}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: installing cargo-fuzz from crates.io (at most 5 minutes)"
  start=$SECONDS
  if ! timeout 300 cargo install cargo-fuzz --locked --quiet; then
    skip "cargo-fuzz could not be installed (no network, or crates.io too slow)"
  fi
  echo "fuzz smoke: cargo-fuzz installed in $((SECONDS - start)) s"
fi
echo "fuzz smoke: $(cargo fuzz --version)"

# Dependencies first, with a time limit: a network problem is a skip, not a failure. Then offline.
if ! timeout 180 cargo fetch --locked --manifest-path fuzz/Cargo.toml --quiet; then
  skip "the fuzz crate's dependencies could not be downloaded"
fi
export CARGO_NET_OFFLINE=true

start=$SECONDS
cargo fuzz build
echo "fuzz smoke: targets built in $((SECONDS - start)) s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash fuzz/seed.sh "$work/corpus" >/dev/null

failed=()
for target in "${targets[@]}"; do
  mkdir -p "$work/artifacts/$target"
  log="$work/$target.log"
  set +e
  cargo fuzz run "$target" "$work/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$target/" >"$log" 2>&1
  status=$?
  set -e
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
  runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}' | tail -n 1 || true)
  if [ "$status" -eq 0 ]; then
    echo "fuzz smoke: $target: ok, ${runs:-?} inputs in ${seconds} s: ${done_line:-no final stats}"
    continue
  fi
  failed+=("$target")
  echo "fuzz smoke: $target: FAILED (exit $status); the end of libFuzzer's output:" >&2
  tail -n 40 "$log" >&2
  for artifact in "$work/artifacts/$target"/*; do
    [ -f "$artifact" ] || continue
    echo "fuzz smoke: $target: input $(basename "$artifact") ($(wc -c <"$artifact") bytes), base64:" >&2
    head -c 65536 "$artifact" | base64 >&2
  done
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz smoke: failed: ${failed[*]} (see fuzz/README.md, \"A finding\")" >&2
  exit 1
fi
echo "fuzz smoke: every target ran ${seconds} s without a finding"
