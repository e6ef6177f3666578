#!/usr/bin/env bash
# Ratios of the Tunnelbus scenarios to stock OpenVPN (same cipher and proto, same --repeat round) from one
# netns-rig.sh JSON result:
#   itests/e2e/rig/ratios.sh /tmp/vpn-bench-....json
# Mbit/s both ways (higher is better), idle RTT avg (lower is better), CPU-seconds per GB moved -- of the
# server side alone (the side that differs) and of both sides -- and server RSS (lower is better).
set -euo pipefail
f=${1:?usage: ratios.sh RESULT.json}
jq -r '
  def r(a; b): if a == null or b == null or b == 0 then "n/a" else ((a / b) * 100 | round / 100 | tostring) end;
  def n(x): if x == null then "n/a" else (x * 100 | round / 100 | tostring) end;
  def srvgb(i): if i == null or i.vpn_cpu == null or (i.bytes_received // 0) == 0 then null
                else i.vpn_cpu.server_s / (i.bytes_received / 1e9) end;
  [.results[] | select(.status == "ok")] as $res
  | ($res | map({key: .scenario, value: .}) | from_entries) as $by
  | "| Tunnelbus scenario | vs stock | C->S Mbit/s | S->C Mbit/s | RTT avg ms | server CPU-s/GB C->S | server CPU-s/GB S->C | both sides CPU-s/GB C->S | both sides CPU-s/GB S->C | server RSS MiB |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ( $res[] | select(.scenario | startswith("tunnelbus-")) as $t
      | ($res | map(select(.server == "stock" and .client == "stock" and .proto == $t.proto and .cipher == $t.cipher
                           and .run == $t.run)) | first) as $s
      | select($s != null)
      | "| \($t.scenario) #\($t.run) | \($s.scenario) #\($s.run) | \(n($t.iperf_client_to_server.mbit_s)) / \(n($s.iperf_client_to_server.mbit_s)) = **\(r($t.iperf_client_to_server.mbit_s; $s.iperf_client_to_server.mbit_s))** | \(n($t.iperf_server_to_client.mbit_s)) / \(n($s.iperf_server_to_client.mbit_s)) = **\(r($t.iperf_server_to_client.mbit_s; $s.iperf_server_to_client.mbit_s))** | \(n($t.ping4.avg_ms)) / \(n($s.ping4.avg_ms)) = **\(r($t.ping4.avg_ms; $s.ping4.avg_ms))** | \(n(srvgb($t.iperf_client_to_server))) / \(n(srvgb($s.iperf_client_to_server))) = **\(r(srvgb($t.iperf_client_to_server); srvgb($s.iperf_client_to_server)))** | \(n(srvgb($t.iperf_server_to_client))) / \(n(srvgb($s.iperf_server_to_client))) = **\(r(srvgb($t.iperf_server_to_client); srvgb($s.iperf_server_to_client)))** | \(n($t.iperf_client_to_server.vpn_cpu.total_s_per_gbyte)) / \(n($s.iperf_client_to_server.vpn_cpu.total_s_per_gbyte)) = **\(r($t.iperf_client_to_server.vpn_cpu.total_s_per_gbyte; $s.iperf_client_to_server.vpn_cpu.total_s_per_gbyte))** | \(n($t.iperf_server_to_client.vpn_cpu.total_s_per_gbyte)) / \(n($s.iperf_server_to_client.vpn_cpu.total_s_per_gbyte)) = **\(r($t.iperf_server_to_client.vpn_cpu.total_s_per_gbyte; $s.iperf_server_to_client.vpn_cpu.total_s_per_gbyte))** | \(n($t.mem_server.rss_kb / 1024)) / \(n($s.mem_server.rss_kb / 1024)) = **\(r($t.mem_server.rss_kb; $s.mem_server.rss_kb))** |" )
' "$f"
