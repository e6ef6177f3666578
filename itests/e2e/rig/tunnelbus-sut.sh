#!/usr/bin/env bash
# Tunnelbus as the server under test of shared/bench/netns-rig.sh: the rig runs this inside its namespace A
# (ip netns exec <nsA> bash -c "$SUT_SERVER_CMD") with the RIG_* variables of the scenario, and a stock
# OpenVPN 2.6 client connects from namespace B with the rig's own client configuration ($RIG_CLIENT_CONF).
#
# It writes a Tunnelbus home whose configuration is the rig's stock server configuration ($RIG_SERVER_CONF)
# in Tunnelbus terms -- listener on $RIG_UNDERLAY_A:$RIG_PORT, the rig's CA, server certificate and key,
# tls-crypt key, data cipher $RIG_CIPHER, tunnel $RIG_TUN_NET/24 with the server on $RIG_TUN_A -- then
# execs bin/tunnelbus start in the foreground (the rig stops it by PID).
#
#   TUNNELBUS_DIST       the distribution (default: runtime/target/tunnelbus of this repository)
#   TUNNELBUS_RIG_HOME   the home (default: $RIG_SCN_DIR/tunnelbus-home, fresh per scenario). A home that
#                        was started before starts faster (its .felix-cache holds the installed bundles).
#   TUNNELBUS_OPTS       JVM options (default: -Xmx256m -XX:MaxDirectMemorySize=128m)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
dist="${TUNNELBUS_DIST:-$here/../../../runtime/target/tunnelbus}"
: "${RIG_SCN_DIR:?run by netns-rig.sh (RIG_* variables missing)}"
home="${TUNNELBUS_RIG_HOME:-$RIG_SCN_DIR/tunnelbus-home}"
[ -x "$dist/bin/tunnelbus" ] || { echo "tunnelbus-sut: no distribution at $dist (build it: mvn install)" >&2; exit 1; }

case "$RIG_PROTO" in udp) ;; *) echo "tunnelbus-sut: proto $RIG_PROTO not supported (udp only)" >&2; exit 1 ;; esac
plen=24
[ "$RIG_TUN_MASK" = 255.255.255.0 ] || { echo "tunnelbus-sut: tunnel mask $RIG_TUN_MASK not supported (/24 only)" >&2; exit 1; }

mkdir -p "$home/config"
cfg="$home/config"
# the distribution's defaults for everything the rig does not decide (bus, pki, ...)
for f in "$dist"/config/*.cfg; do
  [ -e "$cfg/$(basename "$f")" ] || cp "$f" "$cfg/"
done
cat >"$cfg/org.tunnelbus.openvpn.server-default.cfg" <<CFG
# written by $(basename "$0") from the rig's scenario $RIG_SCENARIO
listen = $RIG_UNDERLAY_A
port = $RIG_PORT
proto = udp
public.address = $RIG_UNDERLAY_A
ca = $RIG_CA
cert = $RIG_SERVER_CERT
key = $RIG_SERVER_KEY
tls.crypt = $RIG_TLS_CRYPT_KEY
tls.provider = bouncycastle
CFG
cat >"$cfg/org.tunnelbus.handshake.cfg" <<CFG
server = $RIG_TUN_NET/$plen
topology = subnet
data.ciphers = $RIG_CIPHER
keepalive.ping = 10
keepalive.restart = 60
CFG
cat >"$cfg/org.tunnelbus.device.tun-server.cfg" <<CFG
name = tb%d
mode = TUN
mtu = 1500
addresses = $RIG_TUN_A/$plen
CFG
cat >"$cfg/org.tunnelbus.auth.cert.cfg" <<CFG
ca = $RIG_CA
crl =
CFG
# the rig brings its own PKI: the instance's CA makes no server certificate
cat >"$cfg/org.tunnelbus.pki.cfg" <<CFG
server.name =
CFG

export TUNNELBUS_OPTS="${TUNNELBUS_OPTS:--Xmx256m -XX:MaxDirectMemorySize=128m}"
echo "tunnelbus-sut: $dist, home $home, TUNNELBUS_OPTS=$TUNNELBUS_OPTS"
exec "$dist/bin/tunnelbus" start --home "$home" --console-port 9780
