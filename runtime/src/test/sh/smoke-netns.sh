#!/usr/bin/env bash
# Smoke test of the distribution runtime/target/tunnelbus, inside a network namespace this script creates
# (never the root namespace) and removes again, whatever happens:
#   - two instances from one distribution: two homes, console ports 9780 and 9781
#   - each console: no credentials and admin/admin -> 401, the generated password -> 200,
#     every bundle in bundles.json active (fragments: "Fragment")
#   - console.password is mode 0600; the second start of a home reuses it and prints nothing about it
#   - the console line is printed exactly once
#   - console port in use, home in use -> one clear error line, exit 1
#   - a configuration file that cannot be parsed -> one ERROR line naming the file
#   - the client profile: a home started with --profile client (on the console port instance 1 holds: a client
#     has no console) answers 'tunnelbus chain', has only the client defaults, no console.password, no CA;
#     instance 2 switched to the client profile by HOME/profile uninstalls the server's bundles; an unknown
#     profile is one line naming the profiles
# Needs root (ip netns), curl and python3. Usage: runtime/src/test/sh/smoke-netns.sh [DIST]
set -euo pipefail

DIST="${1:-$(cd "$(dirname "$0")/../../../target/tunnelbus" && pwd)}"
TB="$DIST/bin/tunnelbus"
[ -x "$TB" ] || { echo "smoke: no distribution at $DIST (build it: mvn -pl runtime -am install -DskipTests)"; exit 1; }
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! command -v curl >/dev/null; then
  echo "smoke: SKIPPED: needs root, ip (iproute2) and curl"
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi

NS="tb-rt-$$"
WORK="$(mktemp -d /tmp/tb-smoke.XXXXXX)"
PIDS=()
passed=0
failed=0

cleanup() {
  for p in "${PIDS[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$p" 2>/dev/null || true
  done
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ok()   { echo "ok   - $*"; passed=$((passed + 1)); }
fail() { echo "FAIL - $*"; failed=$((failed + 1)); }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
inns() { ip netns exec "$NS" "$@"; }

# start HOME PORT [OPTION...] -> pid in $STARTED_PID; output in HOME.out / HOME.err
start() {
  local home="$1" port="$2"; shift 2
  # ip netns exec execs the command and bin/tunnelbus execs java: $! is the JVM's pid
  ip netns exec "$NS" "$TB" start --home "$home" --console-port "$port" "$@" >"$home.out" 2>"$home.err" </dev/null &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}

# stop PID: SIGTERM, wait (bounded: 30 s)
stop() {
  kill -TERM "$1"
  for _ in $(seq 1 60); do kill -0 "$1" 2>/dev/null || break; sleep 0.5; done
  ! kill -0 "$1" 2>/dev/null
}

# wait_chain HOME: until 'tunnelbus chain' answers through the management socket (bounded: 90 s)
wait_chain() {
  for _ in $(seq 1 180); do
    inns "$TB" chain --home "$1" 2>/dev/null | grep -q '^OUTGOING' && return 0
    sleep 0.5
  done
  echo "--- $1.err"; tail -n 40 "$1.err"
  return 1
}

# wait_console HOME: until the console line is printed (bounded: 90 s)
wait_console() {
  local home="$1"
  for _ in $(seq 1 180); do
    grep -q '^Web console: ' "$home.out" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "--- $home.out"; cat "$home.out"; echo "--- $home.err"; tail -n 40 "$home.err"
  return 1
}

http_code() { inns curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }

verify_instance() {
  local home="$1" port="$2"
  local url="http://127.0.0.1:$port/system/console/bundles.json"
  local pw; pw="$(cat "$home/console.password")"
  check "[$port] no credentials -> 401" test "$(http_code "$url")" = 401
  check "[$port] admin/admin -> 401" test "$(http_code -u admin:admin "$url")" = 401
  check "[$port] generated password -> 200" test "$(http_code -u "admin:$pw" "$url")" = 200
  inns curl -s --max-time 10 -u "admin:$pw" "$url" >"$WORK/bundles-$port.json"
  local summary
  summary="$(python3 - "$WORK/bundles-$port.json" <<'EOF'
import collections, json, sys
d = json.load(open(sys.argv[1]))
states = collections.Counter(b["state"] for b in d["data"])
bad = [f'{b["symbolicName"]}={b["state"]}' for b in d["data"] if b["state"] not in ("Active", "Fragment")]
print(dict(states), "not active:", bad if bad else "none")
sys.exit(1 if bad else 0)
EOF
)" && ok "[$port] every bundle active: $summary" || fail "[$port] bundles: $summary"
  check "[$port] console line printed exactly once" test "$(grep -c '^Web console: http://127.0.0.1:'"$port"'/system/console$' "$home.out")" = 1
  check "[$port] console.password is mode 0600" test "$(stat -c %a "$home/console.password")" = 600
}

H1="$WORK/home1"; H2="$WORK/home2"

start "$H1" 9780; P1=$STARTED_PID
start "$H2" 9781; P2=$STARTED_PID
check "instance 1 up" wait_console "$H1"
check "instance 2 up" wait_console "$H2"
check "password generated and announced once" grep -q "^Generated web console password for user 'admin': .* (stored in $H1/console.password)$" "$H1.out"
verify_instance "$H1" 9780
verify_instance "$H2" 9781
check "the two homes have different passwords" test "$(cat "$H1/console.password")" != "$(cat "$H2/console.password")"

