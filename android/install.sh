#!/bin/sh
# pocketgate for Termux, offline: installs the bundled server (pocketgate.mjs) from a release
# folder or tarball with a `pocketgate` command, then runs `pocketgate service install` (a
# termux-services service, a Termux:Boot script and a Termux:Widget shortcut; secrets made and
# printed on the first install; started and checked). Safe to run again (it upgrades).
# With Node 22 and npm, `npm install -g pocketgate && pocketgate service install` does the same.
#
#   sh install.sh                              the folder this script is in (or ../dist)
#   sh install.sh ~/storage/downloads/pocketgate-termux.tar.gz
#   POCKETGATE_RUNTIME=bun sh install.sh       prefer Bun over Node
set -eu

PREFIX="${PREFIX:-/data/data/com.termux/files/usr}"
: "${HOME:?HOME is not set}"
# Termux's temporary folder is inside its prefix (Android has none at the root).
TMPDIR="${TMPDIR:-$PREFIX/tmp}"
export SVDIR="$PREFIX/var/service"

say() { printf '%s\n' "$*"; }
die() {
  printf 'pocketgate install: %s\n' "$*" >&2
  exit 1
}

# Writes stdin to a file in one step (temp file, then rename) with the given mode.
put() {
  mkdir -p "$(dirname "$1")"
  cat >"$1.new"
  chmod "$2" "$1.new"
  mv -f "$1.new" "$1"
}

# --- the bundle --------------------------------------------------------------------------
here=$(cd "$(dirname "$0")" && pwd)
source="${1:-}"
if [ -z "$source" ]; then
  for candidate in "$here" "$here/../dist" "$PWD"; do
    if [ -f "$candidate/pocketgate.mjs" ]; then
      source="$candidate"
      break
    fi
  done
  [ -n "$source" ] || die "no pocketgate.mjs next to install.sh; pass the release folder or pocketgate-termux.tar.gz"
fi
work=""
trap '[ -z "$work" ] || rm -rf "$work"' EXIT
case "$source" in
*.tar.gz | *.tgz)
  [ -f "$source" ] || die "$source does not exist"
  mkdir -p "$TMPDIR"
  work=$(mktemp -d "$TMPDIR/pocketgate-install.XXXXXX")
  tar -xzf "$source" -C "$work" || die "cannot unpack $source"
  bundle="$work/pocketgate-termux/pocketgate.mjs"
  [ -f "$bundle" ] || bundle="$work/pocketgate.mjs"
  ;;
*)
  if [ -d "$source" ]; then bundle="$source/pocketgate.mjs"; else bundle="$source"; fi
  ;;
esac
[ -f "$bundle" ] || die "no pocketgate.mjs in $source"

# --- the runtime: Node >= 22, else Bun ---------------------------------------------------
node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
  [ "$major" -ge 22 ] 2>/dev/null
}
case "${POCKETGATE_RUNTIME:-auto}" in
node) node_ok || die "Node.js 22 or newer is needed: pkg install nodejs-lts" ;;
bun) command -v bun >/dev/null 2>&1 || die "Bun is not installed: pkg install bun" ;;
auto) ;;
*) die "POCKETGATE_RUNTIME must be node or bun" ;;
esac
if [ "${POCKETGATE_RUNTIME:-auto}" != bun ] && node_ok; then
  runtime=$(command -v node)
elif command -v bun >/dev/null 2>&1; then
  runtime=$(command -v bun)
else
  die "pocketgate needs Node.js 22 or newer, or Bun: pkg install nodejs-lts   (or: pkg install bun)"
fi

# --- files -------------------------------------------------------------------------------
share="$PREFIX/share/pocketgate"
mkdir -p "$share" "$PREFIX/bin"
put "$share/pocketgate.mjs" 644 <"$bundle"
[ ! -f "$(dirname "$bundle")/VERSION" ] || put "$share/VERSION" 644 <"$(dirname "$bundle")/VERSION"

put "$PREFIX/bin/pocketgate" 755 <<EOF
#!$PREFIX/bin/sh
# pocketgate, installed by android/install.sh ($(basename "$runtime")).
exec "$runtime" "$share/pocketgate.mjs" "\$@"
EOF

# --- the service, the boot script, the widget, first-run secrets, start ------------------
# The same code as `pocketgate service install` after `npm install -g pocketgate`.
say "pocketgate is installed: $PREFIX/bin/pocketgate runs $share/pocketgate.mjs with $runtime."
say "(To remove it later: sh $here/uninstall.sh; --purge also deletes its data.)"
"$PREFIX/bin/pocketgate" service install --kind termux || die "the service was not set up (see above); the pocketgate command is installed"
