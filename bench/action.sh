#!/usr/bin/env bash
# The GitHub Action from its first step to the verdict (issue 13): resolve, install, check, as action.yml
# runs them, against a local download server (python3 -m http.server on 127.0.0.1) serving a release
# archive made from a trustgate binary. Cold: an empty cache folder (actions/cache missed); warm: the cache
# folder from the previous run (actions/cache hit). The runner's own start and actions/cache's transfer are
# not included. Prints wall and CPU (user + system, children included) per run and the medians.
#
#   bench/action.sh [--runs N] [--binary PATH] [--plan PLAN]
#
# Default binary: target/release/trustgate (build it with cargo build --release). Needs bash, python3,
# curl, tar, sha256sum.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

runs=7
binary="$repo/target/release/trustgate"
plan="$repo/testdata/example/plan.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --plan) plan=$2; shift 2 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "action.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$binary" ] || { echo "action.sh: no binary at $binary (cargo build --release)" >&2; exit 2; }

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
target=x86_64-unknown-linux-musl
archive="trustgate-v$version-$target.tar.gz"
mkdir -p "$work/stage" "$work/www" "$work/home" "$work/ws"
cp "$binary" "$work/stage/trustgate"
cp README.md CHANGELOG.md LICENSE "$work/stage/"
tar -czf "$work/www/$archive" -C "$work/stage" trustgate README.md CHANGELOG.md LICENSE
(cd "$work/www" && sha256sum "$archive" >"$archive.sha256")
cp "$plan" "$work/ws/plan.json"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/$archive.sha256" 2>/dev/null && break
  sleep 0.1
done

# The action's steps, as action.yml runs them (the cache step is the presence of ~/.cache/trustgate-action).
cat >"$work/steps.sh" <<'STEPS'
set -euo pipefail
bash scripts/github-action.sh resolve >/dev/null
bash scripts/github-action.sh install >"$RUNNER_TEMP/install.log"
bin=$(sed -n 's/^bin=//p' "$GITHUB_OUTPUT")
sum=$(sed -n 's/^sha256=//p' "$GITHUB_OUTPUT")
TRUSTGATE_BIN="$bin" TRUSTGATE_BIN_SHA256="$sum" bash scripts/github-action.sh check >"$RUNNER_TEMP/check.log"
STEPS

# One run of the action's steps; prints "wall cpu verdict" (CPU: user + system of every process).
one_run() {
  local temp="$work/temp.$1"
  rm -rf "$temp" && mkdir -p "$temp"
  : >"$temp/output"
  # shellcheck disable=SC2088 # action.yml passes the cache path with a literal ~, as here
  env HOME="$work/home" RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$temp" GITHUB_OUTPUT="$temp/output" \
    GITHUB_ACTION_PATH="$repo" TRUSTGATE_DOWNLOAD_BASE="http://127.0.0.1:$port" \
    TRUSTGATE_INSTALL_ROOT="~/.cache/trustgate-action" INPUT_PLAN=plan.json INPUT_WORKING_DIRECTORY="$work/ws" \
    INPUT_COMMENT=false INPUT_FAIL_ON_VIOLATION=false \
    /usr/bin/time -f '%e %U %S' -o "$temp/time" bash "$work/steps.sh"
  local wall user sys verdict
  read -r wall user sys <"$temp/time"
  verdict=$(grep '^trustgate: [0-9]* widening' "$temp/check.log" | tail -n 1)
  printf '%s %s %s\n' "$wall" "$(echo "$user + $sys" | bc)" "$verdict"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "binary: $binary ($(du -h "$binary" | cut -f1)), archive $(du -h "$work/www/$archive" | cut -f1); plan $plan"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
: >"$work/cold" && : >"$work/warm"
for i in $(seq "$runs"); do
  rm -rf "$work/home/.cache"
  read -r wall cpu verdict < <(one_run "cold$i")
  echo "cold $i: wall ${wall}s cpu ${cpu}s — $verdict"
  echo "$wall $cpu" >>"$work/cold"
  read -r wall cpu verdict < <(one_run "warm$i")
  echo "warm $i: wall ${wall}s cpu ${cpu}s — $verdict"
  echo "$wall $cpu" >>"$work/warm"
done
for kind in cold warm; do
  echo "median $kind: wall $(cut -d' ' -f1 "$work/$kind" | median)s, cpu $(cut -d' ' -f2 "$work/$kind" | median)s"
done
grep -c "GET /$archive " "$work/server.log" | sed 's/^/archive downloads: /'
