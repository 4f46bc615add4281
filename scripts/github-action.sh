#!/usr/bin/env bash
# The shell half of the trustgate GitHub Action (action.yml). Every input arrives in an environment variable
# (INPUT_*, mapped in action.yml), never spliced into the script text.
#
#   github-action.sh resolve   writes version, target, archive and the cache key to $GITHUB_OUTPUT
#   github-action.sh install   installs the release binary for this runner (checksum verified on every run,
#                              the archive cached in $TRUSTGATE_INSTALL_ROOT), or, only when no release
#                              exists, builds it with cargo install; writes bin= and sha256= outputs
#   github-action.sh check     runs trustgate in the input mode (check, diff or inventory): annotations on
#                              stdout, JSON, SARIF and Markdown files, the job summary, the outputs, the
#                              sticky pull-request comment, the exit code
#
# For tests: TRUSTGATE_BIN names the trustgate binary (default: trustgate on PATH), and
# TRUSTGATE_DOWNLOAD_BASE the folder the release files are downloaded from.
set -euo pipefail

readonly marker='<!-- trustgate -->'
# Workflow commands go to file descriptor 3, the step's own standard output, so that an error raised inside
# a command substitution still reaches the log (and the substitution's exit status stops the script).
exec 3>&1
action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

fail() {
  echo "::error title=trustgate action::$1" >&3
  exit 2
}

warn() {
  echo "::warning title=trustgate action::$1" >&3
}

notice() {
  echo "::notice title=trustgate action::$1" >&3
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
    if [[ "$line" =~ ^version[[:space:]]*=[[:space:]]*\"([0-9A-Za-z.+-]+)\" ]]; then
      printf '%s\n' "${BASH_REMATCH[1]}"
      return 0
    fi
  done <"$action_path/Cargo.toml"
  fail "no version in $action_path/Cargo.toml"
}

# ---------------------------------------------------------------------------------------------------------
# Install

# The release target for this runner (RUNNER_OS, RUNNER_ARCH), or nothing when no release is built for it.
release_target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
  esac
}

archive_name() {
  local version="$1" target="$2"
  case "$target" in
    *windows*) echo "trustgate-v$version-$target.zip" ;;
    *) echo "trustgate-v$version-$target.tar.gz" ;;
  esac
}

exe_name() {
  case "${RUNNER_OS:-}" in
    Windows) echo trustgate.exe ;;
    *) echo trustgate ;;
  esac
}

# The sha256 tool of this runner, as a command that takes files (or standard input) and prints sha256sum
# lines.
sha256_tool() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256_cmd=(sha256sum -b)
  elif command -v shasum >/dev/null 2>&1; then
    sha256_cmd=(shasum -a 256 -b)
  else
    fail "neither sha256sum nor shasum is available to verify the download"
  fi
}

sha256_of() {
  local out
  out="$("${sha256_cmd[@]}" "$1")"
  printf '%s\n' "${out%% *}" | tr '[:upper:]' '[:lower:]'
}

# The repository and ref of the action, from where the runner put it: .../_actions/OWNER/REPO/REF.
# Prints "OWNER/REPO REF", or nothing for a local action (uses: ./).
action_origin() {
  local path ref repo owner
  path="$(cd "$action_path" && pwd -P)"
  ref="$(basename "$path")"
  repo="$(basename "$(dirname "$path")")"
  owner="$(basename "$(dirname "$(dirname "$path")")")"
  if [ "$(basename "$(dirname "$(dirname "$(dirname "$path")")")")" = "_actions" ]; then
    printf '%s %s\n' "$owner/$repo" "$ref"
  fi
}

# A digest of the action's own files: the cache key changes with the action's commit even when the tag
# it is used by, or the version in Cargo.toml, stays the same.
action_digest() {
  local sums
  sums="$(cd "$action_path" && find action.yml Cargo.toml Cargo.lock scripts src policies -type f 2>/dev/null |
    LC_ALL=C sort | tr '\n' '\0' | xargs -0 "${sha256_cmd[@]}")"
  sums="$(printf '%s\n' "$sums" | "${sha256_cmd[@]}")"
  printf '%s\n' "${sums:0:16}"
}

