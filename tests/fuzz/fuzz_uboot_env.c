/*
 * libFuzzer harness for the U-Boot environment and fw_env.config parsers.
 * The first input byte picks what the rest is:
 *   0-3  one raw copy (bit 0: redundant layout; bit 1: fix its CRC first, so
 *        the parser behind the CRC check is reached)
 *   4    two redundant copies (halves), CRCs fixed, as uboot_env_load sees them
 *   5    fw_env.config text
 *   6    NAME=VALUE text (init files, default.env)
 *   7    lines of "NAME=VALUE" (set) or "NAME" (delete) applied in turn
 * After every success the environment must keep its invariant: terminated
 * inside its capacity, names unique, non-empty, in strcmp() order, each
 * found by uboot_env_get(), and export -> check -> import gives it back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fw_env_config.h"
#include "uboot_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static struct uboot_env env, again;
static uint8_t img[UBOOT_ENV_MAX_SIZE];
static char name[UBOOT_ENV_MAX_SIZE];

static int name_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned x = *a == '=' ? 0 : (unsigned char)*a, y = *b == '=' ? 0 : (unsigned char)*b;

		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			return 0;
	}
}

/* full: also export -> check -> import (three CRCs over the whole copy). */
static void check_env(const struct uboot_env *v, int full)
{
	size_t cap = v->size - uboot_env_header_size(v->redundant), n = 0;
	const char *prev = NULL;

	CHECK(v->used >= 1 && v->used <= cap && v->data[v->used - 1] == 0);
	for (const char *p = uboot_env_first(v); p; p = uboot_env_next(v, p)) {
		const char *eq = strchr(p, '=');
		size_t nlen;

		CHECK(p >= v->data && p < v->data + v->used - 1);
		CHECK(eq && eq > p);
		CHECK(!prev || name_cmp(prev, p) < 0);
		nlen = (size_t)(eq - p);
		memcpy(name, p, nlen);
		name[nlen] = 0;
		CHECK(uboot_env_get(v, name) == eq + 1);
		prev = p;
		n++;
	}
	CHECK(n <= UBOOT_ENV_MAX_VARS && n == uboot_env_count(v));
	if (!full)
		return;
	uboot_env_export(v, v->flags, img);
	CHECK(uboot_env_check_copy(img, v->size, v->redundant, NULL) == 0);
	CHECK(uboot_env_import(&again, img, v->size, v->redundant, NULL) == 0);
	CHECK(again.used == v->used && !memcmp(again.data, v->data, v->used));
	CHECK(again.flags == (v->redundant ? v->flags : 0));
}

static void fix_crc(uint8_t *c, size_t size, int redundant)
{
	size_t hdr = uboot_env_header_size(redundant);
	uint32_t crc = uboot_env_crc32(0, c + hdr, size - hdr);

	for (int i = 0; i < 4; i++)
		c[i] = (uint8_t)(crc >> (8 * i));
}

static void one_copy(const uint8_t *in, size_t len, int redundant, int fix)
{
	if (len < uboot_env_header_size(redundant) + 2 || len > UBOOT_ENV_MAX_SIZE)
		return;
	memcpy(img, in, len);
	if (fix)
		fix_crc(img, len, redundant);
	if (uboot_env_check_copy(img, len, redundant, NULL) < 0) {
		CHECK(uboot_env_import(&env, img, len, redundant, NULL) < 0);
		return;
	}
	CHECK(uboot_env_import(&env, img, len, redundant, NULL) == 0);
	check_env(&env, 1);
}

static void two_copies(const uint8_t *in, size_t len)
{
	static uint8_t c[2][UBOOT_ENV_MAX_SIZE / 2];
	size_t half = len / 2;
	int valid[2], act;

	if (half < 7 || half > sizeof(c[0]))
		return;
	for (int i = 0; i < 2; i++) {
		memcpy(c[i], in + i * half, half);
		/* Leave a copy torn when its first byte says so. */
		if (c[i][0] & 1)
			fix_crc(c[i], half, 1);
		valid[i] = uboot_env_check_copy(c[i], half, 1, NULL) == 0;
	}
	act = uboot_env_pick(valid[0], c[0][4], valid[1], c[1][4], UBOOT_ENV_INCREMENTAL);
	CHECK(act == -1 ? !valid[0] && !valid[1] : valid[act]);
	if (act < 0)
		return;
	CHECK(uboot_env_import(&env, c[act], half, 1, NULL) == 0);
	check_env(&env, 1);
	/* The copy a write makes is the one picked afterwards. */
	uint8_t next = uboot_env_next_flags(c[act][4], UBOOT_ENV_INCREMENTAL);
	CHECK(uboot_env_pick(act == 0, act == 0 ? c[0][4] : next, act == 1, act == 1 ? c[1][4] : next,
			     UBOOT_ENV_INCREMENTAL) == act);
	CHECK(uboot_env_pick(1, act == 0 ? c[0][4] : next, 1, act == 1 ? c[1][4] : next,
			     UBOOT_ENV_INCREMENTAL) == !act);
}

static void config(const uint8_t *in, size_t len)
{
	struct fw_env_config cfg;
	struct errbuf e = { 0, "" };

	if (fw_env_config_parse((const char *)in, len, &cfg, &e) < 0) {
		CHECK(e.set);
		return;
	}
	CHECK(cfg.ncopies == 1 || cfg.ncopies == 2);
	for (int i = 0; i < cfg.ncopies; i++) {
		CHECK(memchr(cfg.copy[i].device, 0, sizeof(cfg.copy[i].device)));
		CHECK(cfg.copy[i].device[0]);
		CHECK(cfg.copy[i].size >= 8 && cfg.copy[i].size <= UBOOT_ENV_MAX_SIZE);
		CHECK(cfg.copy[i].size == cfg.copy[0].size);
	}
}

static void text(const uint8_t *in, size_t len)
{
	CHECK(uboot_env_init(&env, 0x4000, 1) == 0);
	if (uboot_env_import_text(&env, (const char *)in, len, NULL) == 0)
		check_env(&env, 1);
}

static void ops(const uint8_t *in, size_t len)
{
	static char line[0x4000];
	size_t pos = 0;

	CHECK(uboot_env_init(&env, 0x800, 0) == 0);
	while (pos < len) {
		const uint8_t *nl = memchr(in + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - in) - pos : len - pos;
		char *eq;

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, in + pos, n);
		line[n] = 0;
		pos += n + 1;
		eq = strchr(line, '=');
		if (eq)
			*eq = 0;
		size_t before = env.used;
		if (uboot_env_set(&env, line, eq ? eq + 1 : NULL) == 0) {
			const char *v = uboot_env_get(&env, line);

			CHECK(eq ? v && !strcmp(v, eq + 1) : !v);
		} else {
			CHECK(env.used == before);
		}
		check_env(&env, 0);
	}
	check_env(&env, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] & 7) {
	case 0: case 1: case 2: case 3:
		one_copy(data + 1, size - 1, data[0] & 1, data[0] & 2);
		break;
	case 4:
		two_copies(data + 1, size - 1);
		break;
	case 5:
		config(data + 1, size - 1);
		break;
	case 6:
		text(data + 1, size - 1);
		break;
	default:
		ops(data + 1, size - 1);
		break;
	}
	return 0;
}
