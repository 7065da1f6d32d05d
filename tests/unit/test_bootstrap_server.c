/*
 * RESTCONF bodies of the bootstrap-server RPCs: what a device sends to an
 * untrusted and to a trusted server (R80-R82), report-progress with and
 * without the bootstrap-complete extras (R84), JSON escaping, the
 * reporting-level filter, and reply decoding limits.
 */
#include "bootstrap_server.h"
#include "json.h"
#include "test.h"

static int is_json(const char *s, size_t n)
{
	struct json_tok tok[64];
	struct json_doc d;
	struct errbuf e = { 0 };

	return json_parse(&d, s, n, tok, 64, NULL, &e) == 0;
}

int main(void)
{
	char buf[4096];
	long n;
	uint8_t nonce[32];

	for (int i = 0; i < 32; i++)
		nonce[i] = (uint8_t)i;

	/* Untrusted: signed-data-preferred and nothing else, whatever is given. */
	struct bs_request u = { 0, "model-x", "ExampleOS", "1.0", nonce, 32 };
	n = bs_request_body(&u, buf, sizeof(buf));
	CHECKF(n > 0 && !strcmp(buf, "{\"ietf-sztp-bootstrap-server:input\":{\"signed-data-preferred\":[null]}}"),
	       "untrusted body: %s", buf);
	CHECK(is_json(buf, (size_t)n));

	/* Trusted: hw-model, os-name, os-version, nonce (base64 of 32 octets). */
	struct bs_request t = { 1, "model-x", "ExampleOS", "1.0", nonce, 32 };
	n = bs_request_body(&t, buf, sizeof(buf));
	CHECKF(n > 0 && !strcmp(buf, "{\"ietf-sztp-bootstrap-server:input\":{\"hw-model\":\"model-x\","
				     "\"os-name\":\"ExampleOS\",\"os-version\":\"1.0\",\"nonce\":"
				     "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}}"),
	       "trusted body: %s", buf);
	CHECK(is_json(buf, (size_t)n));

	/* Trusted without OS (unprovisioned): left out, still valid JSON. */
	struct bs_request t2 = { 1, "", NULL, "", NULL, 0 };
	n = bs_request_body(&t2, buf, sizeof(buf));
	CHECKF(n > 0 && !strcmp(buf, "{\"ietf-sztp-bootstrap-server:input\":{}}"), "empty trusted: %s", buf);

	/* Too small a buffer: refused, never cut. */
	CHECK(bs_request_body(&t, buf, 40) == -1);
	CHECK(bs_request_body(&t, buf, 0) == -1);

	/* report-progress: escaping keeps the JSON valid. */
	struct bs_report r = { .type = "pre-script-warning", .message = "said \"hi\\\"\n\x01\xff ok" };
	n = bs_report_body(&r, buf, sizeof(buf));
	CHECKF(n > 0 && !strcmp(buf, "{\"ietf-sztp-bootstrap-server:input\":{\"progress-type\":"
				     "\"pre-script-warning\",\"message\":\"said \\\"hi\\\\\\\"??? ok\"}}"),
	       "escaped: %s", buf);
	CHECK(is_json(buf, (size_t)n));

	/* SSH keys and trust anchors only with bootstrap-complete (YANG when). */
	static const uint8_t ta[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
	struct bs_report c = { .type = "bootstrap-complete" };
	c.ssh_alg[0] = "ssh-ed25519";
	c.ssh_key_b64[0] = "AAAAC3NzaC1lZDI1NTE5AAAAIA==";
	c.nssh = 1;
	c.ta_der[0] = ta;
	c.ta_len[0] = sizeof(ta);
	c.nta = 1;
	n = bs_report_body(&c, buf, sizeof(buf));
	CHECKF(n > 0 && !strcmp(buf, "{\"ietf-sztp-bootstrap-server:input\":{\"progress-type\":"
				     "\"bootstrap-complete\",\"ssh-host-keys\":{\"ssh-host-key\":[{\"algorithm\":"
				     "\"ssh-ed25519\",\"key-data\":\"AAAAC3NzaC1lZDI1NTE5AAAAIA==\"}]},"
				     "\"trust-anchor-certs\":{\"trust-anchor-cert\":[\"MAMCAQA=\"]}}}"),
	       "complete: %s", buf);
	CHECK(is_json(buf, (size_t)n));
	c.type = "bootstrap-initiated";
	n = bs_report_body(&c, buf, sizeof(buf));
	CHECKF(n > 0 && !strstr(buf, "ssh") && !strstr(buf, "trust-anchor"), "initiated: %s", buf);

	/* A long message is cut at BS_MESSAGE_MAX, not refused. */
	static char longmsg[2000];
	memset(longmsg, 'x', sizeof(longmsg) - 1);
	struct bs_report l = { .type = "informational", .message = longmsg };
	n = bs_report_body(&l, buf, sizeof(buf));
	CHECK(n > BS_MESSAGE_MAX && n < BS_MESSAGE_MAX + 100 && is_json(buf, (size_t)n));

	TEST_END();
}
