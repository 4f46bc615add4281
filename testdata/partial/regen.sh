#!/usr/bin/env bash
# Regenerates the partial-plan fixtures: plans that real terraform saves although planning failed
# ("errored": true), which realtf.sh's `plan` does not write (it stops on terraform's error).
# Runs terraform with realtf's provider override and CLI config, against realtf's moto.
# usage: testdata/partial/regen.sh      (needs terraform, the provider mirror, ../shared/tools/realtf)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
realtf=${REALTF:-$here/../../../shared/tools/realtf/realtf.sh}
port=$(bash "$realtf" start)
state=${REALTF_STATE:-${TMPDIR:-/tmp}/realtf}
eval "$(awk '/^override\(\) \{/,/^\}/' "$realtf")"
PLUGINS=${REALTF_PLUGINS:-}
if [[ -z $PLUGINS ]]; then
  for d in "$HOME/.terraform.d/plugins" /usr/local/share/terraform/plugins /usr/share/terraform/plugins /opt/*; do
    if [[ -d $d/registry.terraform.io/hashicorp/aws ]]; then PLUGINS=$d; break; fi
  done
fi
[[ -n $PLUGINS ]] || { echo "regen: no filesystem mirror with hashicorp/aws (set REALTF_PLUGINS)" >&2; exit 2; }
cat >"$state/terraformrc-partial" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$PLUGINS"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct { exclude = ["registry.terraform.io/hashicorp/aws"] }
}
RC
export TF_CLI_CONFIG_FILE=$state/terraformrc-partial TF_IN_AUTOMATION=1 AWS_EC2_METADATA_DISABLED=true
for dir in "$here"/*/; do
  work=$(mktemp -d)
  cp -r "$dir/config"/. "$work"/
  override "$work" "$port"
  (cd "$work" && terraform init -input=false -no-color >/dev/null)
  # The plan is expected to fail; terraform still saves it with "errored": true.
  (cd "$work" && terraform plan -input=false -no-color -out plan.bin >/dev/null 2>&1) && {
    echo "regen: $(basename "$dir") planned without an error" >&2; exit 1; }
  (cd "$work" && terraform show -json plan.bin) | python3 -m json.tool --indent 1 >"$dir/plan.json"
  rm -rf "$work"
  echo "regen: $(basename "$dir")"
done
