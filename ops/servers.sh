# Many stateless voucher-server processes behind haproxy, all on 127.0.0.1. Sourced (after
# lib.sh) by ops/run --servers N and ops/loadtest --cluster, not run.
#
#   start_servers BIN FIRST_PORT N LOG_PREFIX   N servers on FIRST_PORT..FIRST_PORT+N-1, each told
#                                               it is one of N (grab.servers: its share of the rate
#                                               budgets) and to trust 127.0.0.1's X-Forwarded-For;
#                                               output to LOG_PREFIX<port>.log ("-": this terminal);
#                                               PIDs in SERVER_PIDS, returns once each answers /ready
#   start_balancer DIR PORT FIRST_PORT N        haproxy on 127.0.0.1:PORT over those servers (config
#                                               written to DIR/haproxy.cfg), PID in BALANCER_PID;
#                                               returns once haproxy counts all N servers up
#   balancer_servers_up DIR                     servers haproxy's health check holds up now
#   stop_servers_and_balancer                   what the two started, by PID (TERM, then KILL)

SERVER_PIDS=()
BALANCER_PID=""
# Bounds on waiting for a process to come up and to go away (x 0.1 s).
readonly SERVERS_START_TRIES=600
readonly SERVERS_STOP_TRIES=100

ensure_haproxy() {
    command -v haproxy >/dev/null && return 0
    log "installing: haproxy"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
}

server_log() { if [ "$1" = - ]; then echo -; else echo "$1$2.log"; fi; }

start_servers() {
    local bin="$1" first="$2" count="$3" logs="$4" port index=0
    for port in $(seq "$first" $((first + count - 1))); do
        if [ "$logs" = - ]; then
            VOUCHER_HTTP_PORT="$port" VOUCHER_GRAB_SERVERS="$count" VOUCHER_HTTP_TRUSTEDPROXIES=127.0.0.1 "$bin/voucher-server" &
        else
            VOUCHER_HTTP_PORT="$port" VOUCHER_GRAB_SERVERS="$count" VOUCHER_HTTP_TRUSTEDPROXIES=127.0.0.1 \
                "$bin/voucher-server" >"$logs$port.log" 2>&1 &
        fi
        SERVER_PIDS+=("$!")
    done
    for port in $(seq "$first" $((first + count - 1))); do
        wait_for_server "$port" "${SERVER_PIDS[$index]}" "$SERVERS_START_TRIES" "$(server_log "$logs" "$port")"
        index=$((index + 1))
    done
    log "$count servers ready on 127.0.0.1:$first-$((first + count - 1)) (pids ${SERVER_PIDS[*]})"
}

# The configuration: round robin per request (a keep-alive client's requests are spread too, so
# the per-server rate shares add up to the budget), /ready checked every second (down after 2
# failures, up after 1 success), keep-alive on both sides (an idle client, with its server
# connections, is let go after 30 s, before the server's own 60 s idle timeout could close a
# connection haproxy is about to reuse), the client's address forwarded.
write_balancer_config() {
    local dir="$1" port="$2" first="$3" count="$4" server
    {
        cat <<CFG
# Written by ops/servers.sh (start_balancer); regenerated on every start.
global
    maxconn 8192
    pidfile $dir/haproxy.pid

defaults
    mode http
    option http-keep-alive
    option forwardfor
    http-reuse safe
    timeout connect 2s
    timeout client 60s
    timeout server 30s
    timeout http-keep-alive 30s
    timeout queue 10s
    retries 2

frontend voucher
    bind 127.0.0.1:$port
    maxconn 8000
    default_backend servers

frontend stats
    bind unix@$dir/stats.sock mode 600
    stats enable
    stats uri /stats

backend servers
    balance roundrobin
    option httpchk GET /ready
    http-check expect status 200
    default-server inter 1s fall 2 rise 1
CFG
        for server in $(seq 1 "$count"); do
            echo "    server s$server 127.0.0.1:$((first + server - 1)) check"
        done
    } >"$dir/haproxy.cfg"
}

balancer_servers_up() {
    curl -fsS --unix-socket "$1/stats.sock" 'http://balancer/stats;csv' 2>/dev/null \
        | awk -F, '$1 == "servers" && $2 != "BACKEND" && $18 == "UP" { n++ } END { print n + 0 }'
}

start_balancer() {
    local dir="$1" port="$2" first="$3" count="$4" try
    ensure_haproxy
    mkdir -p "$dir"
    write_balancer_config "$dir" "$port" "$first" "$count"
    haproxy -c -q -f "$dir/haproxy.cfg" || die "haproxy refused $dir/haproxy.cfg"
    # -db: in the foreground (no daemon), so $! is haproxy itself and it is stopped by that PID.
    haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
    BALANCER_PID=$!
    for try in $(seq 1 "$SERVERS_START_TRIES"); do
        [ "$(balancer_servers_up "$dir")" = "$count" ] && break
        kill -0 "$BALANCER_PID" 2>/dev/null || die "haproxy exited; see $dir/haproxy.log"
        [ "$try" = "$SERVERS_START_TRIES" ] && die "haproxy did not see the $count servers up; see $dir/haproxy.log"
        sleep 0.1
    done
    log "haproxy (pid $BALANCER_PID) on 127.0.0.1:$port, round robin over $count servers; config $dir/haproxy.cfg"
}

stop_pids() {
    local pid try
    for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        for try in $(seq 1 "$SERVERS_STOP_TRIES"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
}

stop_servers_and_balancer() {
    [ -z "$BALANCER_PID" ] || stop_pids "$BALANCER_PID"
    [ "${#SERVER_PIDS[@]}" = 0 ] || stop_pids "${SERVER_PIDS[@]}"
    BALANCER_PID=""
    SERVER_PIDS=()
}
