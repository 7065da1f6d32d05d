#!/bin/sh
# Network sources under QEMU (RFC 8572 4.2-4.4, 5.5, 5.6, 7, 8): the device
# boots on a private link (tests/netrig: a network namespace, dnsmasq, the
# test bootstrap server) and provisions itself from DHCP option 143 / option
# 136 server lists, DNS TXT and SRV records, redirects and trusted servers,
# with progress reports checked in the server's log and every request body
# checked against the YANG module (yanglint). No traffic leaves the namespace.
set -u
. tests/lib/device.sh
if [ "$(id -u)" != 0 ]; then
	echo "skip network/all: needs root (network namespaces)"
	exit 0
fi
if ! make -s keys kernel initramfs newsystem disk >/dev/null 2>&1; then
	fail network/build "make keys kernel initramfs newsystem disk"
	exit 0
fi
T=$BUILD/t/network
rm -rf "$T"
mkdir -p "$T"
. tests/netrig/netns.sh
trap netrig_down EXIT
trap 'exit 130' INT TERM HUP
YANG=$(cd .. && pwd)/shared/spec/yang
[ -d "$YANG" ] || echo "skip network/yang: ../shared/spec/yang absent: request bodies not checked against the YANG module"
PKI=$T/pki
if ! sh tests/netrig/mkserverpki.sh --devpki "$KEYS" "$PKI" >"$T/pki.log" 2>&1; then
	fail network/pki "$(tail -1 "$T/pki.log")"
	exit 0
fi
IMG=$BUILD/images/exampleos-2.0.img
printf 'hostname net-device\n' >"$T/conf"
sum=$(sha256sum "$T/conf" | cut -d' ' -f1)
IMGURI=https://sztp.example.test:9443/images/exampleos-2.0.img

# fixture NAME SERIAL [mkbootstrap options]: a server's device folder
fixture() {
	_n=$1 _sn=$2
	shift 2
	mkstick "$T/fx-$_n" "$_sn" "$@"
	mkdir -p "$T/fx/$_n"
	cp "$T/fx-$_n/example-oem/$_sn/bootstrapping-data/"* "$T/fx/$_n/"
}
fixture redirect SN-1001 --redirect sztp.example.test:9443 --trust-anchor "$PKI/server-ca.pem"
fixture onboard SN-1001 --image "$IMG" --image-uri "$IMGURI" --os-name ExampleOS --os-version 2.0 \
	--config "$T/conf" --config-handling merge
tools/mkbootstrap --out "$T/fx-unsigned" --manufacturer example-oem --serial SN-1001 --unsigned \
	--image "$IMG" --image-uri "$IMGURI" --os-name ExampleOS --os-version 2.0 >/dev/null 2>&1
mkdir -p "$T/fx/unsigned"
cp "$T/fx-unsigned/example-oem/SN-1001/bootstrapping-data/"* "$T/fx/unsigned/"
tools/mkbootstrap --out "$T/fx-uredirect" --manufacturer example-oem --serial SN-1001 --unsigned \
	--redirect sztp.example.test:8443 >/dev/null 2>&1
mkdir -p "$T/fx/uredirect"
cp "$T/fx-uredirect/example-oem/SN-1001/bootstrapping-data/"* "$T/fx/uredirect/"

# server_root NAME PORT=FIXTURE...: a --root with per-port device data
server_root() {
	_r=$T/$1
	shift
	rm -rf "$_r"
	mkdir -p "$_r/images"
	ln -s "$TOP/$IMG" "$_r/images/exampleos-2.0.img" 2>/dev/null || ln -s "$IMG" "$_r/images/exampleos-2.0.img"
	for pf in "$@"; do
		mkdir -p "$_r/by-port/${pf%%=*}/devices"
		cp -r "$T/fx/${pf#*=}" "$_r/by-port/${pf%%=*}/devices/SN-1001"
	done
}

# nboot DISK LOG [qemu/run options]: boot SN-1001 on the rig's link
nboot() {
	_d=$1 _l=$2
	shift 2
	netrig_exec qemu/run --quiet --tap "$NETRIG_TAP" --disk "$_d" --smbios-serial SN-1001 \
		--idevid-cert "$KEYS/devices/SN-1001/idevid.pem" --idevid-key "$KEYS/devices/SN-1001/idevid.key" \
		--serial-log "$_l" --timeout 300 --stall 90 "$@"
}

