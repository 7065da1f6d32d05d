/* See source_network.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base64.h"
#include "boot_image.h"
#include "cms.h"
#include "device_identity.h"
#include "fsutil.h"
#include "netaddr.h"
#include "oid.h"
#include "onboarding.h"
#include "progress.h"
#include "readfile.h"
#include "source_network.h"
#include "yang_json.h"

#define REPORT_RECORD ONBOARDING_REPORT_RECORD
#define REPORT_RECORD_MAX (64 * 1024)

enum walk { WALK_CONTINUE, WALK_DONE };

/* One provisioning attempt over the network: one connection, reused. */
struct session {
	struct device *d;
	struct http_conn conn;
	struct validation_clock clk;
	const uint8_t *chain_der[1 + DEVICE_INTERMEDIATES_MAX];
	size_t chain_len[1 + DEVICE_INTERMEDIATES_MAX];
	size_t nchain;
	unsigned timeout_ms;
	struct http_target server;  /* the server whose data is being processed */
	struct http_tls server_tls;
	int failed;                 /* onboarding or validation failed */
};

static struct session S;

static void session_init(struct device *d)
{
	http_conn_close(&S.conn);
	S.d = d;
	validation_clock_init(&S.clk, (int64_t)time(NULL));
	S.nchain = device_identity_chain(&d->id, S.chain_der, S.chain_len, 1 + DEVICE_INTERMEDIATES_MAX);
	S.timeout_ms = d->board.net_timeout * 1000;
	S.failed = 0;
}

static void tls_settings(const struct server_entry *se, struct http_tls *t)
{
	memset(t, 0, sizeof(*t));
	t->auth = se->nanchors ? TLS_AUTH_ANCHORS : TLS_AUTH_PROVISIONAL;
	t->anchors = se->anchors;
	t->nanchors = se->nanchors;
	/* R77, R79: the device always authenticates, trusted server or not. */
	t->client_chain_der = S.chain_der;
	t->client_chain_len = S.chain_len;
	t->client_chain_n = S.nchain;
	t->client_key = &S.d->id.key;
	t->now = S.clk.now;
}

static void entry_free(struct server_entry *se)
{
	free(se->anchor_mem);
	se->anchor_mem = NULL;
	se->nanchors = 0;
}

/*
 * A trust-anchor (6.3, R134): a certs-only SignedData holding one chain
 * that ends in a self-signed root. The server must chain to that root;
 * when the bundle has no self-signed certificate, to its certificates.
 */
static int anchors_from_cms(struct server_entry *se, size_t len, struct errbuf *e)
{
	static struct cms_signed_data sd;
	struct der_tlv ct, content;
	size_t roots = 0;

	if (cms_content_info(se->anchor_mem, len, &ct, &content, e) < 0)
		return -1;
	if (!DER_OID_IS(&ct, OID_SIGNED_DATA) || content.tag != DER_SEQUENCE)
		return errf(e, "trust-anchor is not a SignedData");
	if (cms_signed_data_parse(&content, &sd, e) < 0)
		return -1;
	if (sd.ncerts == 0)
		return errf(e, "trust-anchor holds no certificate");
	for (size_t i = 0; i < sd.ncerts; i++)
		if (x509_names_issue(&sd.certs[i], &sd.certs[i]) && roots < TLS_MAX_ANCHORS)
			se->anchors[roots++] = sd.certs[i];
	if (!roots)
		for (size_t i = 0; i < sd.ncerts && roots < TLS_MAX_ANCHORS; i++)
			se->anchors[roots++] = sd.certs[i];
	se->nanchors = roots;
	return 0;
}

static enum walk walk(struct server_entry *list, size_t n, unsigned depth, const char *origin);

/* Nonce for a trusted server (R80): fresh, 32 octets. */
static int make_nonce(uint8_t *p, size_t n)
{
	return getrandom(p, n, 0) == (ssize_t)n ? 0 : -1;
}

/* The entries of redirect information (6.1), as the trust says (R131-R133). */
static enum walk follow_redirect(const struct validated_info *vi, unsigned depth, const char *from)
{
	const struct json_doc *doc = &vi->ci.doc;
	long list = json_get(doc, vi->ci.body, "bootstrap-server"), item;
	uint32_t k = 0;
	struct server_entry *entries;
	size_t n = 0;
	enum walk r;
	char origin[300];