# The commit (or ref) the action runs at: the ref from the action's path (a commit SHA when the workflow
# pins one), or the HEAD of a local checkout.
action_ref() {
  local origin
  origin="$(action_origin)"
  if [ -n "$origin" ]; then
    printf '%s\n' "${origin#* }"
  elif command -v git >/dev/null 2>&1 && git -C "$action_path" rev-parse HEAD >/dev/null 2>&1; then
    git -C "$action_path" rev-parse HEAD
  else
    echo local
  fi
}

cmd_resolve() {
  local version target ref
  sha256_tool
  version="$(cargo_version)"
  target="$(release_target)"
  ref="$(action_ref)"
  # Only characters a cache key and a log line can carry.
  ref="${ref//[^A-Za-z0-9._-]/_}"
  set_output version "$version"
  set_output target "$target"
  if [ -n "$target" ]; then
    set_output archive "$(archive_name "$version" "$target")"
  fi
  set_output key "trustgate-v$version-${target:-source-${RUNNER_OS:-unknown}-${RUNNER_ARCH:-unknown}}-$ref-$(action_digest)"
}

# Downloads $1 to $2; prints the HTTP status (000 when no answer came).
download() {
  local code
  code="$(curl -sS -L --retry 3 --retry-delay 1 --connect-timeout 10 --max-time 300 \
    -o "$2" -w '%{http_code}' "$1" 2>"$2.err")" || true
  printf '%s\n' "${code:-000}"
}

# The hex digest in a sha256sum line for $2 (name optional, with or without the binary-mode *).
parse_checksum() {
  local file="$1" archive="$2" line hash name
  IFS= read -r line <"$file" || true
  line="${line%$'\r'}"
  hash="${line%%[[:space:]]*}"
  name="${line#"$hash"}"
  name="${name#"${name%%[![:space:]]*}"}"
  name="${name#\*}"
  if ! [[ "$hash" =~ ^[0-9a-fA-F]{64}$ ]]; then
    return 1
  fi
  if [ -n "$name" ] && [ "$name" != "$archive" ]; then
    return 1
  fi
  printf '%s\n' "$hash" | tr '[:upper:]' '[:lower:]'
}

# Verifies the release's build provenance (GitHub artifact attestation) with gh, where gh can.
verify_provenance() {
  local file="$1" repo="$2"
  if [ -n "${TRUSTGATE_DOWNLOAD_BASE:-}" ]; then
    echo "trustgate: build provenance not checked: the archive comes from TRUSTGATE_DOWNLOAD_BASE"
    return 0
  fi
  if [ -z "$repo" ] || ! command -v gh >/dev/null 2>&1 || ! gh attestation verify --help >/dev/null 2>&1; then
    notice "build provenance not checked: this runner's gh cannot verify artifact attestations (the sha256 checksum was verified)"
    return 0
  fi
  if [ -z "${GH_TOKEN:-}" ]; then
    notice "build provenance not checked: no github-token (the sha256 checksum was verified)"
    return 0
  fi
  if ! gh attestation verify "$file" --repo "$repo" >/dev/null; then
    fail "the build provenance of $(basename "$file") does not verify against $repo; nothing was installed"
  fi
  echo "trustgate: build provenance verified (GitHub artifact attestation of $repo)"
}

# Extracts the trustgate binary at the archive's root into $3.
extract() {
  local archive="$1" exe="$2" dest="$3"
  case "$archive" in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q -o "$archive" "$exe" -d "$dest" >/dev/null 2>&1 || true
      else
        (cd "$dest" && tar -xf "$archive" "$exe") >/dev/null 2>&1 || true
      fi
      ;;
    *) tar -xzf "$archive" -C "$dest" "$exe" >/dev/null 2>&1 || true ;;
  esac
  [ -f "$dest/$exe" ] || fail "$(basename "$archive") holds no $exe at its root; nothing was installed"
  chmod +x "$dest/$exe"
}

