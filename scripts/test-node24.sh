#!/usr/bin/env bash
# Tests scripts/node24.sh the way .ci/run uses it: sourced by a child bash under `set -euo pipefail`.
# Three cases, each checked by `node --version` afterwards:
#   1. an empty cache (a temporary N8N_NODES_COMMVAULT_CACHE): it installs Node 24 and puts it on PATH;
#   2. that cache again: it uses the cached Node 24 without installing;
#   3. Node 24 already running: it changes nothing.
# Cases 1 and 2 put a stand-in `node` first on PATH that reports v20 for `--version` (and runs the real
# node for anything else, so npm still works), so they hold on a machine whose own node is already 24.
# Runs before `npm ci` in .ci/run; needs only bash, a node and npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

real_node="$(command -v node)" || {
	echo "test-node24: no node on PATH" >&2
	exit 1
}
mkdir -p "$work/old-node"
cat >"$work/old-node/node" <<EOF
#!/usr/bin/env bash
if [ "\${1:-}" = "--version" ]; then echo v20.0.0; else exec "$real_node" "\$@"; fi
EOF
chmod +x "$work/old-node/node"
cache="$work/cache"
failures=0

# Sources node24.sh in a child bash under set -euo pipefail; prints "<node --version> <marker>".
run_case() {
	local path="$1"
	# The caller's environment is kept (npm may need its proxy and CA settings); npm_config_nodedir is
	# dropped so that each case shows what node24.sh itself exports.
	env -u npm_config_nodedir PATH="$path" N8N_NODES_COMMVAULT_CACHE="$cache" bash -c '
		set -euo pipefail
		source "$1/node24.sh" 2>"$2/stderr"
		echo "$(node --version) $(grep -c "installing Node 24" "$2/stderr" || true)"
	' _ "$here" "$work"
}

check() {
	local name="$1" got="$2" want="$3"
	if [[ "$got" =~ $want ]]; then
		echo "ok   $name: $got"
	else
		echo "FAIL $name: got '$got', want /$want/" >&2
		cat "$work/stderr" >&2 || true
		failures=$((failures + 1))
	fi
}

old_path="$work/old-node:$PATH"
check "empty cache installs Node 24" "$(run_case "$old_path" || echo "exit $?")" '^v24\.[0-9.]+ 1$'
check "cached Node 24 is used, nothing installed" "$(run_case "$old_path" || echo "exit $?")" '^v24\.[0-9.]+ 0$'
node24_bin="$(dirname "$(ls -d "$cache"/node24/node_modules/node/node_modules/node-*/bin/node | head -1)")"
cache="$work/untouched-cache"
check "Node 24 already running: nothing installed, nothing changed" \
	"$(run_case "$node24_bin:$PATH" || echo "exit $?")" '^v24\.[0-9.]+ 0$'
[ ! -e "$cache" ] || check "Node 24 already running leaves the cache alone" "cache created" '^$'

if [ "$failures" -gt 0 ]; then
	echo "test-node24: $failures check(s) failed" >&2
	exit 1
fi
echo "test-node24: 3 cases passed"