	if (list < 0 || (item = json_child(doc, (size_t)list)) < 0)
		return WALK_CONTINUE;
	if (depth + 1 > S.d->board.redirect_depth_max) {
		sztp_err("redirect from %s: more than %u nested redirects (R28): not followed", from,
			 S.d->board.redirect_depth_max);
		return WALK_CONTINUE;
	}
	entries = calloc(SZTP_MAX_BOOTSTRAP_SERVERS, sizeof(*entries));
	if (!entries)
		return WALK_CONTINUE;
	for (; k < doc->tok[list].size && n < SZTP_MAX_BOOTSTRAP_SERVERS; k++, item = (long)doc->tok[item].next) {
		struct server_entry *se = &entries[n];
		long a = json_get(doc, (size_t)item, "address"), p = json_get(doc, (size_t)item, "port");
		long ta = json_get(doc, (size_t)item, "trust-anchor");
		uint64_t port = 443;
		struct errbuf e = { 0 };

		if (a < 0 || json_str(doc, (size_t)a, se->host, sizeof(se->host)) < 0)
			continue;
		if (p >= 0 && (json_uint(doc, (size_t)p, 65535, &port) < 0 || port == 0))
			continue;
		se->port = (uint16_t)port;
		if (ta >= 0 && vi->trust == TRUSTED) {
			/* The anchors point into anchor_mem: the DER is decoded there. */
			size_t cap = base64_decoded_max(doc->tok[ta].len);
			long dl = -1;

			if ((se->anchor_mem = malloc(cap)))
				dl = yj_binary(doc, (size_t)ta, se->anchor_mem, cap, "trust-anchor", &e);
			if (dl < 0 || anchors_from_cms(se, (size_t)dl, &e) < 0) {
				sztp_err("redirect from %s: %s: trust-anchor unusable (%s): entry skipped", from,
					 se->host, e.set ? e.msg : "out of memory");
				entry_free(se);
				continue;
			}
		}
		/* R133: untrusted redirect information loses its anchors (never decoded). */
		sztp_log("redirect: %s:%u (%s)", se->host, se->port,
			 se->nanchors ? "trust anchor given" : "provisional");
		n++;
	}
	snprintf(origin, sizeof(origin), "redirect from %s", from);
	r = walk(entries, n, depth + 1, origin);
	for (size_t i = 0; i < n; i++)
		entry_free(&entries[i]);
	free(entries);
	return r;
}

/* Remember the trusted server for bootstrap-complete from the new system. */
static int record_server(void *arg, struct errbuf *e)
{
	const struct server_entry *se = arg;
	char path[400], addr[48];
	char *buf = malloc(REPORT_RECORD_MAX);
	size_t len = 0;
	int r;

	if (!buf)
		return errf(e, "out of memory");
	ip_text((const struct sockaddr *)&S.server.addr, addr, sizeof(addr));
	len += (size_t)snprintf(buf + len, REPORT_RECORD_MAX - len, "host %s\nport %u\naddress %s\n",
				se->host, se->port, addr);
	for (size_t i = 0; i < se->nanchors; i++) {
		long w;

		if (len + 16 + se->anchors[i].whole.rawlen * 4 / 3 + 8 > REPORT_RECORD_MAX)
			break;
		len += (size_t)snprintf(buf + len, REPORT_RECORD_MAX - len, "anchor ");
		w = base64_encode(se->anchors[i].whole.raw, se->anchors[i].whole.rawlen, buf + len,
				  REPORT_RECORD_MAX - len);
		if (w < 0)
			break;
		len += (size_t)w;
		buf[len++] = '\n';
	}
	snprintf(path, sizeof(path), "%s/%s", S.d->data_dir, REPORT_RECORD);
	r = atomic_write_file(path, buf, len, 0600, e);
	free(buf);
	return r;
}

/*
 * Bootstrapping data in hand (5.3): validate, then redirect or onboard.
 * conn_trusted: it came over a connection authenticated with anchors.
 */
