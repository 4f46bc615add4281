#!/usr/bin/env bash
# Regenerates the real-terraform corpus: each case's plan.json (and state.json) from real `terraform` with the
# real hashicorp/aws provider, planned (and applied, for update and state cases) against moto on 127.0.0.1,
# through ../shared/tools/realtf/realtf.sh (or $REALTF).
#
# usage: testdata/real/regen.sh [CASE...]      (default: every case directory)
#
# A case directory holds one of:
#   config/          a create case: plan.json = plan of config/ against an empty account
#   base/ + head/    an update case: base/ is applied for real, then head/'s .tf files replace it and
#                    plan.json = the update plan (with real prior_state)
# and, optionally, a file named `state` (empty marker): after applying config/ (or head/), state.json is
# `terraform show -json` of the resulting state; a file `plan-args` whose words are added to the final
# `terraform plan` (through TF_CLI_ARGS_plan, e.g. `-target=...`); a file `plan-env` of NAME=VALUE lines
# (e.g. `TF_VAR_partner=222222222222`) set in the environment of the final `terraform plan` only. `__REALTF_ENDPOINT__` in a .tf file becomes
# the local AWS endpoint (for provider aliases, which realtf's override does not configure).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
realtf=${REALTF:-$here/../../../shared/tools/realtf/realtf.sh}
[[ -f $realtf ]] || { echo "regen: realtf.sh not found at $realtf (set REALTF)" >&2; exit 2; }
command -v terraform >/dev/null || { echo "regen: terraform is not on PATH" >&2; exit 2; }

cases=("$@")
if [[ ${#cases[@]} -eq 0 ]]; then
  for d in "$here"/*/; do cases+=("$(basename "$d")"); done
fi

endpoint=http://127.0.0.1:$(bash "$realtf" start)
copy_tf() { # src dst: replace dst's configuration files with src's (keeps state and .terraform)
  find "$2" -maxdepth 1 -type f \( -name '*.tf' -o -name '*.tf.json' -o -name '*.tfvars' -o -name '*.tfvars.json' \) -delete
  cp -r "$1"/. "$2"/
  find "$2" -name '*.tf' -exec sed -i "s#__REALTF_ENDPOINT__#$endpoint#g" {} +
}

final_plan() { # case-dir work-dir: the plan under review, with the case's plan-args and plan-env
  local -a env=()
  if [[ -f $1/plan-env ]]; then mapfile -t env < <(grep -v '^[[:space:]]*\(#\|$\)' "$1/plan-env"); fi
  env ${env[@]+"${env[@]}"} TF_CLI_ARGS_plan="$(cat "$1/plan-args" 2>/dev/null || true)" \
    bash "$realtf" plan "$2" "$1/plan.json" >/dev/null
}

for name in "${cases[@]}"; do
  dir=$here/$name
  [[ -d $dir ]] || { echo "regen: no case $name" >&2; exit 2; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  if [[ -d $dir/base ]]; then
    copy_tf "$dir/base" "$work"
    bash "$realtf" plan "$work" "$work/before.json" apply >/dev/null
    copy_tf "$dir/head" "$work"
    final_plan "$dir" "$work"
    final=$dir/head
  elif [[ -d $dir/config ]]; then
    copy_tf "$dir/config" "$work"
    final_plan "$dir" "$work"
    final=$dir/config
  else
    echo "regen: $name has neither config/ nor base/ + head/" >&2; exit 2
  fi
  if [[ -f $dir/state ]]; then
    copy_tf "$final" "$work"
    bash "$realtf" plan "$work" "$work/applied.json" apply >/dev/null
    bash "$realtf" state "$work" "$dir/state.json"
  fi
  # Terraform writes the plan with the temporary working directory nowhere in it; keep the JSON stable.
  python3 -m json.tool --indent 1 "$dir/plan.json" >"$work/pretty.json" && mv "$work/pretty.json" "$dir/plan.json"
  rm -rf "$work"
  trap - EXIT
  echo "regen: $name"
done
