#!/usr/bin/env bash
# The shell half of the trustgate GitHub Action (action.yml). Every input arrives in an environment variable
# (INPUT_*, mapped in action.yml), never spliced into the script text.
#
#   github-action.sh cache-key   writes version=<Cargo.toml version> to $GITHUB_OUTPUT
#   github-action.sh install     cargo install from the action's source into $TRUSTGATE_INSTALL_ROOT
#   github-action.sh check       runs trustgate once: annotations on stdout, JSON, SARIF and Markdown files,
#                                the job summary, the outputs, the sticky pull-request comment, the exit code
#
# For tests: TRUSTGATE_BIN names the trustgate binary (default: trustgate on PATH).
set -euo pipefail

readonly marker='<!-- trustgate -->'
action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

fail() {
  echo "::error title=trustgate action::$1"
  exit 2
}

warn() {
  echo "::warning title=trustgate action::$1"
}

# Appends name=value to $GITHUB_OUTPUT; a value with a line break (which could forge other outputs) is
# refused.
set_output() {
  case "$2" in
    *$'\n'* | *$'\r'*)
      warn "output $1 is not set: its value contains a line break"
      return 0
      ;;
  esac
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

# true/false input, case-insensitive; anything else is an error.
flag() {
  local name="$1" value
  value="$(printf '%s' "$2" | tr '[:upper:]' '[:lower:]')"
  case "$value" in
    true | yes | 1) return 0 ;;
    false | no | 0 | "") return 1 ;;
    *) fail "input $name must be true or false, not '$2'" ;;
  esac
}