static enum walk process_vi(struct validated_info *vi, struct bootstrapping_data *bd, const struct server_entry *se, int conn_trusted,
			 const uint8_t *nonce, const char *level, unsigned depth, const char *from)
{
	struct errbuf e = { 0 };
	struct progress rep = { &S.conn, &S.server, &S.server_tls, S.timeout_ms, level && !strcmp(level, "verbose"), 0 };
	struct progress *p = conn_trusted ? &rep : NULL; /* R141 */
	char msg[400];
	struct trust_inputs in = {
		.dev = &S.d->id,
		.voucher_anchors = S.d->anchors,
		.nvoucher_anchors = S.d->nanchors,
		.nonce = nonce,
		.nonce_len = nonce ? BS_NONCE_LEN : 0,
		.clk = &S.clk,
		.trusted_source = conn_trusted,
	};

	if (bootstrapping_data_validate(bd, &in, vi, &e) < 0) {
		snprintf(msg, sizeof(msg), "%s: rejected: %s", from, e.msg);
		sztp_err("%s", msg);
		device_record_failure(S.d, msg);
		S.failed = 1;
		progress_error(p, "parsing-error", e.msg); /* R147 */
		return WALK_CONTINUE;
	}
	if (vi->ci.type == REDIRECT_INFORMATION) {
		sztp_log("%s: %s redirect-information", from, vi->trust == TRUSTED ? "trusted" : "provisional");
		return follow_redirect(vi, depth, from);
	}
	if (vi->trust != TRUSTED) { /* R30 */
		snprintf(msg, sizeof(msg), "%s: untrusted onboarding-information refused", from);
		sztp_err("%s", msg);
		device_record_failure(S.d, msg);
		S.failed = 1;
		return WALK_DONE;
	}
	sztp_log("%s: onboarding-information validated (%s)%s", from,
		 vi->was_signed ? "signed" : "trusted server",
		 p ? "" : ": no progress reports (server not authenticated, R141)");
	if (progress_report(p, "bootstrap-initiated", NULL, &e) < 0) { /* R145, R146 */
		snprintf(msg, sizeof(msg), "%s: %s", from, e.msg);
		sztp_err("%s", msg);
		device_record_failure(S.d, msg);
		progress_error(p, "bootstrap-error", e.msg);
		S.failed = 1;
		return WALK_CONTINUE; /* nothing was processed yet: the next server */
	}
	struct boot_image_net net = { 0 };
	struct onboarding_ctx ctx = { 0 };

	net.conn = &S.conn;
	tls_settings(se, &net.tls);
	net.tls.auth = TLS_AUTH_PROVISIONAL; /* R152: the hash is what counts */
	net.timeout_ms = S.timeout_ms;
	net.max_resumes = 5;
	ctx.net = &net;
	ctx.progress = p;
	ctx.before_trial = p ? record_server : NULL;
	ctx.arg = (void *)se;
	onboarding_process(S.d, &vi->ci, &ctx, &e); /* R31; returns only on failure */
	snprintf(msg, sizeof(msg), "onboarding failed: %s", e.msg);
	sztp_err("%s", msg);
	device_record_failure(S.d, msg);
	S.failed = 1;
	return WALK_DONE; /* R32 */
}

/* process_vi() with its validated information on the heap: redirects
 * recurse through here, up to redirect-depth-max levels. */
static enum walk process(struct bootstrapping_data *bd, const struct server_entry *se, int conn_trusted,
			 const uint8_t *nonce, const char *level, unsigned depth, const char *from)
{
	struct validated_info *vi = calloc(1, sizeof(*vi));
	enum walk r;

	if (!vi) {
		sztp_err("%s: out of memory", from);
		return WALK_CONTINUE;
	}
	r = process_vi(vi, bd, se, conn_trusted, nonce, level, depth, from);
	free(vi);
	return r;
}

/* One server, every address (R129, R130). */
static enum walk try_server(struct server_entry *se, unsigned depth)
{
	static struct http_target t[HTTP_CLIENT_MAX_ADDRS];
	struct errbuf e = { 0 };
	char from[320];
	int n = http_client_resolve(se->host, se->port, 1, t, HTTP_CLIENT_MAX_ADDRS, &e);