# reports LOG PORT: the progress-types reported to that port, in order
reports() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("path", "").endswith(":report-progress") and r.get("listen", "").endswith(":" + sys.argv[2]):
        print(r["body"]["ietf-sztp-bootstrap-server:input"]["progress-type"])
EOF
}
# bodies LOG PORT: get-bootstrapping-data input members sent to that port
bodies() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("path", "").endswith(":get-bootstrapping-data") and r.get("listen", "").endswith(":" + sys.argv[2]):
        print(" ".join(sorted(r["body"]["ietf-sztp-bootstrap-server:input"].keys())))
EOF
}
# conns LOG PORT: TLS connections that port saw (each has its own id)
conns() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(len({r["conn"] for r in rows if r.get("listen", "").endswith(":" + sys.argv[2]) and r.get("event") == "request"}))
EOF
}
# yang_ok LOG: every RPC body passed yanglint (or the check was skipped)
yang_ok() {
	python3 - "$1" <<'EOF'
import json, sys
bad = [l for l in open(sys.argv[1]) if (json.loads(l).get("yang") or "ok").startswith("invalid")]
sys.exit(1 if bad else 0)
EOF
}
provisioned() { # LOG DISK
	log_has "$1" "exampleos: configuration-handling=merge sha256=$sum" &&
		log_has "$1" "sztpboot: confirmed: slot a is active" &&
		[ "$(env_get "$2" sztp_state)" = provisioned ]
}
start_rig() { # NAME: namespace up
	netrig_down 2>/dev/null
	netrig_up "sztpn-$$" "$T/$1-net" >"$T/$1-up.log" 2>&1 || { fail "network/$1: rig" "$(tail -1 "$T/$1-up.log")"; return 1; }
}
server() { # ROOT LOG LISTEN...
	_root=$1 _log=$2
	shift 2
	_args=
	for l in "$@"; do _args="$_args --listen $l"; done
	# shellcheck disable=SC2086 # listen words
	netrig_server $_args --root "$_root" --log "$_log" --cert "$PKI/good.pem" --key "$PKI/good.key" \
		--client-ca "$PKI/device-ca.pem" --yang "$YANG" >/dev/null 2>&1
}

# 1. DHCP option 143 -> provisional server -> signed redirect (with trust
#    anchor) -> trusted server -> onboarding over https -> kexec -> confirm.
if start_rig dhcp4; then
	server_root root1 8443=redirect 9443=onboard
	echo verbose >"$T/root1/by-port/9443/devices/SN-1001/reporting-level"
	server "$T/root1" "$T/s1.srv.log" 10.99.0.1:8443 10.99.0.1:9443
	netrig_dnsmasq --dhcp-option-force=143,"$(netrig_sztp_hex https://10.99.0.1:8443)" >/dev/null 2>&1
	d=$T/n1.img
	cp "$BUILD/images/factory-disk.img" "$d"
	nboot "$d" "$T/n1.log"
	check "network/dhcp4: option 143 list used" log_has "$T/n1.log" "dhcp: .*option 143: 1 bootstrap server"
	check "network/dhcp4: provisional request carries only signed-data-preferred" \
		test "$(bodies "$T/s1.srv.log" 8443 | sort -u)" = "signed-data-preferred"
	check "network/dhcp4: redirect followed with its trust anchor" log_has "$T/n1.log" "redirect: sztp.example.test:9443 \\(trust anchor given\\)"
	check "network/dhcp4: trusted request carries hw-model and a nonce" \
		test "$(bodies "$T/s1.srv.log" 9443 | head -1)" = "hw-model nonce"
	check "network/dhcp4: image downloaded over https and verified" log_has "$T/n1.log" "boot image: .*sha256 ok|boot image: sha-256 ([0-9a-f]{64}), image-verification \\1"
	if provisioned "$T/n1.log" "$d"; then ok "network/dhcp4: provisioned, new system confirmed"; else fail "network/dhcp4: provisioned" "see $T/n1.log"; fi
	want="bootstrap-initiated boot-image-mismatch boot-image-initiated boot-image-complete config-initiated config-complete boot-image-installed-rebooting bootstrap-complete"
	got=$(reports "$T/s1.srv.log" 9443 | tr '\n' ' ' | sed 's/ $//')
	check "network/dhcp4: verbose progress reports in order ($got)" test "$got" = "$want"
	check "network/dhcp4: no report to the provisional server" test -z "$(reports "$T/s1.srv.log" 8443)"
	check "network/dhcp4: one TLS handshake per server (redirect server 1; trusted server 1, and 1 from the new system)" \
		test "$(conns "$T/s1.srv.log" 8443)/$(conns "$T/s1.srv.log" 9443)" = 1/2
	check "network/dhcp4: bootstrap-complete carries the SSH host key" grep -q '"ssh-host-key".*"algorithm": *"ssh-ed25519"' "$T/s1.srv.log"
	check "network/dhcp4: every request body valid against the YANG module" yang_ok "$T/s1.srv.log"
