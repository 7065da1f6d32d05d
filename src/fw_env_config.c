/* See fw_env_config.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_env_config.h"
#include "readfile.h"
#include "uboot_env.h"
#include "hex.h"

/* Smallest copy: CRC, flags, and an empty environment ("\0\0"), rounded up. */
#define ENV_MIN_SIZE 8

struct token {
	const char *p;
	size_t len;
};

static int is_blank(char c)
{
	/* What sscanf() skips between libubootenv's fields. */
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Digits in base (8, 10, 16) up to max; the whole token must be used. */
static int parse_digits(const char *p, size_t len, unsigned base, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int d = hex_digit(p[i]);

		if (d < 0 || (unsigned)d >= base || v > (max - (unsigned)d) / base)
			return -1;
		v = v * base + (unsigned)d;
	}
	*out = v;
	return 0;
}

/*
 * OFFSET as libubootenv's "%lli": 0x/0X hex, a leading 0 octal, else
 * decimal. A minus sign means "from the end of the device" there; that
 * needs the device's size at parse time, so it is refused here (-2).
 */
static int parse_offset(struct token t, uint64_t *out)
{
	if (t.len && (t.p[0] == '-' || t.p[0] == '+')) {
		if (t.p[0] == '-')
			return -2;
		t.p++, t.len--;
	}
	if (t.len > 2 && t.p[0] == '0' && (t.p[1] == 'x' || t.p[1] == 'X'))
		return parse_digits(t.p + 2, t.len - 2, 16, UINT64_MAX, out);
	if (t.len > 1 && t.p[0] == '0')
		return parse_digits(t.p + 1, t.len - 1, 8, UINT64_MAX, out);
	return parse_digits(t.p, t.len, 10, UINT64_MAX, out);
}

/* ENVSIZE, SECTORSIZE, NUMSECTORS as libubootenv's "%zx": hex, 0x optional. */
static int parse_hex(struct token t, uint64_t max, uint64_t *out)
{
	if (t.len && t.p[0] == '+')
		t.p++, t.len--;
	if (t.len > 2 && t.p[0] == '0' && (t.p[1] == 'x' || t.p[1] == 'X'))
		t.p += 2, t.len -= 2;
	return parse_digits(t.p, t.len, 16, max, out);
}

static int parse_int(struct token t)
{
	uint64_t v;

	if (t.len && (t.p[0] == '-' || t.p[0] == '+'))
		t.p++, t.len--;
	return parse_digits(t.p, t.len, 10, INT32_MAX, &v);
}

/* Split one line into at most max fields; a field starting '#' ends it. */
static size_t split(const char *p, size_t len, struct token *tok, size_t max, int *toomany)
{
	size_t n = 0, i = 0;

	*toomany = 0;
	for (;;) {
		while (i < len && is_blank(p[i]))
			i++;
		if (i == len || p[i] == '#')
			return n;
		if (n == max) {
			*toomany = 1;
			return n;
		}
		tok[n].p = p + i;
		while (i < len && !is_blank(p[i]))
			i++;
		tok[n].len = (size_t)(p + i - tok[n].p);
		n++;
	}
}