# cargo install from the action's source, cached under $root/source with the binary's checksum.
install_from_source() {
  local root="$1" dest="$2" exe="$3"
  local built="$root/source/bin/$exe" record="$root/source/$exe.sha256"
  if [ -f "$built" ] && [ -f "$record" ] && [ "$(sha256_of "$built")" = "$(cat "$record")" ]; then
    echo "trustgate: the binary built from source was restored from the cache (sha256 verified)"
  else
    if [ -e "$built" ]; then
      warn "the cached trustgate binary does not match the checksum recorded when it was built; building it again"
    fi
    command -v cargo >/dev/null 2>&1 ||
      fail "no release binary to install, and cargo is not installed to build trustgate from source"
    rm -rf "$root/source"
    cargo install --locked --path "$action_path" --root "$root/source"
    [ -f "$built" ] || fail "cargo install did not produce $built"
    sha256_of "$built" >"$record"
  fi
  cp "$built" "$dest/$exe"
  chmod +x "$dest/$exe"
}

cmd_install() {
  sha256_tool
  local root="${TRUSTGATE_INSTALL_ROOT:?TRUSTGATE_INSTALL_ROOT is not set}"
  # action.yml passes the cache path as written for actions/cache, with a leading ~.
  root="${root/#\~/$HOME}"
  mkdir -p "$root"
  local version target exe origin repo
  version="$(cargo_version)"
  target="$(release_target)"
  exe="$(exe_name)"
  origin="$(action_origin)"
  repo="${origin%% *}"
  # The binary runs from a fresh folder of this job, never from the cache folder itself.
  local dest
  dest="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/trustgate-bin.XXXXXX")"

  local base="${TRUSTGATE_DOWNLOAD_BASE:-}"
  if [ -z "$base" ] && [ -n "$repo" ]; then
    base="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/v$version"
  fi
  base="${base%/}"

  local how
  if [ -z "$target" ]; then
    notice "no trustgate release is built for ${RUNNER_OS:-this OS} ${RUNNER_ARCH:-}; building trustgate v$version from the action's source with cargo install"
    install_from_source "$root" "$dest" "$exe"
    how="built from source"
  elif [ -z "$base" ]; then
    notice "a local action (uses: ./) has no release to download; building trustgate v$version from its source with cargo install"
    install_from_source "$root" "$dest" "$exe"
    how="built from source"
  else
    local archive tmp code expected
    archive="$(archive_name "$version" "$target")"
    tmp="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/trustgate-dl.XXXXXX")"
    code="$(download "$base/$archive.sha256" "$tmp/checksum")"
    case "$code" in
      200)
        expected="$(parse_checksum "$tmp/checksum" "$archive")" ||
          fail "$base/$archive.sha256 is not a sha256sum line for $archive; nothing was installed"
        local cached="$root/$archive"
        if [ -f "$cached" ] && [ "$(sha256_of "$cached")" = "$expected" ]; then
          echo "trustgate: $archive restored from the cache, sha256 verified against the release"
        else
          if [ -e "$cached" ]; then
            warn "the cached $archive does not match the release checksum; downloading it again"
            rm -f "$cached"
          fi
          code="$(download "$base/$archive" "$tmp/$archive")"
          [ "$code" = 200 ] ||
            fail "could not download $base/$archive (HTTP $code): $(head -c 300 "$tmp/$archive.err" 2>/dev/null)"
          local actual
          actual="$(sha256_of "$tmp/$archive")"
          if [ "$actual" != "$expected" ]; then
            rm -rf "$tmp"
            fail "checksum mismatch for $archive: the release says $expected, the download is $actual; nothing was installed"
          fi
          verify_provenance "$tmp/$archive" "$repo"
          cp "$tmp/$archive" "$cached.partial"
          mv "$cached.partial" "$cached"
          printf '%s  %s\n' "$expected" "$archive" >"$cached.sha256"
          echo "trustgate: downloaded $archive, sha256 $expected verified"
        fi
        extract "$cached" "$exe" "$dest"
        how="release $archive"
        ;;
      404)
        notice "no trustgate release v$version for $target at $base (HTTP 404); building it from the action's source with cargo install"
        install_from_source "$root" "$dest" "$exe"
        how="built from source"
        ;;
      *)
        fail "could not download $base/$archive.sha256 (HTTP $code): $(head -c 300 "$tmp/checksum.err" 2>/dev/null)"
        ;;
    esac
    rm -rf "$tmp"
  fi

  local bin="$dest/$exe" sum installed
  sum="$(sha256_of "$bin")"
  installed="$("$bin" --version 2>/dev/null)" || fail "the installed trustgate does not run"
  echo "trustgate: $installed ($how)"
  set_output bin "$bin"
  set_output sha256 "$sum"
  if [ -n "${GITHUB_PATH:-}" ]; then
    printf '%s\n' "$dest" >>"$GITHUB_PATH"
  fi
}

