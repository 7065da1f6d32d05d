/* PEM decoding on BearSSL's push decoder, bounded by the caller's buffer. */
#include <string.h>

#include <bearssl.h>

#include "pem.h"

struct sink {
	uint8_t *out;
	size_t cap, len;
	int overflow;
};

static void append(void *ctx, const void *data, size_t len)
{
	struct sink *s = ctx;

	if (len > s->cap - s->len) {
		s->overflow = 1;
		return;
	}
	memcpy(s->out + s->len, data, len);
	s->len += len;
}

int pem_next(struct der *in, char *name, size_t namecap, uint8_t *out, size_t cap,
	     size_t *outlen, struct errbuf *e)
{
	br_pem_decoder_context pc;
	struct sink s = { out, cap, 0, 0 };
	int inside = 0;

	br_pem_decoder_init(&pc);
	while (in->len > 0) {
		size_t n = br_pem_decoder_push(&pc, in->p, in->len);

		in->p += n;
		in->len -= n;
		switch (br_pem_decoder_event(&pc)) {
		case BR_PEM_BEGIN_OBJ:
			if (strlen(br_pem_decoder_name(&pc)) >= namecap)
				return errf(e, "PEM label too long");
			strcpy(name, br_pem_decoder_name(&pc));
			br_pem_decoder_setdest(&pc, append, &s);
			inside = 1;
			break;
		case BR_PEM_END_OBJ:
			if (s.overflow)
				return errf(e, "PEM object larger than %zu bytes", cap);
			*outlen = s.len;
			return 1;
		case BR_PEM_ERROR:
			return errf(e, "malformed PEM");
		default:
			break;
		}
	}
	/* BearSSL wants a final newline to close the last line. */
	if (inside) {
		br_pem_decoder_push(&pc, "\n", 1);
		if (br_pem_decoder_event(&pc) == BR_PEM_END_OBJ && !s.overflow) {
			*outlen = s.len;
			return 1;
		}
		return errf(e, "truncated PEM object");
	}
	return 0;
}
