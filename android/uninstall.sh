#!/bin/sh
# Removes what android/install.sh put in place. The data folder (config with the client key,
# the database with keys and usage) stays unless --purge is given.
#
#   sh uninstall.sh            remove pocketgate, keep ~/.config/pocketgate
#   sh uninstall.sh --purge    remove that too
set -eu

PREFIX="${PREFIX:-/data/data/com.termux/files/usr}"
: "${HOME:?HOME is not set}"
export SVDIR="$PREFIX/var/service"
data="${XDG_CONFIG_HOME:-$HOME/.config}/pocketgate"

purge=""
case "${1:-}" in
--purge) purge=yes ;;
"") ;;
*)
  printf 'usage: sh uninstall.sh [--purge]\n' >&2
  exit 2
  ;;
esac

# The service, boot script and widget shortcut: the same code as `pocketgate service uninstall`.
if [ -x "$PREFIX/bin/pocketgate" ] && "$PREFIX/bin/pocketgate" service uninstall --kind termux >/dev/null 2>&1; then
  :
else
  # The runtime is gone (Node or Bun uninstalled): remove the same files by hand.
  if command -v sv >/dev/null 2>&1 && [ -d "$SVDIR/pocketgate" ]; then sv down pocketgate >/dev/null 2>&1 || true; fi
  rm -rf "$SVDIR/pocketgate" "$PREFIX/var/log/sv/pocketgate"
  rm -f "$HOME/.termux/boot/pocketgate" "$HOME/.shortcuts/tasks/pocketgate"
  for dir in "$HOME/.termux/boot" "$HOME/.shortcuts/tasks" "$HOME/.shortcuts" "$PREFIX/var/log/sv"; do
    rmdir "$dir" 2>/dev/null || true
  done
fi
# What install.sh itself put in place.
rm -rf "$PREFIX/share/pocketgate"
rm -f "$PREFIX/bin/pocketgate" "$PREFIX/var/log/pocketgate.log"

if [ -n "$purge" ]; then
  rm -rf "$data"
  printf 'pocketgate removed, with its data (%s).\n' "$data"
else
  printf 'pocketgate removed. Your data is kept in %s (sh uninstall.sh --purge removes it).\n' "$data"
fi