	snprintf(from, sizeof(from), "https://%s%s%s:%u", strchr(se->host, ':') ? "[" : "", se->host,
		 strchr(se->host, ':') ? "]" : "", se->port);
	if (n < 0) {
		sztp_err("%s: %s", from, e.msg);
		return WALK_CONTINUE;
	}
	for (int i = 0; i < n; i++) {
		struct bootstrapping_data *bd;
		struct http_tls tls;
		uint8_t nonce[BS_NONCE_LEN];
		char level[8] = "minimal";
		struct bs_request rq = { 0 };
		enum walk r;

		memset(&e, 0, sizeof(e));
		tls_settings(se, &tls);
		if (http_conn_use(&S.conn, &t[i], &tls, S.timeout_ms, &e) < 0) {
			sztp_err("%s: %s", from, e.msg);
			continue; /* the next address */
		}
		rq.trusted = tls.auth == TLS_AUTH_ANCHORS;
		if (rq.trusted) {
			int slot = S.d->st.active_slot;

			rq.hw_model = S.d->board.hw_model;
			rq.os_name = slot >= 0 ? S.d->st.os_name[slot] : NULL;
			rq.os_version = slot >= 0 ? S.d->st.os_version[slot] : NULL;
			if (make_nonce(nonce, sizeof(nonce)) == 0) {
				rq.nonce = nonce;
				rq.nonce_len = sizeof(nonce);
			}
		}
		sztp_log("%s: get-bootstrapping-data (%s)", from,
			 rq.trusted ? "server authenticated" : "provisional: signed-data-preferred only");
		if (!(bd = calloc(1, sizeof(*bd)))) {
			sztp_err("%s: out of memory", from);
			return WALK_CONTINUE;
		}
		if (bs_get_bootstrapping_data(&S.conn, &rq, bd, level, &e) < 0) {
			char msg[400];

			snprintf(msg, sizeof(msg), "%s: %s", from, e.msg);
			sztp_err("%s", msg);
			device_record_failure(S.d, msg);
			bootstrapping_data_close(bd);
			free(bd);
			/* A server that answered, wrongly, is done with (R130). */
			return WALK_CONTINUE;
		}
		sztp_log("%s: bootstrapping data received (reporting-level %s)", from, level);
		S.server = t[i];
		S.server_tls = tls;
		r = process(bd, se, rq.trusted, rq.nonce, level, depth, from);
		bootstrapping_data_close(bd);
		free(bd);
		return r;
	}
	return WALK_CONTINUE;
}

/* 5.5: each server in order, until one leads to onboarding. */
static enum walk walk(struct server_entry *list, size_t n, unsigned depth, const char *origin)
{
	sztp_log("%s: %zu bootstrap server%s", origin, n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		if (try_server(&list[i], depth) == WALK_DONE)
			return WALK_DONE;
	return WALK_CONTINUE;
}

static enum source_result outcome(void)
{
	http_conn_close(&S.conn);
	return S.failed ? SOURCE_FAILED : SOURCE_NOTHING;
}

enum source_result source_network_well_known(struct device *d)
{
	static struct server_entry entries[BOARD_LIST_MAX];
	static struct x509_cert anchors[TLS_MAX_ANCHORS];
	uint8_t *mem = NULL;
	size_t na = 0, n = 0;
	struct errbuf e = { 0 };