# ---------------------------------------------------------------------------------------------------------
# Pull-request comment

# Reads a field of the event with jq or python3; exit 3 when neither exists.
event_field() {
  local expr="$1" py="$2" event="${GITHUB_EVENT_PATH:-}"
  if [ -z "$event" ] || [ ! -f "$event" ]; then
    return 0
  fi
  if command -v jq >/dev/null 2>&1; then
    jq -r "$expr" "$event"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c "import json,sys; e=json.load(open(sys.argv[1])); $py" "$event"
  else
    return 3
  fi
}

# The pull-request number of the triggering event, or nothing; fails when the event cannot be read.
pr_number() {
  if [ -n "${TRUSTGATE_PR_NUMBER:-}" ]; then
    printf '%s\n' "$TRUSTGATE_PR_NUMBER"
    return 0
  fi
  event_field '(.pull_request.number // .issue.number // empty) | tostring' \
    'n=(e.get("pull_request") or e.get("issue") or {}).get("number"); print(n if isinstance(n,int) else "")'
}

# The REST login of the token's own account: a user token answers /user; an app token (GITHUB_TOKEN) does
# not, but answers GraphQL's viewer with the app's login, which REST shows with the "[bot]" suffix (a user's
# login cannot contain brackets, so "<name>[bot]" is always the app's).
token_login() {
  local login
  if login="$(gh api user --jq .login 2>/dev/null)" && [ -n "$login" ]; then
    printf '%s\n' "$login"
    return 0
  fi
  if login="$(gh api graphql -f 'query=query { viewer { login } }' --jq .data.viewer.login 2>/dev/null)" &&
    [ -n "$login" ]; then
    printf '%s[bot]\n' "${login%\[bot\]}"
    return 0
  fi
  if [ "${TRUSTGATE_DEFAULT_TOKEN:-}" = true ]; then
    # The workflow's own GITHUB_TOKEN writes as github-actions[bot].
    echo "github-actions[bot]"
    return 0
  fi
  return 1
}