fi

# 2. Unsigned redirect from DHCP -> server reached without authentication:
#    unsigned onboarding refused; signed onboarding (the server's data
#    replaced while the device waits) accepted; no progress report at all.
if start_rig unsigned; then
	server_root root2 8443=unsigned
	server "$T/root2" "$T/s2.srv.log" 10.99.0.1:8443 10.99.0.1:9443
	netrig_dnsmasq --dhcp-option-force=143,"$(netrig_sztp_hex https://sztp.example.test:8443)" >/dev/null 2>&1
	d=$T/n2.img
	cp "$BUILD/images/factory-disk.img" "$d"
	( while ! grep -q "unsigned onboarding-information from an untrusted source" "$T/n2.log" 2>/dev/null; do sleep 1; done
	  rm -rf "$T/root2/by-port/8443/devices/SN-1001"
	  cp -r "$T/fx/onboard" "$T/root2/by-port/8443/devices/SN-1001" ) &
	swap=$!
	nboot "$d" "$T/n2.log"
	kill $swap 2>/dev/null
	check "network/unsigned: unsigned onboarding refused" log_has "$T/n2.log" "unsigned onboarding-information from an untrusted source"
	if provisioned "$T/n2.log" "$d"; then ok "network/unsigned: signed onboarding accepted"; else fail "network/unsigned: signed onboarding accepted" "see $T/n2.log"; fi
	check "network/unsigned: no progress report to the unauthenticated server" test -z "$(reports "$T/s2.srv.log" 8443)"
	check "network/unsigned: requests carry only signed-data-preferred" \
		test "$(bodies "$T/s2.srv.log" 8443 | sort -u)" = "signed-data-preferred"
	check "network/unsigned: says why nothing is reported" log_has "$T/n2.log" "no progress reports \\(server not authenticated"
fi

# 4. DHCPv6 option 136 -> signed redirect -> trusted server (as 1).
if start_rig dhcp6; then
	server_root root4 8443=redirect 9443=onboard
	server "$T/root4" "$T/s4.srv.log" '[fd99::1]:8443' 10.99.0.1:9443
	NETRIG_DNSMASQ_DEFAULTS=1 netrig_dnsmasq --dhcp-option=option6:136,"$(netrig_sztp_hex 'https://[fd99::1]:8443')" >/dev/null 2>&1
	d=$T/n4.img
	cp "$BUILD/images/factory-disk.img" "$d"
	nboot "$d" "$T/n4.log"
	check "network/dhcp6: option 136 list used" log_has "$T/n4.log" "dhcp: .*(option 136|dhcpv6).*1 bootstrap server"
	check "network/dhcp6: server reached over IPv6" log_has "$T/n4.log" "https://\\[fd99::1\\]:8443: get-bootstrapping-data"
	if provisioned "$T/n4.log" "$d"; then ok "network/dhcp6: provisioned"; else fail "network/dhcp6: provisioned" "see $T/n4.log"; fi
	want="bootstrap-initiated boot-image-installed-rebooting bootstrap-complete"
	got=$(reports "$T/s4.srv.log" 9443 | tr '\n' ' ' | sed 's/ $//')
	check "network/dhcp6: minimal progress reports in order ($got)" test "$got" = "$want"
	check "network/dhcp6: every request body valid against the YANG module" yang_ok "$T/s4.srv.log"
