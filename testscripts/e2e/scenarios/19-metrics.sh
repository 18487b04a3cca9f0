# 19. Fleet metrics read by the real collector: with METRICS_DIR set,
# Debian's prometheus-node-exporter (textfile collector only, as a
# transient unit) reads the wrapper's and the monitor's files from one
# directory without an error, and its scrape says what happened: the link
# up with the module's identity and the probes' round trips; after a
# black-holed call, the monitor's last write (running 0, the misses), the
# session ended as a link failure, the bytes real pppd counted, and the
# recovery.
# timeout: 300
. "$E2E_VM/lib.sh"
dir=/run/node-exporter
exporter=prometheus-node-exporter
step "prometheus-node-exporter is installed" command -v "$exporter"
mkdir -p "$dir"
world
config METRICS_DIR="$dir"
service_start
step "the link is up" wait_for 40 link_up
step "the wrapper keeps its file" jwait 20 "ppp_wrapper\\[[0-9]+\\]: metrics: keeping $dir/pppkeep.prom"
step "the monitor keeps its file" jwait 20 "ppp_monitor\\[[0-9]+\\]: metrics: keeping $dir/pppkeep_monitor_ppp0.prom"
systemd-run --quiet --unit=e2e-node-exporter "$(command -v "$exporter")" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$dir" --web.listen-address=127.0.0.1:9100
step "node_exporter answers" wait_for 20 curl -sf -o /dev/null http://127.0.0.1:9100/metrics

# scrape: the collector's page now, in /tmp/scrape.
scrape() { curl -sf http://127.0.0.1:9100/metrics >/tmp/scrape; }
# value SERIES: the value of the series written exactly so (name and
# labels as the collector prints them), or nothing.
value() { awk -v s="$1" '$1 == s { print $2; exit }' /tmp/scrape; }
# is SERIES OP NUMBER: the series is there and compares so.
is() { awk -v x="$(value "$1")" -v n="$3" -v op="$2" 'BEGIN {
	if (x == "") exit 1
	if (op == "==") exit !(x + 0 == n + 0)
	if (op == ">") exit !(x + 0 > n + 0)
	if (op == ">=") exit !(x + 0 >= n + 0)
	exit 1 }'; }

say "scenario 19: scraping the link up"
step "the monitor has had replies" wait_for 20 sh -c "grep -Eq '^pppkeep_probe_replies_total\\{iface=\"ppp0\"\\} [1-9]' $dir/pppkeep_monitor_ppp0.prom"
step "a scrape" scrape
step "the collector read our files without an error" is 'node_textfile_scrape_error' == 0
step "link up" is 'pppkeep_link_up' == 1
step "phase up" is 'pppkeep_phase{phase="up"}' == 1
step "the module's identity, IMEI included" grep -Eq '^pppkeep_module_info\{.*imei="356938035643809".*model="u-blox LISA-U200".*\} 1$' /tmp/scrape
step "the monitor runs" is 'pppkeep_probe_monitor_running{iface="ppp0"}' == 1
step "its replies" is 'pppkeep_probe_replies_total{iface="ppp0"}' '>=' 1
step "no misses" is 'pppkeep_probe_misses_total{iface="ppp0"}' == 0
step "a round trip measured" is 'pppkeep_probe_last_rtt_seconds{iface="ppp0"}' '>' 0
step "the fail limit is MONITOR_FAIL" is 'pppkeep_probe_fail_limit{iface="ppp0"}' == "$(config_get MONITOR_FAIL)"
grep '^pppkeep_probe' /tmp/scrape | sed 's/^/  /'

m=$(jmark)
say "scenario 19: black-holing the data stream"
modem blackhole on >/dev/null
step "the monitor declares the link dead" jwait 20 'ppp_monitor\[[0-9]+\]: the link on ppp0 is dead' "$m"
# The monitor wrote its last state before it dropped the link; the next
# session's monitor comes after HOLDOFF and a dial.
step "a scrape" scrape
step "the monitor's last write: not running" is 'pppkeep_probe_monitor_running{iface="ppp0"}' == 0
step "the misses in a row reached MONITOR_FAIL" is 'pppkeep_probe_consecutive_misses{iface="ppp0"}' == "$(config_get MONITOR_FAIL)"
step "the misses counted" is 'pppkeep_probe_misses_total{iface="ppp0"}' '>=' "$(config_get MONITOR_FAIL)"
modem blackhole off >/dev/null
step "ppp0 comes back" wait_for 40 link_up
step "the new session is up for the wrapper" jwait 15 'ppp_wrapper\[[0-9]+\]: session [0-9]+: link up' "$m"
# The wrapper writes a change at most every 5 s.
step "the recovery reaches the file" wait_for 15 sh -c "grep -q '^pppkeep_recoveries_total 1$' $dir/pppkeep.prom"
step "a scrape" scrape
step "still no error" is 'node_textfile_scrape_error' == 0
step "link up again" is 'pppkeep_link_up' == 1
step "one session ended as a link failure" is 'pppkeep_session_ends_total{class="link"}' == 1
step "no reset for one failure (RETRY=$(config_get RETRY))" is 'pppkeep_resets_started_total' == 0
step "a recovery, and its time" is 'pppkeep_recovery_seconds_total' '>' 0
step "the bytes real pppd counted (ip-down's BYTES_RCVD)" is 'pppkeep_session_bytes_received_total' '>' 0
step "the new monitor runs" is 'pppkeep_probe_monitor_running{iface="ppp0"}' == 1
grep -E '^pppkeep_(link_up|session|recover|resets)' /tmp/scrape | sed 's/^/  /'
jsync
step "node_exporter logged no error" jnone 'prometheus-node-exporter\[[0-9]+\]: .*level=error'
systemctl stop e2e-node-exporter
say "scenario 19: the collector read what happened"