# Creates or updates the one comment that starts with the marker and was written by the token's own
# account: a comment anyone else wrote, marker or not, is never touched nor taken for ours.
post_comment() {
  local markdown="$1" widenings="$2" pr repo id login status=0
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
  if ! login="$(token_login)"; then
    warn "could not find out which account the github-token belongs to; no pull-request comment (so none written by someone else is taken for trustgate's)"
    return 0
  fi
  if ! [[ "$login" =~ ^[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?$ ]]; then
    warn "the github-token's account has an unexpected login; no pull-request comment"
    return 0
  fi
  if ! id="$(gh api --paginate "repos/$repo/issues/$pr/comments" \
    --jq ".[] | select(.user.login == \"$login\" and (.body | startswith(\"$marker\"))) | .id")"; then
    warn "could not list the comments of pull request #$pr (does the token have pull-requests: write?)"
    return 0
  fi
  id="${id%%$'\n'*}"
  if [[ "$id" =~ ^[0-9]+$ ]]; then
    gh api --method PATCH "repos/$repo/issues/comments/$id" -F "body=@$markdown" >/dev/null ||
      warn "could not update comment $id on pull request #$pr"
  elif [ "$widenings" -gt 0 ]; then
    gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$markdown" >/dev/null ||
      warn "could not comment on pull request #$pr (a fork's pull request gets a read-only token)"
  else
    echo "trustgate: no widening and no earlier comment, nothing to post"
  fi
}

# ---------------------------------------------------------------------------------------------------------
# Paths

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

# The plan input: one entry per line, each a file or a glob (*, ?, [...], ** for any depth), relative to the
# working directory. Fills the array `plans` in the order given (a glob's matches sorted), each file once;
# a glob that matches nothing is an error (a missing file is trustgate's error).
expand_plans() {
  local input="$1" entry match
  plans=()
  local seen=$'\n'
  shopt -s globstar nullglob
  while IFS= read -r entry; do
    entry="${entry%$'\r'}"
    entry="${entry#"${entry%%[![:space:]]*}"}"
    entry="${entry%"${entry##*[![:space:]]}"}"
    [ -n "$entry" ] || continue
    local found=()
    if [[ "$entry" == *[\*\?\[]* ]]; then
      # An unquoted expansion of the pattern alone: globbing, never word splitting or other expansion.
      local IFS=
      # shellcheck disable=SC2206
      found=($entry)
      unset IFS
      [ "${#found[@]}" -gt 0 ] || fail "input plan: '$entry' matches no file in $(pwd)"
    else
      found=("$entry")
    fi
    for match in "${found[@]}"; do
      case "$seen" in
        *$'\n'"$match"$'\n'*) continue ;;
      esac
      seen+="$match"$'\n'
      plans+=("$match")
    done
  done <<<"$input"
  shopt -u globstar nullglob
}

# A SARIF run category for a plan or directory: safe characters only, "trustgate/<prefix><name>/".
category_of() {
  local name="$2$1"
  name="${name//\/.\///}"
  name="${name#./}"
  name="${name%/.}"
  name="${name%/}"
  name="${name//[^A-Za-z0-9._\/-]/_}"
  printf 'trustgate/%s/\n' "${name:-.}"
}

# A Markdown heading label for a plan path (a code span; characters that could leave it are replaced).
heading_label() {
  local name="$1"
  name="${name//[^A-Za-z0-9._\/+=@ -]/_}"
  # shellcheck disable=SC2016 # the backticks are Markdown
  printf '`%s`' "$name"
}

# Combines the per-run SARIF files (arguments: category file, ...) into one file $1 with one run each,
# each run given its automationDetails id.
combine_sarif() {
  local dest="$1"
  shift
  if command -v jq >/dev/null 2>&1; then
    local args=() i=0 filter='' runs=()
    while [ "$#" -gt 0 ]; do
      args+=(--arg "c$i" "$1" --slurpfile "s$i" "$2")
      runs+=("(\$s${i}[0].runs[] | .automationDetails = {id: \$c$i})")
      i=$((i + 1))
      shift 2
    done
    local IFS=,
    filter="\$s0[0] | .runs = [${runs[*]}]"
    unset IFS
    jq -n "${args[@]}" "$filter" >"$dest.partial"
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$@" >"$dest.partial" <<'PY'
import json, sys
args = sys.argv[1:]
out = None
runs = []
for category, path in zip(args[0::2], args[1::2]):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if out is None:
        out = doc
    for run in doc["runs"]:
        run["automationDetails"] = {"id": category}
        runs.append(run)
out["runs"] = runs
print(json.dumps(out, indent=2, ensure_ascii=False))
PY
  else
    rm -f "$dest.partial"
    return 3
  fi
  mv "$dest.partial" "$dest"
}

# ---------------------------------------------------------------------------------------------------------
# Check, diff, inventory

# Runs trustgate once ("$@" is its command line up to the report options) writing into folder $1; sets
# run_code, run_widenings, run_violations, run_approved. Annotations go to the log as they come.
run_trustgate() {
  local dir="$1"
  shift
  mkdir -p "$dir"
  local args=("$@" --color never --format github
    --output "json=$dir/trustgate.json" --output "sarif=$dir/trustgate.sarif"
    --output "markdown=$dir/trustgate.md")
  run_code=0 run_widenings="" run_violations="" run_approved=""
  local line summary_re='^trustgate: ([0-9]+) widenings?: ([0-9]+) violations?, ([0-9]+) approved$'
  # The exit code rides on an extra last line (trustgate's own lines start with :: or "trustgate: ").
  while IFS= read -r line; do
    if [[ "$line" =~ ^trustgate-exit-code=([0-9]+)$ ]]; then
      run_code="${BASH_REMATCH[1]}"
      continue
    fi
    rebase_command "$line" "$prefix"
    if [[ "$line" =~ $summary_re ]]; then
      run_widenings="${BASH_REMATCH[1]}" run_violations="${BASH_REMATCH[2]}" run_approved="${BASH_REMATCH[3]}"
    fi
  done < <(
    status=0
    "$bin" "${args[@]}" "${targets[@]}" || status=$?
    echo "trustgate-exit-code=$status"
  )
}

# The base commit: the input, else the pull request's base commit from the event, else nothing. When the
# event cannot be read: an error for mode diff ($1 = required), a warning for mode check.
base_commit() {
  local base="${INPUT_BASE:-}" status=0
  if [ -z "$base" ]; then
    base="$(event_field '.pull_request.base.sha // empty' \
      'print(((e.get("pull_request") or {}).get("base") or {}).get("sha") or "")')" || status=$?
    if [ "$status" -eq 3 ]; then
      [ "${1:-}" != required ] ||
        fail "neither jq nor python3 is available to read the pull request's base commit; set input base"
      warn "neither jq nor python3 is available to read the pull request's base commit: approvals are not compared with it; set input base"
    fi
  fi
  if [ -n "$base" ]; then
    valid_revision base "$base"
  fi
  printf '%s\n' "$base"
}

# Fails unless $2 can only be a git revision (never an option).
valid_revision() {
  [[ "$2" =~ ^[A-Za-z0-9._/~^-]+$ ]] && [[ "$2" != -* ]] || fail "input $1 '$2' is not a git revision"
}

# The base commit for diff mode, which needs one.
diff_base() {
  local base
  base="$(base_commit required)"
  [ -n "$base" ] || fail "mode diff needs a base commit: run it on a pull_request event or set input base"
  printf '%s\n' "$base"
}

# The revision of input config-ref (`base`: the base commit $1), or nothing.
config_ref() {
  local ref="${INPUT_CONFIG_REF:-}"
  case "$ref" in
    "") return 0 ;;
    base)
      [ -n "$1" ] || fail "input config-ref is base, but there is no base commit: run on a pull_request event or set input base"
      ref="$1"
      ;;
    *) valid_revision config-ref "$ref" ;;
  esac
  printf '%s\n' "$ref"
}

