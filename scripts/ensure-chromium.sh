#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser check (test/e2e/browser.e2e.test.ts),
# which drives it with playwright-core (Playwright's own browser download does not work here).
# Prints the browser's path. Installs with apt-get when missing (root, or sudo without a password).
set -euo pipefail
# apt-get's dpkg needs ldconfig and friends from the sbin folders, which a CI PATH may leave out.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
	echo "$CHROMIUM"
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO=(sudo -n)
else
	echo "ensure-chromium: $CHROMIUM is missing and apt-get needs root: run 'sudo apt-get install -y chromium'" >&2
	exit 1
fi

echo "ensure-chromium: installing Debian's chromium with apt-get (about a minute)…" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >&2
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >&2
if [ ! -x "$CHROMIUM" ]; then
	echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
	exit 1
fi
echo "$CHROMIUM"