	if (!d->board.nbootstrap_servers)
		return SOURCE_NOTHING;
	session_init(d);
	if (!d->board.bootstrap_server_ta[0] ||
	    cert_file_load(d->board.bootstrap_server_ta, &mem, anchors, TLS_MAX_ANCHORS, &na, &e) < 0) {
		/* Well-known servers without anchors would be reached blindly:
		 * the board promised trust it cannot give. */
		sztp_err("well-known bootstrap servers: no trust anchors (%s)",
			 e.set ? e.msg : "bootstrap-server-ta not set");
		return SOURCE_NOTHING;
	}
	for (unsigned i = 0; i < d->board.nbootstrap_servers; i++) {
		struct bootstrap_server_uri u;
		const char *s = d->board.bootstrap_server[i];

		if (sztp_uri_parse(s, strlen(s), &u) < 0) {
			sztp_err("board: bootstrap-server `%s' is not https://host[:port]", s);
			continue;
		}
		memset(&entries[n], 0, sizeof(entries[n]));
		snprintf(entries[n].host, sizeof(entries[n].host), "%s", u.host);
		entries[n].port = u.port;
		memcpy(entries[n].anchors, anchors, na * sizeof(anchors[0]));
		entries[n].nanchors = na;
		n++;
	}
	walk(entries, n, 0, "well-known servers");
	free(mem);
	return outcome();
}

enum source_result source_network_list(struct device *d, const struct bootstrap_server_list *l,
				       const char *origin)
{
	struct server_entry *entries = calloc(SZTP_MAX_BOOTSTRAP_SERVERS, sizeof(*entries));
	size_t n = 0;

	if (!entries)
		return SOURCE_NOTHING;
	session_init(d);
	for (size_t i = 0; i < l->n && n < SZTP_MAX_BOOTSTRAP_SERVERS; i++, n++) {
		snprintf(entries[n].host, sizeof(entries[n].host), "%s", l->server[i].host);
		entries[n].port = l->server[i].port;
	}
	walk(entries, n, 0, origin);
	free(entries);
	return outcome();
}

enum source_result source_network_artifacts(struct device *d, struct bootstrapping_data *bd,
					    const char *origin)
{
	static struct server_entry none;

	session_init(d);
	process(bd, &none, 0, NULL, NULL, 0, origin);
	return outcome();
}

/* --- after the reboot: bootstrap-complete from the new system --------------- */

struct record {
	struct server_entry se;
	char address[64];
	char level[8];
};

static int load_record(struct device *d, struct record *rec, struct errbuf *e)
{
	char path[400];
	uint8_t *buf;
	size_t len;
	char *line, *save = NULL;

	snprintf(path, sizeof(path), "%s/%s", d->data_dir, REPORT_RECORD);
	if (read_file(path, REPORT_RECORD_MAX, 1, &buf, &len, e) < 0)
		return -1;
	if (!buf)
		return 0;
	memset(rec, 0, sizeof(*rec));
	if (!(rec->se.anchor_mem = malloc(len + 1))) {
		free(buf);
		return errf(e, "out of memory");
	}
	size_t used = 0;
	for (line = strtok_r((char *)buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "host ", 5))
			snprintf(rec->se.host, sizeof(rec->se.host), "%s", line + 5);
		else if (!strncmp(line, "port ", 5))
			rec->se.port = (uint16_t)strtoul(line + 5, NULL, 10);
		else if (!strncmp(line, "address ", 8))
			snprintf(rec->address, sizeof(rec->address), "%s", line + 8);
		else if (!strncmp(line, "anchor ", 7) && rec->se.nanchors < TLS_MAX_ANCHORS) {
			long n = base64_decode(line + 7, strlen(line + 7), rec->se.anchor_mem + used, len + 1 - used);

			if (n > 0 && x509_cert_parse(&rec->se.anchors[rec->se.nanchors], rec->se.anchor_mem + used,
						     (size_t)n) == 0) {
				rec->se.nanchors++;
				used += (size_t)n;
			}
		}
	}
	free(buf);
	if (!rec->se.host[0] || !rec->se.port || !rec->address[0] || !rec->se.nanchors) {
		entry_free(&rec->se);
		return errf(e, "%s: incomplete", path);
	}
	return 1;
}

static void remove_record(struct device *d)
{
	char path[400], dir[400];

	snprintf(path, sizeof(path), "%s/%s", d->data_dir, REPORT_RECORD);
	snprintf(dir, sizeof(dir), "%s/sztp", d->data_dir);
	if (unlink(path) == 0)
		fsync_dir(dir);
}

/* Connect to the recorded server (its address, its anchors). */
static int reconnect(struct device *d, struct record *rec, struct errbuf *e)
{
	struct http_target t;
	struct http_tls tls;

	/* The IDevID only: the new system has no voucher anchors, nor needs them. */
	if (device_identity_load(&d->id, d->board.idevid_cert, d->board.idevid_key, NULL, e) < 0)
		return -1;
	session_init(d);
	if (http_client_resolve(rec->address, rec->se.port, 1, &t, 1, e) < 0)
		return -1;
	snprintf(t.host, sizeof(t.host), "%s", rec->se.host);
	tls_settings(&rec->se, &tls);
	S.server = t;
	S.server_tls = tls;
	return http_conn_use(&S.conn, &t, &tls, S.timeout_ms, e);
}