# Makes sure the base commit is in the (often shallow) clone: fetches it by id from origin when missing.
fetch_base() {
  local base="$1"
  command -v git >/dev/null 2>&1 || fail "comparing with the base commit $base needs git"
  if git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    return 0
  fi
  echo "trustgate: fetching the base commit $base"
  git fetch --no-tags --quiet --depth=1 origin "$base" ||
    fail "could not fetch the base commit $base from origin (is the repository checked out with actions/checkout?)"
  git rev-parse --verify --quiet "$base^{commit}" >/dev/null || fail "the base commit $base is not in this clone"
}

cmd_check() {
  bin="${TRUSTGATE_BIN:-trustgate}"
  local mode
  mode="$(printf '%s' "${INPUT_MODE:-check}" | tr '[:upper:]' '[:lower:]')"
  case "$mode" in
    check | diff | inventory) ;;
    *) fail "input mode must be check, diff or inventory, not '${INPUT_MODE:-}'" ;;
  esac
  if [ -n "${TRUSTGATE_BIN_SHA256:-}" ]; then
    sha256_tool
    local path
    path="$(command -v "$bin")" || fail "the installed trustgate is gone"
    [ "$(sha256_of "$path")" = "$TRUSTGATE_BIN_SHA256" ] ||
      fail "the trustgate binary changed after the install step verified it; not running it"
  fi
  local dir="${INPUT_WORKING_DIRECTORY:-.}"
  cd "$dir" || fail "working-directory $dir does not exist"

  local out
  out="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/trustgate.XXXXXX")"
  local sarif="${INPUT_SARIF_FILE:-trustgate.sarif}"
  mkdir -p "$(dirname "$sarif")"
  sarif="$(cd "$(dirname "$sarif")" && pwd)/$(basename "$sarif")"

  local common=() accounts=() orgs=() id
  split_list "${INPUT_ACCOUNTS:-}" accounts
  split_list "${INPUT_ORGANIZATIONS:-}" orgs
  for id in ${accounts[@]+"${accounts[@]}"}; do common+=(--account "$id"); done
  for id in ${orgs[@]+"${orgs[@]}"}; do common+=(--org "$id"); done
  if [ -n "${INPUT_CONFIG:-}" ]; then common+=(--config "$INPUT_CONFIG"); fi

  if ! prefix="$(workspace_prefix)"; then
    warn "locations stay relative to the working directory: its path needs encoding in a URI"
    prefix=""
  fi

  if [ "$mode" = inventory ]; then
    run_inventory "$out" "${common[@]+"${common[@]}"}"
  fi

  # Each run: a label (plan path or directory), its folder, its SARIF category.
  local labels=() folders=() categories=()
  local code=0 widenings=0 violations=0 approved=0 failed=()
  if [ "$mode" = check ]; then
    [ -n "${INPUT_PLAN:-}" ] || fail "input plan is required in mode check"
    expand_plans "$INPUT_PLAN"
    # On a pull request, approvals are compared with its base (check --base), and the config can come
    # from there (config-ref).
    local check_base ref
    check_base="$(base_commit)"
    ref="$(config_ref "$check_base")"
    if [ -n "$check_base" ]; then
      fetch_base "$check_base"
      common+=(--base "$check_base")
    fi
    if [ -n "$ref" ]; then
      fetch_base "$ref"
      common+=(--config-ref "$ref")
    fi
    local i=0 plan
    for plan in "${plans[@]}"; do
      # After --, a plan named like an option is still a plan.
      targets=(-- "$plan")
      run_trustgate "$out/$i" check ${common[@]+"${common[@]}"}
      labels+=("$plan") folders+=("$out/$i") categories+=("$(category_of "$plan" "$prefix")")
      collect "$plan"
      i=$((i + 1))
    done
  else
    local base ref
    base="$(diff_base)"
    fetch_base "$base"
    ref="$(config_ref "$base")"
    if [ -n "$ref" ]; then
      fetch_base "$ref"
      common+=(--config-ref "$ref")
    fi
    targets=(-- .)
    run_trustgate "$out/0" diff --base "$base" ${common[@]+"${common[@]}"}
    labels+=(".") folders+=("$out/0") categories+=("$(category_of "$prefix" "diff/")")
    collect "diff against $base"
  fi

  set_output exit-code "$code"
  if [ "${#failed[@]}" -gt 0 ]; then
    fail "trustgate could not check ${failed[*]}; see the error above"
  fi

  # SARIF: one run per plan, each with its own category, locations relative to the repository root.
  local sarif_args=() k
  for k in "${!folders[@]}"; do
    rebase_sarif "${folders[$k]}/trustgate.sarif" "$prefix"
    sarif_args+=("${categories[$k]}" "${folders[$k]}/trustgate.sarif")
  done
  local combined=0
  combine_sarif "$sarif" "${sarif_args[@]}" || combined=$?
  if [ "$combined" -ne 0 ]; then
    [ "${#folders[@]}" -eq 1 ] || fail "neither jq nor python3 is available to combine the SARIF of several plans"
    warn "neither jq nor python3 is available: the SARIF run has no automationDetails category"
    cp "${folders[0]}/trustgate.sarif" "$sarif"
  fi

  # Markdown: one plan as trustgate wrote it; several, each under its own heading in one comment.
  local markdown="$out/trustgate.md"
  if [ "${#folders[@]}" -eq 1 ]; then
    cp "${folders[0]}/trustgate.md" "$markdown"
  else
    combine_markdown "$markdown" "$widenings" "$violations"
  fi

  set_output widenings "$widenings"
  set_output violations "$violations"
  set_output approved "$approved"
  set_output sarif-file "$sarif"
  if [ "${#folders[@]}" -eq 1 ]; then
    set_output json-file "${folders[0]}/trustgate.json"
  fi
  set_output markdown-file "$markdown"
  set_output reports-dir "$out"

  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$markdown" >>"$GITHUB_STEP_SUMMARY"
  fi
  if flag comment "${INPUT_COMMENT:-true}"; then
    post_comment "$markdown" "$widenings"
  fi
  if [ "$code" -eq 1 ] && flag fail-on-violation "${INPUT_FAIL_ON_VIOLATION:-true}"; then
    echo "trustgate: $violations violation(s) block this change"
    exit 1
  fi
  exit 0
}

