#!/bin/sh
# pocketgate for Termux. Installs the bundled server (pocketgate.mjs) with a `pocketgate`
# command, a termux-services service, a Termux:Boot script and a Termux:Widget shortcut, then
# starts it. Works offline from a release folder or tarball; safe to run again (it upgrades).
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
service="$SVDIR/pocketgate"
logs="$PREFIX/var/log/sv/pocketgate"
mkdir -p "$share" "$PREFIX/bin" "$logs"
put "$share/pocketgate.mjs" 644 <"$bundle"
[ ! -f "$(dirname "$bundle")/VERSION" ] || put "$share/VERSION" 644 <"$(dirname "$bundle")/VERSION"

put "$PREFIX/bin/pocketgate" 755 <<EOF
#!$PREFIX/bin/sh
# pocketgate, installed by android/install.sh ($(basename "$runtime")).
exec "$runtime" "$share/pocketgate.mjs" "\$@"
EOF

put "$service/run" 755 <<EOF
#!$PREFIX/bin/sh
# Run by termux-services (runsv), restarted if it stops; output goes to log/run.
exec 2>&1
exec "$PREFIX/bin/pocketgate"
EOF
put "$service/log/run" 755 <<EOF
#!$PREFIX/bin/sh
exec svlogd -tt "$logs"
EOF

put "$HOME/.termux/boot/pocketgate" 755 <<EOF
#!$PREFIX/bin/sh
# Termux:Boot runs this when the phone starts: keep the CPU awake, start the services.
export SVDIR="$SVDIR"
termux-wake-lock
[ ! -f "$PREFIX/etc/profile.d/start-services.sh" ] || . "$PREFIX/etc/profile.d/start-services.sh"
sv up pocketgate 2>/dev/null || nohup "$PREFIX/bin/pocketgate" >>"$PREFIX/var/log/pocketgate.log" 2>&1 &
EOF

put "$HOME/.shortcuts/tasks/pocketgate" 755 <<EOF
#!$PREFIX/bin/sh
# Termux:Widget: (re)start pocketgate and open its admin app.
export SVDIR="$SVDIR"
termux-wake-lock
sv restart pocketgate 2>/dev/null || nohup "$PREFIX/bin/pocketgate" >>"$PREFIX/var/log/pocketgate.log" 2>&1 &
port=\$(sed -n 's/^port *= *\([0-9][0-9]*\).*/\1/p' "$HOME/.config/pocketgate/pocketgate.toml" 2>/dev/null)
sleep 2
termux-open-url "http://127.0.0.1:\${port:-8484}/"
EOF

# --- first run: make the secrets here, in the terminal, not in the service log -----------
config="${XDG_CONFIG_HOME:-$HOME/.config}/pocketgate/pocketgate.toml"
if [ ! -f "$config" ]; then
  "$PREFIX/bin/pocketgate" init || die "pocketgate init failed (see above)"
fi

# --- start (or restart, to run the new version) ------------------------------------------
command -v termux-wake-lock >/dev/null 2>&1 && termux-wake-lock || true
started=""
if command -v sv >/dev/null 2>&1; then
  # runsvdir notices a new service within a few seconds.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    if sv restart pocketgate >/dev/null 2>&1; then
      started="termux-services"
      break
    fi
    sleep 1
  done
fi
if [ -z "$started" ]; then
  say "termux-services is not running: starting pocketgate in the background this once."
  say "For restarts and start at boot: pkg install termux-services, restart Termux, run this again."
  nohup "$PREFIX/bin/pocketgate" >>"$PREFIX/var/log/pocketgate.log" 2>&1 &
  started="background"
fi

port="${POCKETGATE_PORT:-$(sed -n 's/^port *= *\([0-9][0-9]*\).*/\1/p' "$config" 2>/dev/null || true)}"
url="http://127.0.0.1:${port:-8484}"
healthy=""
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  if "$runtime" -e "fetch('$url/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" 2>/dev/null; then
    healthy=yes
    break
  fi
  sleep 1
done

say ""
say "pocketgate $(cat "$share/VERSION" 2>/dev/null || echo "") installed with $($runtime --version 2>/dev/null | head -n 1) ($started)."
if [ -n "$healthy" ]; then say "It is running: $url/health answers."; else say "It did not answer yet; see $logs/current"; fi
say "  Admin app:      $url/  (open it in Chrome, then Add to Home screen)"
say "  SillyTavern:    Chat Completion → Claude → Reverse proxy $url/v1, Proxy password = your client key"
say "  Logs:           $logs/current"
say "  Check it:       pocketgate doctor"
say "  Remove it:      sh $here/uninstall.sh   (keeps your data; --purge removes it too)"
