/* Loading the device identity and trust anchor files (PEM). */
#include <stdlib.h>
#include <string.h>

#include "device_identity.h"
#include "pem.h"
#include "readfile.h"

int cert_file_load(const char *path, uint8_t **mem, struct x509_cert *certs, size_t cap,
		      size_t *n, struct errbuf *e)
{
	uint8_t *pem;
	size_t len, used = 0, k0 = *n;
	char name[64];
	struct der in;

	if (read_board_file(path, 256 * 1024, 0, &pem, &len, e) < 0)
		return -1;
	*mem = malloc(len);
	if (!*mem) {
		free(pem);
		return errf(e, "out of memory");
	}
	in = der_span(pem, len);
	for (;;) {
		size_t dlen;
		int r = pem_next(&in, name, sizeof(name), *mem + used, len - used, &dlen, e);

		if (r <= 0) {
			free(pem);
			if (r < 0)
				return -1;
			break;
		}
		if (strcmp(name, "CERTIFICATE"))
			continue;
		if (*n == cap) {
			free(pem);
			return errf(e, "more than %zu certificates", cap);
		}
		if (x509_cert_parse(&certs[*n], *mem + used, dlen) < 0) {
			free(pem);
			return errf(e, "malformed certificate");
		}
		used += dlen;
		(*n)++;
	}
	if (*n == k0)
		return errf(e, "no certificate found");
	return 0;
}

/* A private key from a PEM file; the PEM is wiped before it is freed. */
static int key_file_load(struct device_key *k, const char *path, struct errbuf *e)
{
	uint8_t *buf = NULL;
	size_t len;
	struct errbuf le = { 0 };
	int r;

	if (read_board_file(path, 64 * 1024, 0, &buf, &len, &le) < 0)
		return errf(e, "%s: %s", path, le.msg);
	r = device_key_load_pem(k, buf, len, &le);
	sztp_wipe(buf, len);
	free(buf);
	if (r < 0)
		return errf(e, "%s: %s", path, le.msg);
	return 0;
}

int client_identity_load(struct client_identity *ci, const char *chain_path, const char *key_path,
			 struct errbuf *e)
{
	struct errbuf le = { 0 };

	memset(ci, 0, sizeof(*ci));
	if (cert_file_load(chain_path, &ci->mem, ci->chain, CLIENT_CHAIN_MAX, &ci->n, &le) < 0) {
		client_identity_free(ci);
		return errf(e, "%s: %s", chain_path, le.msg);
	}
	for (size_t i = 0; i < ci->n; i++) {
		ci->der[i] = ci->chain[i].whole.raw;
		ci->len[i] = ci->chain[i].whole.rawlen;
	}
	if (key_file_load(&ci->key, key_path, e) < 0) {
		client_identity_free(ci);
		return -1;
	}
	return 0;
}

void client_identity_free(struct client_identity *ci)
{
	device_key_wipe(&ci->key);
	free(ci->mem);
	memset(ci, 0, sizeof(*ci));
}

int device_identity_load(struct device_identity *dev, const char *cert_path, const char *key_path,
			 const char *serial, struct errbuf *e)
{
	struct errbuf le = { 0 };

	if (cert_path) {
		struct x509_cert *certs = calloc(1 + DEVICE_INTERMEDIATES_MAX, sizeof(*certs));
		uint8_t *mem = NULL;
		size_t n = 0, used = 0;

		if (!certs)
			return errf(e, "out of memory");
		if (cert_file_load(cert_path, &mem, certs, 1 + DEVICE_INTERMEDIATES_MAX, &n, &le) < 0) {
			free(certs);
			free(mem);
			return errf(e, "%s: %s", cert_path, le.msg);
		}
		/* The first certificate is the device's; intermediates may follow. */
		dev->cert_len = certs[0].whole.rawlen;
		if (dev->cert_len > sizeof(dev->cert_der)) {
			free(certs);
			free(mem);
			return errf(e, "%s: certificate too large", cert_path);
		}
		memcpy(dev->cert_der, certs[0].whole.raw, dev->cert_len);
		dev->ninter = 0;
		for (size_t i = 1; i < n; i++) {
			size_t l = certs[i].whole.rawlen;

			if (l > sizeof(dev->inter_der) - used) {
				free(certs);
				free(mem);
				return errf(e, "%s: intermediate certificates too large", cert_path);
			}
			memcpy(dev->inter_der + used, certs[i].whole.raw, l);
			dev->inter_off[dev->ninter] = used;
			dev->inter_len[dev->ninter++] = l;
			used += l;
		}
		free(certs);
		free(mem);
		x509_cert_parse(&dev->cert, dev->cert_der, dev->cert_len);
		dev->has_cert = 1;
	}
	if (key_path && key_file_load(&dev->key, key_path, e) < 0)
		return -1;
	if (serial) {
		if (strlen(serial) >= sizeof(dev->serial) || !*serial)
			return errf(e, "bad --serial `%s'", serial);
		strcpy(dev->serial, serial);
	} else if (dev->has_cert && dev->cert.serial_number_attr[0]) {
		strcpy(dev->serial, dev->cert.serial_number_attr);
	}
	return 0;
}

size_t device_identity_chain(const struct device_identity *dev, const uint8_t **der, size_t *len,
			     size_t cap)
{
	size_t n = 0;

	if (!dev->has_cert || cap < 1 + dev->ninter)
		return 0;
	der[n] = dev->cert_der;
	len[n++] = dev->cert_len;
	for (size_t i = 0; i < dev->ninter; i++) {
		der[n] = dev->inter_der + dev->inter_off[i];
		len[n++] = dev->inter_len[i];
	}
	return n;
}

void device_identity_wipe(struct device_identity *dev)
{
	device_key_wipe(&dev->key);
}
