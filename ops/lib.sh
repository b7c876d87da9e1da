# Shared functions of the ops scripts. Sourced, not run.
# Layout: everything lives under .local/<profile>/ (git-ignored): redis/, pg/, secrets.env.
set -euo pipefail

# Folders we create must stay searchable by the unprivileged 'postgres' user (and by test
# processes that inherit our umask), whatever the caller's umask is.
umask 022

OPS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$OPS_DIR/.." && pwd)"
LOCAL_DIR="$ROOT_DIR/.local"
# PostgreSQL major version we run; Debian 12 ships 15.
PG_MAJOR="${VOUCHER_PG_MAJOR:-15}"
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"

log() { printf '[ops] %s\n' "$*" >&2; }
die() { printf '[ops] error: %s\n' "$*" >&2; exit 1; }

# Ports and folders per profile: dev (ops/run) and test (ops/test) never collide.
profile_env() {
    case "$1" in
        dev)  REDIS_PORT="${VOUCHER_REDIS_PORT:-16379}"; PG_PORT="${VOUCHER_POSTGRES_PORT:-15432}" ;;
        test) REDIS_PORT="${VOUCHER_TEST_REDIS_PORT:-26379}"; PG_PORT="${VOUCHER_TEST_PG_PORT:-25432}" ;;
        *) die "unknown profile $1 (dev or test)" ;;
    esac
    PROFILE="$1"
    # VOUCHER_PROFILE_DIR lets two runs of one profile coexist (e.g. two engineers on one machine).
    PROFILE_DIR="${VOUCHER_PROFILE_DIR:-$LOCAL_DIR/$1}"
    PG_DB="voucherrush"
    PG_ROLE="voucher"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs the Debian packages we need, only those missing.
ensure_packages() {
    local missing=()
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v redis-cli >/dev/null || missing+=(redis-tools)
    command -v redis-benchmark >/dev/null || missing+=(redis-tools)
    pkg-config --exists hiredis 2>/dev/null || missing+=(libhiredis-dev pkg-config)
    [ -x "$PG_BIN/initdb" ] || missing+=(postgresql "postgresql-$PG_MAJOR")
    command -v psql >/dev/null || missing+=(postgresql-client)
    dpkg -s libpq-dev >/dev/null 2>&1 || missing+=(libpq-dev)
    dpkg -s libssl-dev >/dev/null 2>&1 || missing+=(libssl-dev)
    # FoundationXML (camt.053 statements) loads libxml2 at run time; GB18030 comes with libc6's gconv.
    dpkg -s libxml2 >/dev/null 2>&1 || missing+=(libxml2)
    command -v curl >/dev/null || missing+=(curl)
    command -v openssl >/dev/null || missing+=(openssl)
    command -v runuser >/dev/null || missing+=(util-linux)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# wait_for_server PORT PID TRIES LOG [PATH]: polls http://127.0.0.1:PORT/PATH (default /ready)
# every 0.1 s until it answers; dies with LOG's tail ("-": output went to this terminal) when the
# process PID exits first or after TRIES tries.
wait_for_server() {
    local port="$1" pid="$2" tries="$3" logfile="$4" path="${5:-/ready}" try
    for try in $(seq 1 "$tries"); do
        curl -fsS "http://127.0.0.1:$port$path" >/dev/null 2>&1 && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            [ "$logfile" = - ] || tail -20 "$logfile" >&2
            die "the server on $port (pid $pid) exited"
        fi
        sleep 0.1
    done
    [ "$logfile" = - ] || tail -20 "$logfile" >&2
    die "the server on $port (pid $pid) did not answer $path within $((tries / 10)) s"
}

# setup_campaign STOCK LIMIT OPENS_IN_S -> "campaign lot opensAtMs": a published campaign with one
# grab lot for ops/loadtest and ops/loadtest-cluster, made by `rush-load setup` with the caller's
# $bin (the built binaries), $HTTP_PORT (the server) and $LOAD_DIR (its operator-token.txt).
setup_campaign() {
    "$bin/rush-load" setup --port "$HTTP_PORT" --operator-token-file "$LOAD_DIR/operator-token.txt" \
        --stock "$1" --limit "$2" --opens-in-s "$3"
}

# Random hex of N bytes.
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# Secrets of a profile, generated once and kept in .local/<profile>/secrets.env (git-ignored).
load_secrets() {
    mkdir -p "$PROFILE_DIR"
    local file="$PROFILE_DIR/secrets.env"
    if [ ! -s "$file" ]; then
        # Only the secrets file is private; the umask change stays in this subshell.
        (
            umask 077
            echo "VOUCHER_DB_PASSWORD=$(random_hex 16)"
            echo "VOUCHER_JWT_SECRET=$(random_hex 32)"
            echo "VOUCHER_METRICS_TOKEN=$(random_hex 24)"
        ) > "$file"
        chmod 600 "$file"
    fi
    # Profiles made before /metrics needed a token get one added.
    if ! grep -q '^VOUCHER_METRICS_TOKEN=' "$file"; then
        echo "VOUCHER_METRICS_TOKEN=$(random_hex 24)" >> "$file"
    fi
    set -a; . "$file"; set +a
}

# --- Redis -------------------------------------------------------------------------------

# The pid in redis.pid, if that process is alive and is a redis-server: pids are reused, and a
# stale file once made ops/test take another process for its Redis.
redis_pid() {
    local f="$1/redis.pid" pid
    [ -s "$f" ] || return 1
    pid="$(cat "$f")"
    kill -0 "$pid" 2>/dev/null || return 1
    case "$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" in
        *redis-server*) echo "$pid" ;;
        *) return 1 ;;
    esac
}

