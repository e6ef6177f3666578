# Tunnelbus scenarios for shared/bench/netns-rig.sh: --scenario-file itests/e2e/rig/scenarios.sh
# Sourced by the rig after its built-ins (raw, openvpn-udp-*, openvpn-tcp-*, wireguard-go), so one run measures
# Tunnelbus (server, ns A) with the stock OpenVPN client (ns B) next to stock OpenVPN on both sides.
# TUNNELBUS_DIST / TUNNELBUS_RIG_HOME / TUNNELBUS_OPTS: see tunnelbus-sut.sh.
_tb_rig_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
rig_add_scenario tunnelbus-udp-aes256gcm openvpn udp AES-256-GCM "exec $_tb_rig_dir/tunnelbus-sut.sh" stock
rig_add_scenario tunnelbus-udp-chacha20 openvpn udp CHACHA20-POLY1305 "exec $_tb_rig_dir/tunnelbus-sut.sh" stock