# Adds the last run's counts to the totals of cmd_check (dynamic scope); a run that could not check is
# remembered by its label.
collect() {
  if { [ "$run_code" -ne 0 ] && [ "$run_code" -ne 1 ]; } || [ -z "$run_widenings" ]; then
    failed+=("$1 (exit $run_code)")
    code=2
    return 0
  fi
  widenings=$((widenings + run_widenings))
  violations=$((violations + run_violations))
  approved=$((approved + run_approved))
  if [ "$run_code" -gt "$code" ]; then code="$run_code"; fi
}

# Several plans in one comment: an overview line, then each plan's report under its own heading (its
# marker line dropped), as many as fit GitHub's comment limit; the rest are named with their counts.
combine_markdown() {
  local dest="$1" widenings="$2" violations="$3" limit=65000 k
  {
    echo "$marker"
    if [ "$violations" -gt 0 ]; then
      echo "## trustgate: ${#folders[@]} plans, $violations violation(s) in $widenings widening(s)"
    else
      echo "## trustgate: ${#folders[@]} plans, nothing to block ($widenings widening(s))"
    fi
    echo
  } >"$dest"
  for k in "${!folders[@]}"; do
    local section
    section="$(
      printf '## %s\n\n' "$(heading_label "${labels[$k]}")"
      sed '1{/^<!-- trustgate -->$/d;}' "${folders[$k]}/trustgate.md"
      echo
    )"
    if [ $(($(wc -c <"$dest") + ${#section})) -gt "$limit" ]; then
      printf '## %s\n\nThis plan'"'"'s report did not fit in the comment; read it in the job summary or the SARIF.\n\n' \
        "$(heading_label "${labels[$k]}")" >>"$dest"
    else
      printf '%s\n\n' "$section" >>"$dest"
    fi
  done
}

# Inventory mode: `trustgate inventory` over the plan input's state or plan files, Markdown to the job
# summary, JSON beside it; exit 1 (something expired, invalid or unannotated) fails the step unless
# fail-on-violation is false.
run_inventory() {
  local out="$1"
  shift
  if ! "$bin" inventory --help >/dev/null 2>&1; then
    fail "mode inventory needs the 'trustgate inventory' command, which this trustgate ($("$bin" --version 2>/dev/null || echo unknown)) does not have"
  fi
  [ -n "${INPUT_PLAN:-}" ] || fail "input plan (the state or plan files to inventory) is required in mode inventory"
  expand_plans "$INPUT_PLAN"
  local status=0
  "$bin" inventory "$@" --color never --format markdown --output "json=$out/inventory.json" \
    -- "${plans[@]}" >"$out/inventory.md" || status=$?
  set_output exit-code "$status"
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    fail "trustgate could not take the inventory of ${plans[*]} (exit $status); see the error above"
  fi
  set_output json-file "$out/inventory.json"
  set_output markdown-file "$out/inventory.md"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$out/inventory.md" >>"$GITHUB_STEP_SUMMARY"
  fi
  if [ "$status" -eq 1 ] && flag fail-on-violation "${INPUT_FAIL_ON_VIOLATION:-true}"; then
    echo "trustgate: the inventory has expired, invalid or unannotated trust paths"
    exit 1
  fi
  exit 0
}

case "${1:-check}" in
  resolve | cache-key) cmd_resolve ;;
  install) cmd_install ;;
  check) cmd_check ;;
  *) fail "unknown command ${1:-}" ;;
esac