static int parse_line(const char *p, size_t len, struct fw_env_copy *c, struct errbuf *e)
{
	/* DEVICE OFFSET ENVSIZE [SECTORSIZE [NUMSECTORS [DISABLE_MTD_LOCK]]] */
	struct token t[6];
	uint64_t v;
	int toomany, r;
	size_t n = split(p, len, t, 6, &toomany);

	if (toomany)
		return errf(e, "more than 6 fields (DEVICE OFFSET ENVSIZE [SECTORSIZE [NUMSECTORS]])");
	if (n < 3)
		return errf(e, "expected DEVICE OFFSET ENVSIZE [SECTORSIZE [NUMSECTORS]]");
	memset(c, 0, sizeof(*c));
	if (t[0].len >= sizeof(c->device))
		return errf(e, "device name longer than %zu bytes", sizeof(c->device) - 1);
	memcpy(c->device, t[0].p, t[0].len);
	r = parse_offset(t[1], &c->offset);
	if (r == -2)
		return errf(e, "negative OFFSET `%.*s' (from the end of the device) is not supported",
			    (int)t[1].len, t[1].p);
	if (r < 0)
		return errf(e, "bad OFFSET `%.*s'", (int)t[1].len, t[1].p);
	if (parse_hex(t[2], UINT64_MAX, &v) < 0)
		return errf(e, "bad ENVSIZE `%.*s' (hex, as libubootenv reads it)", (int)t[2].len, t[2].p);
	if (v < ENV_MIN_SIZE || v > UBOOT_ENV_MAX_SIZE)
		return errf(e, "ENVSIZE 0x%llx is outside 0x%x..0x%x (always hex: `%.*s')",
			    (unsigned long long)v, ENV_MIN_SIZE, UBOOT_ENV_MAX_SIZE, (int)t[2].len, t[2].p);
	c->size = (size_t)v;
	if (c->offset > UINT64_MAX - c->size)
		return errf(e, "OFFSET + ENVSIZE overflows");
	if (n > 3) {
		if (parse_hex(t[3], SIZE_MAX, &v) < 0)
			return errf(e, "bad SECTORSIZE `%.*s' (hex)", (int)t[3].len, t[3].p);
		c->sector_size = (size_t)v;
	}
	/* NUMSECTORS and DISABLE_MTD_LOCK only matter for MTD erase blocks. */
	if (n > 4 && parse_hex(t[4], UINT32_MAX, &v) < 0)
		return errf(e, "bad NUMSECTORS `%.*s' (hex)", (int)t[4].len, t[4].p);
	if (n > 5 && parse_int(t[5]) < 0)
		return errf(e, "bad DISABLE_MTD_LOCK `%.*s'", (int)t[5].len, t[5].p);
	return 0;
}

int fw_env_config_parse(const char *text, size_t len, struct fw_env_config *cfg, struct errbuf *e)
{
	size_t pos = 0, lineno = 0;

	memset(cfg, 0, sizeof(*cfg));
	if (len > FW_ENV_CONFIG_MAX)
		return errf(e, "larger than %d bytes", FW_ENV_CONFIG_MAX);
	if (memchr(text, 0, len))
		return errf(e, "contains a NUL byte");
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		struct fw_env_copy c;
		struct errbuf le = { 0, "" };

		pos += n + (nl != NULL);
		lineno++;
		if (n > FW_ENV_CONFIG_LINE_MAX)
			return errf(e, "line %zu: longer than %d bytes", lineno,
				    FW_ENV_CONFIG_LINE_MAX);
		size_t i = 0;
		while (i < n && is_blank(line[i]))
			i++;
		if (i == n || line[i] == '#')
			continue;
		if (parse_line(line, n, &c, &le) < 0)
			return errf(e, "line %zu: %s", lineno, le.msg);
		/* libubootenv stops after two; a third line is a mistake here. */
		if (cfg->ncopies == 2)
			return errf(e, "line %zu: a third environment copy", lineno);
		cfg->copy[cfg->ncopies++] = c;
	}
	if (cfg->ncopies == 0)
		return errf(e, "no environment copy (DEVICE OFFSET ENVSIZE)");
	if (cfg->ncopies == 2) {
		const struct fw_env_copy *a = &cfg->copy[0], *b = &cfg->copy[1];

		/* Both tools refuse redundant copies of unequal size. */
		if (a->size != b->size)
			return errf(e, "the copies differ in ENVSIZE (0x%zx, 0x%zx)",
				    a->size, b->size);
		/* A write to one copy must never touch the other. */
		if (!strcmp(a->device, b->device) && a->offset < b->offset + b->size &&
		    b->offset < a->offset + a->size)
			return errf(e, "the two copies overlap on %s", a->device);
	}
	return 0;
}

int fw_env_config_load(const char *path, struct fw_env_config *cfg, struct errbuf *e)
{
	uint8_t *buf;
	size_t len;
	int r;

	char pre[128];

	memset(cfg, 0, sizeof(*cfg));
	snprintf(pre, sizeof(pre), "%s: ", path);
	if (read_file(path, FW_ENV_CONFIG_MAX, 0, &buf, &len, e) < 0)
		return e ? errwrap(e, pre, "") : -1;
	r = fw_env_config_parse((const char *)buf, len, cfg, e);
	free(buf);
	if (r < 0 && e)
		errwrap(e, pre, "");
	return r;
}
