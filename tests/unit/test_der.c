/* DER reader and time conversions: table of inputs and expected results. */
#include "der.h"
#include "test.h"
#include "timefmt.h"

static const struct {
	const char *name;
	const char *hex;
	int ok; /* der_whole succeeds */
} whole[] = {
	{ "empty sequence", "3000", 1 },
	{ "short form", "0403616263", 1 },
	{ "long form not minimal", "04810100", 0 },
	{ "leading zero length", "0482000100", 0 },
	{ "indefinite length", "30800000", 0 },
	{ "length past end", "040500", 0 },
	{ "trailing garbage", "300000", 0 },
	{ "high tag number", "1f2100", 0 },
	{ "truncated header", "30", 0 },
	{ "huge length", "0484ffffffff00", 0 },
	{ "five length octets", "0485000000000100", 0 },
};

int main(void)
{
	unsigned char buf[512];
	struct der_tlv t;

	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		size_t n = unhex(whole[i].hex, buf, sizeof(buf));
		CHECKF((der_whole(buf, n, &t) == 0) == whole[i].ok, "%s", whole[i].name);
	}

	static const struct {
		const char *s;
		int ok;
		long long v;
	} times[] = {
		{ "1970-01-01T00:00:00Z", 1, 0 },
		{ "2016-10-07T19:31:42Z", 1, 1475868702 },
		{ "2016-10-07T19:31:42.123Z", 1, 1475868702 },
		{ "2016-10-07T21:31:42+02:00", 1, 1475868702 },
		{ "2016-10-07T17:31:42-02:00", 1, 1475868702 },
		{ "2016-02-30T00:00:00Z", 0, 0 },
		{ "2016-10-07 19:31:42Z", 0, 0 },
		{ "2016-10-07T19:31:42", 0, 0 },
		{ "2016-10-07T19:31:42Zjunk", 0, 0 },
		{ "2024-02-29T00:00:00Z", 1, 1709164800 },
		{ "2023-02-29T00:00:00Z", 0, 0 },
	};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		int64_t v = -1;
		int r = rfc3339_parse(times[i].s, strlen(times[i].s), &v);
		CHECKF((r == 0) == times[i].ok && (!times[i].ok || v == times[i].v), "%s -> %lld", times[i].s, (long long)v);
	}
	char out[32];
	rfc3339_format(1475868702, out, sizeof(out));
	CHECK(!strcmp(out, "2016-10-07T19:31:42Z"));

	/* Long form, minimal: 0x81 0x80 then 128 value octets. */
	memset(buf, 0, sizeof(buf));
	buf[0] = 0x04; buf[1] = 0x81; buf[2] = 0x80;
	CHECK(der_whole(buf, 131, &t) == 0 && t.len == 128);
	CHECK(der_whole(buf, 130, &t) < 0);

	/* UTCTime / GeneralizedTime */
	size_t n = unhex("170d3136313030373139333134325a", buf, sizeof(buf));
	int64_t v;
	CHECK(der_whole(buf, n, &t) == 0 && der_time(&t, &v) == 0 && v == 1475868702);
	n = unhex("180f39393939313233313233353935395a", buf, sizeof(buf));
	CHECK(der_whole(buf, n, &t) == 0 && der_time(&t, &v) == 0 && v == 253402300799LL);

	/* INTEGER */
	uint64_t u;
	n = unhex("020200ff", buf, sizeof(buf));
	CHECK(der_whole(buf, n, &t) == 0 && der_uint(&t, &u) == 0 && u == 255);
	n = unhex("02020001", buf, sizeof(buf));
	CHECK(der_whole(buf, n, &t) == 0 && der_uint(&t, &u) < 0);
	n = unhex("0201ff", buf, sizeof(buf));
	CHECK(der_whole(buf, n, &t) == 0 && der_uint(&t, &u) < 0);
	TEST_END();
}