# the command line
out="$("$TB" --help 2>&1)" && rc=0 || rc=$?
check "--help exits 0 and documents commands, options, files and environment" \
  bash -c '[ "$1" = 0 ] && for w in start status --home --console-port console.password config/ JAVA_HOME TUNNELBUS_OPTS; do [[ "$2" == *"$w"* ]] || exit 1; done' _ "$rc" "$out"
out="$("$TB" start --bogus 2>&1 </dev/null)" && rc=0 || rc=$?
check "unknown option -> exit 1 and one line" test "$rc:$out" = "1:tunnelbus: unknown option '--bogus'; see 'tunnelbus --help'"
out="$("$TB" chain --home "$H1" 2>&1)" && rc=0 || rc=$?
check "tunnelbus chain --home answers through the management socket" bash -c '[ "$1" = 0 ] && [[ "$2" == OUTGOING* ]]' _ "$rc" "$out"

# port in use: a third start on instance 1's port
out="$(inns "$TB" start --home "$WORK/home3" --console-port 9780 2>&1 </dev/null)" && rc=0 || rc=$?
check "port in use -> exit 1" test "$rc" = 1
check "port in use -> one line naming the port and --console-port" \
  test "$out" = "tunnelbus: console port 9780 on 127.0.0.1 is already in use; choose another one with --console-port N"

# the same home twice
out="$(inns "$TB" start --home "$H1" --console-port 9782 2>&1 </dev/null)" && rc=0 || rc=$?
check "home in use -> exit 1 and one line" bash -c '[ "$1" = 1 ] && [[ "$2" == "tunnelbus: home $3 is in use by another running tunnelbus (pid "*"); stop it or choose another home with --home DIR" ]]' _ "$rc" "$out" "$H1"

# an unparsable configuration file in instance 1's config/
printf 'hold.grace.ms = I"not-a-number"\n' >"$H1/config/org.tunnelbus.core.bus.config"
for _ in $(seq 1 40); do grep -q 'org.tunnelbus.core.bus.config' "$H1.err" && break; sleep 0.5; done
line="$(grep 'org.tunnelbus.core.bus.config' "$H1.err" || true)"
check "bad config file -> ERROR line naming the file: $line" \
  bash -c '[[ "$1" == *" ERROR org.apache.felix.fileinstall - Cannot read configuration file $2"* ]] && [ "$(printf "%s\n" "$1" | wc -l)" = 1 ]' _ "$line" "$H1/config/org.tunnelbus.core.bus.config"
rm -f "$H1/config/org.tunnelbus.core.bus.config"

# the client profile: no console, so the port instance 1 holds is no obstacle
HC="$WORK/client"
start "$HC" 9780 --profile client; PC=$STARTED_PID
check "client profile up: tunnelbus chain answers" wait_chain "$HC"
check "client start line names the profile and its source" grep -q 'Starting Tunnelbus (profile client from --profile, [0-9]* bundles)' "$HC.err"
check "client home: the client defaults only, no console.password, no CA" \
  bash -c '[ "$(ls "$1/config")" = org.tunnelbus.core.bus.cfg ] && [ ! -e "$1/console.password" ] && [ ! -e "$1/pki" ]' _ "$HC"
check "client: no console line, no ERROR line" bash -c '! grep -q "^Web console" "$1.out" && ! grep -q " ERROR " "$1.err"' _ "$HC"
check "SIGTERM stops the client" stop "$PC"
out="$(inns "$TB" start --home "$HC" --profile nope 2>&1 </dev/null)" && rc=0 || rc=$?
check "unknown profile -> exit 1 and one line naming the profiles" \
  test "$rc:$out" = "1:tunnelbus: unknown profile 'nope' (from --profile); this distribution has: client, server"

# instance 2 becomes a client home through HOME/profile: the server's bundles leave its framework cache
check "SIGTERM stops instance 2" stop "$P2"
echo client >"$H2/profile"
start "$H2" 9781; P2=$STARTED_PID
check "instance 2 up as a client" wait_chain "$H2"
check "instance 2: profile from HOME/profile" grep -q "Starting Tunnelbus (profile client from $H2/profile, " "$H2.err"
check "instance 2: the web console and the CA are uninstalled" \
  bash -c 'grep -q "Uninstalling org.apache.felix.webconsole .*: not in this profile" "$1" && grep -q "Uninstalling org.tunnelbus.pki .*: not in this profile" "$1"' _ "$H2.err"

# restart of instance 1: password reused, not printed again; still every bundle active
check "SIGTERM stops instance 1" stop "$P1"
pw_before="$(cat "$H1/console.password")"
start "$H1" 9780
check "instance 1 up again" wait_console "$H1"
check "restart reuses the password without printing it" bash -c '! grep -q "Generated web console password" "$1" && [ "$(cat "$2")" = "$3" ]' _ "$H1.out" "$H1/console.password" "$pw_before"
verify_instance "$H1" 9780

echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
