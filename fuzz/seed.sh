#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from the repository's test data and the shared corpus:
#   fuzz/corpus/plan    plans and states (testdata/, ../shared/corpus/plans and states), up to 128 KiB each
#   fuzz/corpus/policy  policy pairs "old NUL new" from the policy vectors, and policy documents found in plans
#   fuzz/corpus/hcl     one input per directory of .tf files, its files joined with "#@file PATH" markers
#   fuzz/corpus/config  .trustgate.hcl files and catalogs (testdata/, policies/)
# Seeds are named by content hash (as libFuzzer names what it adds), so running it twice adds nothing.
# Nothing here is committed (fuzz/.gitignore): the seeds are made from files that are.
#
# Usage: fuzz/seed.sh [OUT_DIR]   (default fuzz/corpus). The shared corpus is read from ../shared/corpus
# beside the repository, or from $TRUSTGATE_SHARED_CORPUS; without it only testdata/ seeds are made.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/fuzz/corpus}
shared=${TRUSTGATE_SHARED_CORPUS:-$repo/../shared/corpus}
max_plan_bytes=131072

mkdir -p "$out"/{plan,policy,hcl,config}

# put TARGET < data: stores standard input as one seed of TARGET.
put() {
  local tmp
  tmp=$(mktemp "$out/$1/.seed.XXXXXX")
  cat >"$tmp"
  if [ -s "$tmp" ]; then
    mv "$tmp" "$out/$1/$(sha1sum "$tmp" | cut -c1-40)"
  else
    rm -f "$tmp"
  fi
}

plan_files() {
  find "$repo/testdata" -name '*.json' -not -path '*/schemas/*' -type f
  if [ -d "$shared" ]; then
    find "$shared/plans" "$shared/states" -name '*.json' -type f 2>/dev/null
  fi
}

vector_files() {
  ls "$repo/testdata/policy-vectors.jsonl"
  if [ -f "$shared/policy-vectors.jsonl" ]; then
    echo "$shared/policy-vectors.jsonl"
  fi
}

if [ ! -d "$shared" ]; then
  echo "seed: no shared corpus at $shared; seeding from testdata/ only" >&2
fi

# Plans and states.
while IFS= read -r file; do
  if [ "$(wc -c <"$file")" -le "$max_plan_bytes" ]; then
    put plan <"$file"
  fi
done < <(plan_files)

# Policies: each vector as "old NUL new" and as "new" alone; every string in a plan that is a policy document.
mapfile -t policy_sources < <(vector_files; plan_files)
python3 - "$out/policy" "${policy_sources[@]}" <<'PY'
import hashlib, json, os, sys

out = sys.argv[1]

def put(data: bytes):
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

def text(policy):
    return policy if isinstance(policy, str) else json.dumps(policy, indent=1)

def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)

found = 0
for path in sys.argv[2:]:
    if path.endswith(".jsonl"):
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            vector = json.loads(line)
            old, new = vector.get("old"), vector.get("new")
            if new is None:
                continue
            put(text(new).encode())
            if old is not None:
                put(text(old).encode() + b"\0" + text(new).encode())
        continue
    try:
        raw = open(path, "rb").read()
        document = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        continue
    for value in strings(document):
        if '"Statement"' in value and found < 400:
            put(value.encode())
            found += 1
PY

# HCL: each directory of .tf files with what is below it (modules, tfvars), as one input.
while IFS= read -r dir; do
  (
    cd "$dir"
    first=1
    find . -maxdepth 4 -type f \( -name '*.tf' -o -name '*.tfvars' -o -name '*.tf.json' -o -name '*.tfvars.json' \) |
      sed 's|^\./||' | LC_ALL=C sort | head -n 16 | while IFS= read -r file; do
        if [ "$first" = 1 ] && [ "$file" = main.tf ]; then
          first=0
        else
          first=0
          printf '#@file %s\n' "$file"
        fi
        cat "$file"
        printf '\n'
      done
  ) | put hcl
done < <(find "$repo/testdata" -name '*.tf' -type f -printf '%h\n' | LC_ALL=C sort -u)

# Settings files: configs and catalogs.
while IFS= read -r file; do
  put config <"$file"
done < <(find "$repo/testdata" "$repo/policies" -name '*.hcl' -type f)

for target in plan policy hcl config; do
  echo "seed: $target: $(find "$out/$target" -type f | wc -l) inputs in $out/$target"
done