fi

# 3a. DNS TXT records for the device's serial number -> onboarding (untrusted
#     source: signed data only, no reports). The artifacts are binary, too
#     big for UDP: the device retries over TCP. dnsmasq forwards the
#     _sztp.example.test zone to a responder that can serve binary TXT.
if start_rig dnstxt; then
	server_root root3 9443=onboard
	server "$T/root3" "$T/s3.srv.log" 10.99.0.1:9443
	netrig_bg txt python3 tests/dns/txt_server.py --bind 10.99.0.1 --port 5300 --portfile "$T/txt.port" \
		--log "$T/txt.log" --txt SN-1001._sztp.example.test ci "$T/fx/onboard/conveyed-information.cms" \
		--txt SN-1001._sztp.example.test oc "$T/fx/onboard/owner-certificate.cms" \
		--txt SN-1001._sztp.example.test ov "$T/fx/onboard/ownership-voucher.cms"
	i=0
	while [ ! -f "$T/txt.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	netrig_dnsmasq --server=/_sztp.example.test/10.99.0.1#5300 >/dev/null 2>&1
	d=$T/n3.img
	cp "$BUILD/images/factory-disk.img" "$d"
	nboot "$d" "$T/n3.log"
	check "network/dns-txt: TXT records found" log_has "$T/n3.log" "dns: TXT records for SN-1001._sztp \\(ci [0-9]+ octets, oc, ov\\)"
	check "network/dns-txt: truncated UDP answer retried over TCP" grep -q '^tcp SN-1001._sztp.example.test' "$T/txt.log"
	if provisioned "$T/n3.log" "$d"; then ok "network/dns-txt: provisioned from DNS"; else fail "network/dns-txt: provisioned from DNS" "see $T/n3.log"; fi
	check "network/dns-txt: no progress report (DNS is untrusted)" test -z "$(reports "$T/s3.srv.log" 9443)"
fi

# 3b. DNS SRV record -> bootstrap server (provisional) -> signed onboarding.
if start_rig dnssrv; then
	server_root root3b 8443=onboard
	server "$T/root3b" "$T/s3b.srv.log" 10.99.0.1:8443 10.99.0.1:9443
	netrig_dnsmasq --srv-host=_sztp._tcp.example.test,sztp.example.test,8443,0,0 >/dev/null 2>&1
	d=$T/n3b.img
	cp "$BUILD/images/factory-disk.img" "$d"
	nboot "$d" "$T/n3b.log"
	check "network/dns-srv: SRV record used" log_has "$T/n3b.log" "dns SRV: 1 bootstrap server"
	if provisioned "$T/n3b.log" "$d"; then ok "network/dns-srv: provisioned via SRV"; else fail "network/dns-srv: provisioned via SRV" "see $T/n3b.log"; fi
	check "network/dns-srv: provisional request carries only signed-data-preferred" \
		test "$(bodies "$T/s3b.srv.log" 8443 | sort -u)" = "signed-data-preferred"
fi

# 5. A 10-URI option 143 split over two instances (RFC 3396), too long for
#    udhcpc's 576-octet messages: sztpboot's own DHCPINFORM gets it whole,
#    and all ten servers are tried in order (the tenth provisions).
if start_rig split; then
	server_root root5 8443=onboard
	server "$T/root5" "$T/s5.srv.log" 10.99.0.1:8443 10.99.0.1:9443
	NETRIG_DNSMASQ_DEFAULTS=0 netrig_dnsmasq --domain=example.test --local=/example.test/ \
		--host-record=sztp.example.test,10.99.0.1 \
		--host-record=bootstrap-server-10.example.test,10.99.0.1 >/dev/null 2>&1
	uris=
	for n in 01 02 03 04 05 06 07 08 09 10; do
		uris="$uris --uri https://bootstrap-server-$n.example.test:8443"
	done
	# shellcheck disable=SC2086 # uris are words
	netrig_bg split python3 tests/netrig/dhcp4_split.py --netns "$NETRIG_NS" --interface "$NETRIG_IF" \
		--server-ip 10.99.0.1 --client-ip 10.99.0.120 --dns 10.99.0.1 --domain example.test \
		--log "$T/split.log" --instances 2 --ready-file "$T/split.ready" $uris
	i=0
	while [ ! -f "$T/split.ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	d=$T/n5.img
	cp "$BUILD/images/factory-disk.img" "$d"
	nboot "$d" "$T/n5.log"
	check "network/split: the full list of ten" log_has "$T/n5.log" "dhcp: eth0: option 143: 10 bootstrap servers \\(0 skipped\\)"
	check "network/split: a DHCPINFORM asked for it" grep -q DHCPINFORM "$T/split.log"
	tried=0
	for n in 01 02 03 04 05 06 07 08 09 10; do
		grep -q "https://bootstrap-server-$n.example.test:8443" "$T/n5.log" && tried=$((tried + 1))
	done
	check "network/split: all ten servers tried in order ($tried)" test "$tried" = 10
	if provisioned "$T/n5.log" "$d"; then ok "network/split: the tenth server provisions"; else fail "network/split: the tenth server provisions" "see $T/n5.log"; fi
fi

# 6. Faults, one after another in one walk, each ending in the next server
#    with the log naming it; then a good server still provisions:
#    reply of 100 MB, reply that never finishes, malformed JSON, server
#    down; through a signed redirect (anchored): a certificate for another
#    host name and one for another IP address; on the good server an image
#    URI that is 404 and a connection dropped mid-image (resumed by Range);
#    a signed redirect that points at itself (the depth cap ends it); a
#    trusted server that answers bootstrap-initiated with 500.
if start_rig faults; then
	mkstick "$T/fx-redirect6" SN-1001 --redirect sztp2.example.test:8444 --trust-anchor "$PKI/server-ca.pem" \
		--redirect 10.99.0.1:8445 --trust-anchor "$PKI/server-ca.pem" \
		--redirect '[fd99::1]:8451' --trust-anchor "$PKI/server-ca.pem" \
		--redirect sztp.example.test:9443 --trust-anchor "$PKI/server-ca.pem"
	mkdir -p "$T/fx/loop"
	mkstick "$T/fx-loop" SN-1001 --redirect sztp2.example.test:8450 --trust-anchor "$PKI/server-ca.pem"
	cp "$T/fx-loop/example-oem/SN-1001/bootstrapping-data/"* "$T/fx/loop/"
	mkdir -p "$T/fx/redirect6"
	cp "$T/fx-redirect6/example-oem/SN-1001/bootstrapping-data/"* "$T/fx/redirect6/"
	fixture onboard6 SN-1001 --image "$IMG" --image-uri https://sztp.example.test:9443/images/missing.img "$IMGURI" \
		--os-name ExampleOS --os-version 2.0 --config "$T/conf" --config-handling merge
	server_root root6 8443=redirect6 8446=onboard 8447=onboard 8448=onboard 8450=loop 8451=onboard 9443=onboard6
	echo '{"huge-reply": 100000000}' >"$T/root6/by-port/8446/faults.json"
	echo '{"stall": true}' >"$T/root6/by-port/8447/faults.json"
	echo '{"malformed-json": true}' >"$T/root6/by-port/8448/faults.json"
	echo '{"progress-status": 500}' >"$T/root6/by-port/8451/faults.json"
	echo '{"drop-image-after": 5000000}' >"$T/root6/by-port/9443/faults.json"
	server "$T/root6" "$T/s6.srv.log" 10.99.0.1:8443 10.99.0.1:8446 10.99.0.1:8447 10.99.0.1:8448 \
		10.99.0.1:8450 '[fd99::1]:8451' 10.99.0.1:9443
	mkdir -p "$T/root6w"
	netrig_server --listen 10.99.0.1:8444 --root "$T/root6w" --log "$T/s6w.srv.log" --cert "$PKI/wronghost.pem" \
		--key "$PKI/wronghost.key" --client-ca "$PKI/device-ca.pem" --no-yang >/dev/null 2>&1
	netrig_server --listen 10.99.0.1:8445 --root "$T/root6w" --log "$T/s6i.srv.log" --cert "$PKI/wrongip.pem" \
		--key "$PKI/wrongip.key" --client-ca "$PKI/device-ca.pem" --no-yang >/dev/null 2>&1
	netrig_dnsmasq --dhcp-option-force=143,"$(netrig_sztp_hex https://10.99.0.1:8446 https://10.99.0.1:8447 \
		https://10.99.0.1:8448 https://10.99.0.1:8449 https://10.99.0.1:8450 https://10.99.0.1:8443)" >/dev/null 2>&1
	d=$T/n6.img
	cp "$BUILD/images/factory-disk.img" "$d"
	nboot "$d" "$T/n6.log"
	check "network/faults: 100 MB reply refused" log_has "$T/n6.log" "10.99.0.1:8446: .*(larger|limit|too large)"
	check "network/faults: reply that never finishes times out" log_has "$T/n6.log" "10.99.0.1:8447: .*(time|Time)"
	check "network/faults: malformed JSON refused" log_has "$T/n6.log" "10.99.0.1:8448: .*JSON"
	check "network/faults: server down" log_has "$T/n6.log" "10.99.0.1:8449: .*(refused|connect)"
	check "network/faults: certificate for another host name refused" log_has "$T/n6.log" "sztp2.example.test:8444: .*(name|NAME|host)"
	check "network/faults: certificate for another IP address refused" log_has "$T/n6.log" "10.99.0.1:8445: .*(address|IP|name)"
	check "network/faults: a redirect loop ends at the depth cap" log_has "$T/n6.log" "more than 10 nested redirects"
	check "network/faults: bootstrap-initiated not answered 204 is an error" \
		log_has "$T/n6.log" "report-progress bootstrap-initiated: HTTP status 500, not 204"
	check "network/faults: ... then bootstrap-error is tried and the next server used" \
		test "$(reports "$T/s6.srv.log" 8451 | tr '\n' ' ')" = "bootstrap-initiated bootstrap-error "
	check "network/faults: no bootstrapping data taken from the faulty servers" \
		sh -c "! grep -E '(8444|8445|8446|8447|8448): bootstrapping data received' '$T/n6.log'"
	check "network/faults: image URI 404 moves on" log_has "$T/n6.log" "missing.img.*404"
	check "network/faults: dropped image download resumed with Range" \
		sh -c "grep -q '\"range\": \"bytes=' '$T/s6.srv.log' && grep -q 'resuming' '$T/n6.log'"
	if provisioned "$T/n6.log" "$d"; then ok "network/faults: the good server still provisions"; else fail "network/faults: the good server still provisions" "see $T/n6.log"; fi
fi

# 7. No DHCP option, no DNS records: the board's well-known server
#    (https://sztp.example.test, anchors baked into the image: make keys'
#    server-ta.pem) is authenticated and provisions, with reports.
if start_rig wellknown; then
	server_root root7 443=onboard
	netrig_server --listen 10.99.0.1:443 --listen 10.99.0.1:9443 --root "$T/root7" --log "$T/s7.srv.log" --cert "$KEYS/server.pem" \
		--key "$KEYS/server.key" --client-ca "$PKI/device-ca.pem" --yang "$YANG" >/dev/null 2>&1
	netrig_dnsmasq >/dev/null 2>&1
	d=$T/n7.img
	cp "$BUILD/images/factory-disk.img" "$d"
	nboot "$d" "$T/n7.log"
	check "network/well-known: server authenticated with the baked-in anchor" \
		log_has "$T/n7.log" "https://sztp.example.test:443: get-bootstrapping-data \\(server authenticated\\)"
	if provisioned "$T/n7.log" "$d"; then ok "network/well-known: provisioned"; else fail "network/well-known: provisioned" "see $T/n7.log"; fi
	got=$(reports "$T/s7.srv.log" 443 | tr '\n' ' ' | sed 's/ $//')
	check "network/well-known: minimal progress reports in order ($got)" \
		test "$got" = "bootstrap-initiated boot-image-installed-rebooting bootstrap-complete"
fi
