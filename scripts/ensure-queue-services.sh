#!/usr/bin/env bash
# Redis and PostgreSQL for n8n's queue mode (the queue-mode end-to-end suite, test/e2e/queue), from
# Debian's packages, on loopback, in a state folder of their own. Idempotent: what is missing is
# installed, what is not running is started, and services already running from this folder are reused.
#
#   scripts/ensure-queue-services.sh start     install when missing, start (or reuse); prints KEY=VALUE lines:
#                                              REDIS_HOST, REDIS_PORT, REDIS_STATUS=started|reused,
#                                              PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_STATUS=started|reused
#   scripts/ensure-queue-services.sh stop [redis|postgres|all]   stop the services of the state folder
#   scripts/ensure-queue-services.sh status    what runs
#   scripts/ensure-queue-services.sh install   only the apt-get part
#   scripts/ensure-queue-services.sh createdb NAME | dropdb NAME   a database owned by the n8n role
#
# Settings (environment): QUEUE_SERVICES_DIR (default ${TMPDIR:-/tmp}/n8n-nodes-commvault-queue-services),
# QUEUE_REDIS_PORT (default 6399), QUEUE_PG_PORT (default 5439). Both listen on 127.0.0.1 only.
#
# PostgreSQL refuses to run as root: as root, initdb/pg_ctl/psql run as the `postgres` user (runuser).
# The cluster is for tests: fsync and synchronous_commit are off. The n8n role logs in with a password
# over TCP (scram-sha-256); the postgres superuser only over the Unix socket in the state folder.
# Nothing here touches Debian's own cluster (/var/lib/postgresql) or a system Redis.
set -euo pipefail
# runuser, and the PostgreSQL and Redis tools apt installs, may live in sbin folders a CI PATH leaves out.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

STATE_DIR="${QUEUE_SERVICES_DIR:-${TMPDIR:-/tmp}/n8n-nodes-commvault-queue-services}"
REDIS_PORT="${QUEUE_REDIS_PORT:-6399}"
PG_PORT="${QUEUE_PG_PORT:-5439}"
PG_USER=n8n
PG_PASSWORD=n8n-queue-e2e
HOST=127.0.0.1

REDIS_DIR="$STATE_DIR/redis"
PG_DATA="$STATE_DIR/pgdata"
PG_SOCKET="$STATE_DIR/pg-socket"
PG_LOG="$STATE_DIR/postgresql.log"

