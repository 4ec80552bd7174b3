#!/usr/bin/env bash
# Usage: scripts/setup-skills.sh [BUILD_DIR|PREFIX] [--force] — installs the default skills into ${MAESTRO_HOME:-~/.agents-ui}/maestro-skills.
# Idempotent: an up-to-date copy is left alone; a copy that differs is kept unless --force.
# Reads BUILD_DIR/skills/<id> (a build tree, default ./build) or PREFIX/share/maestro/skills/<id>.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
skills=(maestro-cli maestro-worker maestro-orchestrator)
source_dir=""
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n 2,4p "$0"; exit 0 ;;
    -*) echo "usage: $0 [BUILD_DIR|PREFIX] [--force]" >&2; exit 64 ;;
    *) source_dir="$arg" ;;
  esac
done
source_dir="${source_dir:-$root/build}"

if [[ -f "$source_dir/skills/maestro-cli/manifest.json" ]]; then
  from="$source_dir/skills"
elif [[ -f "$source_dir/share/maestro/skills/maestro-cli/manifest.json" ]]; then
  from="$source_dir/share/maestro/skills"
else
  echo "setup-skills: no built skills in $source_dir (build first: scripts/build.sh)" >&2
  exit 66
fi

home="${MAESTRO_HOME:-$HOME/.agents-ui}"
target="$home/maestro-skills"
# Created by the invoking user for that user only, as the server creates them; existing ones keep
# their mode (mkdir -m applies only to what it creates). The server refuses a home, and skills,
# that others can write.
mkdir -p -m 0700 "$home"
mkdir -p -m 0700 "$target"

# True when folder $2 holds exactly the files of folder $1, byte for byte.
same_files() {
  local a="$1" b="$2" f
  [[ -d "$b" ]] || return 1
  [[ "$(cd "$a" && ls -A)" == "$(cd "$b" && ls -A)" ]] || return 1
  for f in "$a"/*; do cmp -s "$f" "$b/$(basename "$f")" || return 1; done
}

for id in "${skills[@]}"; do
  src="$from/$id"
  dest="$target/$id"
  [[ -f "$src/manifest.json" ]] || { echo "setup-skills: $src/manifest.json is missing" >&2; exit 66; }
  if same_files "$src" "$dest"; then
    echo "setup-skills: $id is up to date"
    continue
  fi
  if [[ -e "$dest" && $force -eq 0 ]]; then
    echo "setup-skills: $dest exists and differs; kept (use --force to overwrite)"
    continue
  fi
  # Staged in a dot-folder, which the server's watcher ignores, then moved into place, so the
  # server never loads a half-copied skill.
  staging="$target/.staging-$id-$$"
  rm -rf "$staging"
  install -d -m 0755 "$staging"
  for f in "$src"/*; do
    case "$f" in
      *.so) install -m 0755 "$f" "$staging/" ;;
      *) install -m 0644 "$f" "$staging/" ;;
    esac
  done
  if [[ -e "$dest" ]]; then
    mv "$dest" "$target/.old-$id-$$"
    mv "$staging" "$dest"
    rm -rf "$target/.old-$id-$$"
  else
    mv "$staging" "$dest"
  fi
  echo "setup-skills: installed $id into $dest"
done