/* An OpenSSH public key file: "algorithm base64 [comment]". */
static int ssh_key_load(const char *path, char *alg, size_t algcap, char **b64)
{
	uint8_t *buf;
	size_t len;
	struct errbuf e = { 0 };
	char *sp, *end;

	*b64 = NULL;
	if (read_file(path, 16 * 1024, 0, &buf, &len, &e) < 0)
		return -1;
	sp = strchr((char *)buf, ' ');
	if (!sp || (size_t)(sp - (char *)buf) >= algcap) {
		free(buf);
		return -1;
	}
	memcpy(alg, buf, (size_t)(sp - (char *)buf));
	alg[sp - (char *)buf] = 0;
	sp++;
	end = sp + strcspn(sp, " \n");
	*end = 0;
	uint8_t tmp[8192];
	if (base64_decode(sp, strlen(sp), tmp, sizeof(tmp)) < 0) { /* RFC 4253 6.6 blob */
		free(buf);
		return -1;
	}
	*b64 = strdup(sp);
	free(buf);
	return *b64 ? 0 : -1;
}

void source_network_report_complete(struct device *d, int sztp_still_enabled)
{
	static struct record rec;
	struct errbuf e = { 0 };
	struct bs_report r = { .type = "bootstrap-complete" };
	char alg[BS_SSH_KEYS_MAX][64];
	char *keys[BS_SSH_KEYS_MAX] = { 0 };
	uint8_t *ta[BS_TA_CERTS_MAX] = { 0 };
	int have;

	if ((have = load_record(d, &rec, &e)) <= 0) {
		if (have < 0)
			sztp_err("bootstrap-complete: %s", e.msg);
		return;
	}
	if (reconnect(d, &rec, &e) < 0) {
		sztp_err("bootstrap-complete: %s:%u: %s", rec.se.host, rec.se.port, e.msg);
		goto out;
	}
	struct progress p = { &S.conn, &S.server, &S.server_tls, S.timeout_ms, 0, 0 };
	if (sztp_still_enabled) /* R162 */
		progress_error(&p, "bootstrap-warning", "SZTP is still enabled");
	for (unsigned i = 0; i < d->board.nssh_host_keys && r.nssh < BS_SSH_KEYS_MAX; i++) {
		if (ssh_key_load(d->board.ssh_host_key[i], alg[r.nssh], sizeof(alg[0]), &keys[r.nssh]) < 0) {
			sztp_err("bootstrap-complete: %s: not an OpenSSH public key, left out", d->board.ssh_host_key[i]);
			continue;
		}
		r.ssh_alg[r.nssh] = alg[r.nssh];
		r.ssh_key_b64[r.nssh] = keys[r.nssh];
		r.nssh++;
	}
	for (unsigned i = 0; i < d->board.ntrust_anchor_certs && r.nta < BS_TA_CERTS_MAX; i++) {
		size_t len;
		struct errbuf le = { 0 };

		if (read_file(d->board.trust_anchor_cert[i], 64 * 1024, 0, &ta[r.nta], &len, &le) < 0) {
			sztp_err("bootstrap-complete: %s", le.msg);
			continue;
		}
		r.ta_der[r.nta] = ta[r.nta];
		r.ta_len[r.nta++] = len;
	}
	if (bs_report_progress(&S.conn, &r, &e) < 0) { /* R163 */
		sztp_err("%s", e.msg);
		progress_error(&p, "bootstrap-error", e.msg);
	} else {
		sztp_log("progress: bootstrap-complete reported to %s (%zu SSH host keys, %zu trust anchors)",
			 rec.se.host, r.nssh, r.nta);
	}
out:
	http_conn_close(&S.conn);
	for (size_t i = 0; i < BS_SSH_KEYS_MAX; i++)
		free(keys[i]);
	for (size_t i = 0; i < BS_TA_CERTS_MAX; i++)
		free(ta[i]);
	entry_free(&rec.se);
	remove_record(d);
}

void source_network_report_fallback(struct device *d, const char *why)
{
	static struct record rec;
	struct errbuf e = { 0 };

	if (load_record(d, &rec, &e) <= 0)
		return;
	if (reconnect(d, &rec, &e) == 0) {
		struct progress p = { &S.conn, &S.server, &S.server_tls, S.timeout_ms, 0, 0 };

		progress_error(&p, "bootstrap-error", why);
	} else {
		sztp_err("bootstrap-error: %s:%u: %s", rec.se.host, rec.se.port, e.msg);
	}
	http_conn_close(&S.conn);
	entry_free(&rec.se);
	remove_record(d);
}