log() { echo "ensure-queue-services: $*" >&2; }
die() {
	log "$*"
	exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as the owner of the PostgreSQL cluster (postgres when we are root).
as_pg() {
	if is_root; then
		# From /, which the postgres user can read (it may not be allowed into the caller's folder).
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

pg_bin_dir() {
	local dir
	dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
	if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
		echo "$dir"
		return 0
	fi
	return 1
}

have_redis() { command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; }
have_pg() { pg_bin_dir >/dev/null && command -v psql >/dev/null 2>&1; }

cmd_install() {
	local packages=()
	have_redis || packages+=(redis-server)
	have_pg || packages+=(postgresql)
	[ ${#packages[@]} -eq 0 ] && return 0

	local sudo=()
	if ! is_root; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		else
			die "${packages[*]} missing and apt-get needs root: run 'sudo apt-get install -y ${packages[*]}'"
		fi
	fi
	log "installing ${packages[*]} with apt-get (Debian packages; about a minute)…"
	# Debian's packages start their own services on install unless policy-rc.d says no; we start
	# ours in the state folder instead, so keep theirs from starting (and put things back after).
	local policy=/usr/sbin/policy-rc.d added_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
		"${sudo[@]}" chmod 755 "$policy"
		added_policy=1
	fi
	local status=0
	{
		export DEBIAN_FRONTEND=noninteractive
		"${sudo[@]}" apt-get update -qq >&2 &&
			"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
	} || status=$?
	[ "$added_policy" -eq 1 ] && "${sudo[@]}" rm -f "$policy"
	[ "$status" -eq 0 ] || die "apt-get install ${packages[*]} failed (exit $status)"
	have_redis || die "apt-get finished but redis-server/redis-cli are still missing"
	have_pg || die "apt-get finished but PostgreSQL's initdb/psql are still missing"
}

redis_up() { redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
pg_up() { local bin; bin="$(pg_bin_dir)" && "$bin/pg_isready" -q -h "$HOST" -p "$PG_PORT" 2>/dev/null; }

port_taken() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

start_redis() {
	if redis_up; then
		echo reused
		return 0
	fi
	port_taken "$REDIS_PORT" && die "port $REDIS_PORT is taken by something that is not Redis; set QUEUE_REDIS_PORT"
	mkdir -p "$REDIS_DIR"
	redis-server --bind "$HOST" --port "$REDIS_PORT" --protected-mode yes \
		--daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --dir "$REDIS_DIR" \
		--save '' --appendonly no >&2
	local i
	for i in $(seq 1 100); do
		redis_up && {
			echo started
			return 0
		}
		sleep 0.1
	done
	die "Redis did not answer on $HOST:$REDIS_PORT; see $REDIS_DIR/redis.log"
}

psql_admin() {
	as_pg "$(pg_bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$PG_PORT" -U postgres -d postgres "$@"
}

start_postgres() {
	local bin
	bin="$(pg_bin_dir)" || die "PostgreSQL's initdb is missing under /usr/lib/postgresql/*/bin"
	if pg_up; then
		[ -f "$PG_DATA/PG_VERSION" ] || die "a PostgreSQL that is not ours answers on $HOST:$PG_PORT; set QUEUE_PG_PORT"
		echo reused
		return 0
	fi
	port_taken "$PG_PORT" && die "port $PG_PORT is taken by something that is not PostgreSQL; set QUEUE_PG_PORT"
	mkdir -p "$STATE_DIR"
	chmod 755 "$STATE_DIR"
	mkdir -p "$PG_SOCKET"
	touch "$PG_LOG"
	if is_root; then chown postgres:postgres "$PG_SOCKET" "$PG_LOG"; fi
	if [ ! -f "$PG_DATA/PG_VERSION" ]; then
		rm -rf "$PG_DATA"
		mkdir -p "$PG_DATA"
		if is_root; then chown postgres:postgres "$PG_DATA"; fi
		local pwfile
		pwfile="$(mktemp)"
		# initdb wants a superuser password when host auth is scram; it is never used (socket = trust).
		head -c 24 /dev/urandom | base64 >"$pwfile"
		if is_root; then chown postgres "$pwfile"; fi
		as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" \
			--auth-local=trust --auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C.UTF-8 >&2
		rm -f "$pwfile"
	fi
	# Stale pid file from a killed session: pg_ctl start handles it, as long as that pid is not alive.
	as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start \
		-o "-p $PG_PORT -k $PG_SOCKET -c listen_addresses=$HOST -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2 ||
		die "PostgreSQL did not start; see $PG_LOG"
	psql_admin -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD'; END IF; END \$\$;" >&2
	echo started
}

cmd_start() {
	cmd_install
	mkdir -p "$STATE_DIR"
	chmod 755 "$STATE_DIR"
	local redis_status pg_status
	redis_status="$(start_redis)"
	pg_status="$(start_postgres)"
	log "Redis $redis_status on $HOST:$REDIS_PORT, PostgreSQL $pg_status on $HOST:$PG_PORT (state: $STATE_DIR)"
	cat <<EOF
REDIS_HOST=$HOST
REDIS_PORT=$REDIS_PORT
REDIS_STATUS=$redis_status
PG_HOST=$HOST
PG_PORT=$PG_PORT
PG_USER=$PG_USER
PG_PASSWORD=$PG_PASSWORD
PG_STATUS=$pg_status
STATE_DIR=$STATE_DIR
EOF
}

stop_redis() {
	if redis_up; then
		redis-cli -h "$HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
		log "Redis on $HOST:$REDIS_PORT stopped"
	fi
}

stop_postgres() {
	if [ -f "$PG_DATA/postmaster.pid" ] && bin="$(pg_bin_dir)"; then
		as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >&2 || true
		log "PostgreSQL on $HOST:$PG_PORT stopped"
	fi
}

cmd_stop() {
	case "${1:-all}" in
	redis) stop_redis ;;
	postgres) stop_postgres ;;
	all)
		stop_redis
		stop_postgres
		;;
	*) die "stop: redis, postgres or all" ;;
	esac
}

cmd_status() {
	if have_redis && redis_up; then echo "redis: up on $HOST:$REDIS_PORT"; else echo "redis: down"; fi
	if have_pg && pg_up; then echo "postgres: up on $HOST:$PG_PORT ($PG_DATA)"; else echo "postgres: down"; fi
}

valid_name() { [[ "$1" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "database name must match [a-z_][a-z0-9_]*: $1"; }

case "${1:-start}" in
start) cmd_start ;;
stop) cmd_stop "${2:-all}" ;;
status) cmd_status ;;
install) cmd_install ;;
createdb)
	valid_name "${2:-}"
	psql_admin -c "CREATE DATABASE \"$2\" OWNER $PG_USER" >&2
	;;
dropdb)
	valid_name "${2:-}"
	psql_admin -c "DROP DATABASE IF EXISTS \"$2\" WITH (FORCE)" >&2
	;;
*)
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