cargo_version() {
  local line
  while IFS= read -r line; do
    if [[ "$line" =~ ^version[[:space:]]*=[[:space:]]*\"([^\"]+)\" ]]; then
      printf '%s\n' "${BASH_REMATCH[1]}"
      return 0
    fi
  done <"$action_path/Cargo.toml"
  fail "no version in $action_path/Cargo.toml"
}

cmd_cache_key() {
  set_output version "$(cargo_version)"
}

cmd_install() {
  local root="${TRUSTGATE_INSTALL_ROOT:?TRUSTGATE_INSTALL_ROOT is not set}"
  # action.yml passes the cache path as written for actions/cache, with a leading ~.
  root="${root/#\~/$HOME}"
  if [ -x "$root/bin/trustgate" ]; then
    echo "trustgate $("$root/bin/trustgate" --version) restored from the cache"
  else
    cargo install --locked --path "$action_path" --root "$root"
  fi
  if [ -n "${GITHUB_PATH:-}" ]; then
    printf '%s\n' "$root/bin" >>"$GITHUB_PATH"
  fi
}

# The pull-request number of the triggering event, or nothing; fails when the event cannot be read.
pr_number() {
  if [ -n "${TRUSTGATE_PR_NUMBER:-}" ]; then
    printf '%s\n' "$TRUSTGATE_PR_NUMBER"
    return 0
  fi
  local event="${GITHUB_EVENT_PATH:-}"
  if [ -z "$event" ] || [ ! -f "$event" ]; then
    return 0
  fi
  if command -v jq >/dev/null 2>&1; then
    jq -r '(.pull_request.number // .issue.number // empty) | tostring' "$event"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); n=(e.get("pull_request") or e.get("issue") or {}).get("number"); print(n if isinstance(n,int) else "")' "$event"
  else
    return 3
  fi
}

# Creates or updates the one comment that starts with the marker.
post_comment() {
  local markdown="$1" widenings="$2" pr repo id status=0
  pr="$(pr_number)" || status=$?
  if [ "$status" -eq 3 ]; then
    warn "neither jq nor python3 is available to read the event; no pull-request comment"
    return 0
  elif [ "$status" -ne 0 ]; then
    warn "could not read the pull-request number from $GITHUB_EVENT_PATH; no pull-request comment"
    return 0
  fi
  if ! [[ "$pr" =~ ^[0-9]+$ ]]; then
    echo "trustgate: not a pull request, no comment"
    return 0
  fi
  repo="${GITHUB_REPOSITORY:-}"
  if [ -z "$repo" ]; then
    warn "GITHUB_REPOSITORY is not set; no pull-request comment"
    return 0
  fi
  if ! id="$(gh api --paginate "repos/$repo/issues/$pr/comments" \
    --jq ".[] | select(.body | startswith(\"$marker\")) | .id")"; then
    warn "could not list the comments of pull request #$pr (does the token have pull-requests: write?)"
    return 0
  fi
  id="${id%%$'\n'*}"
  if [[ "$id" =~ ^[0-9]+$ ]]; then
    gh api --method PATCH "repos/$repo/issues/comments/$id" -F "body=@$markdown" >/dev/null ||
      warn "could not update comment $id on pull request #$pr"
  elif [ "$widenings" -gt 0 ]; then
    gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$markdown" >/dev/null ||
      warn "could not comment on pull request #$pr"
  else
    echo "trustgate: no widening and no earlier comment, nothing to post"
  fi
}

# The working directory's path inside $GITHUB_WORKSPACE with a trailing slash ("infra/"), or nothing when
# it is the workspace itself, outside it, or needs encoding in a URI. trustgate's locations are relative to
# the working directory; GitHub reads them relative to the repository root.
workspace_prefix() {
  local workspace="${GITHUB_WORKSPACE:-}" here prefix
  [ -n "$workspace" ] || return 0
  here="$(pwd -P)"
  workspace="$(cd "$workspace" 2>/dev/null && pwd -P)" || return 0
  case "$here" in
    "$workspace"/*) prefix="${here#"$workspace"/}/" ;;
    *) return 0 ;;
  esac
  if [[ "$prefix" =~ ^[A-Za-z0-9._~/-]+$ ]]; then
    printf '%s\n' "$prefix"
  else
    return 4
  fi
}

# Prefixes each relative artifact "uri" in the (pretty-printed, one key per line) SARIF file. A "uri" key
# always starts its line; inside a string value the quotes are escaped, so no value can match.
rebase_sarif() {
  local file="$1" prefix="$2" line
  [ -n "$prefix" ] || return 0
  local uri_re='^([[:space:]]*"uri": ")([^/"][^"]*)(",?)$'
  while IFS= read -r line; do
    if [[ "$line" =~ $uri_re ]]; then
      local lead="${BASH_REMATCH[1]}" uri="${BASH_REMATCH[2]}" tail="${BASH_REMATCH[3]}"
      # Leave URIs with a scheme (file:, https:) as they are.
      if ! [[ "$uri" =~ ^[A-Za-z][A-Za-z0-9+.-]*: ]]; then
        line="$lead$prefix$uri$tail"
      fi
    fi
    printf '%s\n' "$line"
  done <"$file" >"$file.rebased"
  mv "$file.rebased" "$file"
}

# A workflow command's relative file= property, prefixed (property values have : and , escaped, so the
# first , ends the value).
rebase_command() {
  local line="$1" prefix="$2"
  if [ -n "$prefix" ] && [[ "$line" =~ ^(::(error|warning|notice) file=)([^/,:][^,:]*)(,.*|::.*)$ ]]; then
    line="${BASH_REMATCH[1]}$prefix${BASH_REMATCH[3]}${BASH_REMATCH[4]}"
  fi
  printf '%s\n' "$line"
}

# Splits a list separated by commas, spaces or newlines into the array named by $2.
split_list() {
  local normalized="${1//[$'\n\r\t,']/ }"
  read -r -a "$2" <<<"$normalized"
}

cmd_check() {
  local bin="${TRUSTGATE_BIN:-trustgate}"
  local plan="${INPUT_PLAN:-}"
  [ -n "$plan" ] || fail "input plan is required"
  local dir="${INPUT_WORKING_DIRECTORY:-.}"
  cd "$dir" || fail "working-directory $dir does not exist"

  local out
  out="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/trustgate.XXXXXX")"
  local sarif="${INPUT_SARIF_FILE:-trustgate.sarif}"
  mkdir -p "$(dirname "$sarif")"
  sarif="$(cd "$(dirname "$sarif")" && pwd)/$(basename "$sarif")"

  local args=(check --color never --format github
    --output "json=$out/trustgate.json" --output "sarif=$sarif" --output "markdown=$out/trustgate.md")
  local accounts=() orgs=() id
  split_list "${INPUT_ACCOUNTS:-}" accounts
  split_list "${INPUT_ORGANIZATIONS:-}" orgs
  for id in ${accounts[@]+"${accounts[@]}"}; do args+=(--account "$id"); done
  for id in ${orgs[@]+"${orgs[@]}"}; do args+=(--org "$id"); done
  if [ -n "${INPUT_CONFIG:-}" ]; then args+=(--config "$INPUT_CONFIG"); fi
  # After --, a plan named like an option is still a plan.
  args+=(-- "$plan")

  local prefix
  if ! prefix="$(workspace_prefix)"; then
    warn "locations stay relative to the working directory: its path needs encoding in a URI"
    prefix=""
  fi
  local code=0 line widenings="" violations="" approved=""
  local summary_re='^trustgate: ([0-9]+) widenings?: ([0-9]+) violations?, ([0-9]+) approved$'
  # Annotations go to the log as they come; the last line carries the counts.
  # The exit code rides on an extra last line (trustgate's own lines start with :: or "trustgate: ").
  while IFS= read -r line; do
    if [[ "$line" =~ ^trustgate-exit-code=([0-9]+)$ ]]; then
      code="${BASH_REMATCH[1]}"
      continue
    fi
    rebase_command "$line" "$prefix"
    if [[ "$line" =~ $summary_re ]]; then
      widenings="${BASH_REMATCH[1]}" violations="${BASH_REMATCH[2]}" approved="${BASH_REMATCH[3]}"
    fi
  done < <(
    status=0
    "$bin" "${args[@]}" || status=$?
    echo "trustgate-exit-code=$status"
  )

  set_output exit-code "$code"
  if { [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; } || [ -z "$widenings" ]; then
    fail "trustgate could not check $plan (exit $code); see the error above"
  fi
  rebase_sarif "$sarif" "$prefix"
  set_output widenings "$widenings"
  set_output violations "$violations"
  set_output approved "$approved"
  set_output sarif-file "$sarif"
  set_output json-file "$out/trustgate.json"
  set_output markdown-file "$out/trustgate.md"

  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$out/trustgate.md" >>"$GITHUB_STEP_SUMMARY"
  fi
  if flag comment "${INPUT_COMMENT:-true}"; then
    post_comment "$out/trustgate.md" "$widenings"
  fi
  if [ "$code" -eq 1 ] && flag fail-on-violation "${INPUT_FAIL_ON_VIOLATION:-true}"; then
    echo "trustgate: $violations violation(s) block this plan"
    exit 1
  fi
  exit 0
}

case "${1:-check}" in
  cache-key) cmd_cache_key ;;
  install) cmd_install ;;
  check) cmd_check ;;
  *) fail "unknown command ${1:-}" ;;
esac