# Empties a load test's Redis and its AOF: FLUSHALL, then BGREWRITEAOF, waited for (at most 30 s).
# config/redis.conf rewrites the AOF only past 1 GB, so without this the AOF of every earlier run
# would stay on disk, be replayed at each start, and set off a rewrite in the middle of a later run.
flush_redis() { # port
    local port="$1"
    redis-cli -p "$port" FLUSHALL >/dev/null
    redis-cli -p "$port" BGREWRITEAOF >/dev/null
    for _ in $(seq 1 300); do
        redis-cli -p "$port" INFO persistence | tr -d '\r' | grep -qE '^aof_rewrite_(in_progress|scheduled):1' || return 0
        sleep 0.1
    done
    die "Redis on port $port did not finish rewriting its AOF within 30 s"
}

# start_redis DIR PORT [extra redis-server args...]
start_redis() {
    local dir="$1" port="$2"; shift 2
    mkdir -p "$dir"
    if redis_pid "$dir" >/dev/null; then log "redis already running on $port (pid $(redis_pid "$dir"))"; return 0; fi
    # A Redis that answers on the port but is not ours (no live pid under $dir) belongs to someone
    # else (another checkout's load test): never run against it.
    if redis-cli -p "$port" ping >/dev/null 2>&1; then die "port $port already has a Redis that is not ours ($dir); set another port"; fi
    redis-server "$ROOT_DIR/config/redis.conf" --port "$port" --dir "$dir" \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
        --appendfsync "${VOUCHER_REDIS_APPENDFSYNC:-always}" "$@"
    # Up when it answers PONG: while it replays its AOF it answers "LOADING …" (exit status 0), and a
    # load test once started against that and was refused (config/redis.conf lets the AOF grow to
    # 1 GB before a rewrite, a replay of tens of seconds). Up to 30 s to start (a busy machine starts
    # processes slowly), and as long as the replay takes, up to 300 s.
    local tries=0
    while [ "$tries" -lt 6000 ]; do
        if redis_pid "$dir" >/dev/null; then
            case "$(redis-cli -p "$port" ping 2>/dev/null)" in
                PONG) log "redis up on 127.0.0.1:$port"; return 0 ;;
                LOADING*) ;;
                *) [ "$tries" -lt 600 ] || break ;;
            esac
        elif [ "$tries" -ge 600 ]; then
            break
        fi
        tries=$((tries + 1))
        sleep 0.05
    done
    die "redis did not start on $port; see $dir/redis.log"
}

stop_redis() {
    local dir="$1" pid
    pid="$(redis_pid "$dir" || true)"
    [ -n "$pid" ] || return 0
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || { log "redis stopped"; return 0; }; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
}

# --- PostgreSQL --------------------------------------------------------------------------

# PostgreSQL refuses to run as root: as root we run it as the unprivileged 'postgres' user
# that Debian's package creates (or one we create), otherwise as ourselves.
pg_os_user() {
    if [ "$(id -u)" != 0 ]; then id -un; return; fi
    if ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    fi
    echo postgres
}

as_pg() {
    local user; user="$(pg_os_user)"
    if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# The data folder lives under the project. As root, the 'postgres' user must be able to reach it;
# every parent folder must be searchable, which we check instead of assuming.
pg_data_dir() {
    local dir="$1"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown "$(pg_os_user)" "$dir"
        if ! as_pg test -w "$dir"; then
            die "the 'postgres' user cannot write $dir (a parent folder is not searchable by others); run: chmod o+x on the parents, or clone the project elsewhere"
        fi
    fi
    echo "$dir"
}

pg_running() { [ -s "$1/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

# start_pg DIR PORT PASSWORD [fast]: initialise on first use, start, wait until it answers.
start_pg() {
    local dir="$1" port="$2" password="$3" mode="${4:-}"
    dir="$(pg_data_dir "$dir")"
    if [ ! -s "$dir/PG_VERSION" ]; then
        local pwfile; pwfile="$(mktemp)"
        printf '%s\n' "$password" > "$pwfile"
        chmod 644 "$pwfile"
        as_pg "$PG_BIN/initdb" -D "$dir" -U "$PG_ROLE" --pwfile="$pwfile" --auth=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
        rm -f "$pwfile"
        log "postgres initialised in $dir"
    fi
    if pg_running "$dir"; then log "postgres already running on $port"; return 0; fi
    local connections=200
    local opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir"
    if [ "$mode" = fast ]; then
        # Test clusters trade crash safety for speed; nothing in them outlives a run.
        opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        # 400-odd tests start at once, each with its own pools: on a busy machine they overlap
        # longer, and at 200 a run saw 2,675 refused connections and a pool's circuit breaker trip.
        connections=1000
    fi
    opts="$opts -c max_connections=$connections"
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null \
        || die "postgres did not start on $port; see $dir/server.log"
    log "postgres up on 127.0.0.1:$port"
}

stop_pg() {
    local dir="$1"
    pg_running "$dir" || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null && log "postgres stopped"
}

# ensure_database PORT PASSWORD NAME
ensure_database() {
    local port="$1" password="$2" name="$3"
    local exists
    exists="$(PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U "$PG_ROLE" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")"
    [ "$exists" = 1 ] || PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U "$PG_ROLE" -d postgres -qc "CREATE DATABASE $name" >/dev/null
}
