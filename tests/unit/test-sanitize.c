/* test-sanitize.c: san_text, san_copy, san_width (table driven). */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "berth/sanitize.h"

struct san_case {
	const char	*name;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*want;
};

static const struct san_case utf8_cases[] = {
	{ "plain ascii", "plain text 123", 0, "plain text 123" },
	{ "empty", "", 0, "" },
	{ "csi colour", "a\x1b[31mred\x1b[0m", 0,
	  "a\\033[31mred\\033[0m" },
	{ "osc title", "\x1b]0;pwned\x07", 0, "\\033]0;pwned\\007" },
	{ "c1 csi", "x\xc2\x9by", 0, "x\\302\\233y" },
	{ "c1 nel", "\xc2\x85", 0, "\\302\\205" },
	{ "rlo bidi", "x\xe2\x80\xaey", 0, "x\\342\\200\\256y" },
	{ "zero width space", "a\xe2\x80\x8b" "b", 0, "a\\342\\200\\213b" },
	{ "bom", "\xef\xbb\xbfz", 0, "\\357\\273\\277z" },
	{ "isolate", "\xe2\x81\xa6", 0, "\\342\\201\\246" },
	{ "line separator", "\xe2\x80\xa8", 0, "\\342\\200\\250" },
	{ "invalid byte", "a\xff" "b", 0, "a\\377b" },
	{ "lone continuation", "\x80", 0, "\\200" },
	{ "overlong slash", "\xc0\xaf", 0, "\\300\\257" },
	{ "surrogate", "\xed\xa0\x80", 0, "\\355\\240\\200" },
	{ "cut sequence", "ab\xe2\x82", 0, "ab\\342\\202" },
	{ "cut then ascii", "\xe2\x82z", 0, "\\342\\202z" },
	{ "del", "a\x7f", 0, "a\\177" },
	{ "tab newline cr", "a\tb\nc\r", 0, "a\\011b\\012c\\015" },
	{ "embedded nul", "a\0b", 3, "a\\000b" },
	{ "latin1 utf8 kept", "h\xc3\xa9llo", 0, "h\xc3\xa9llo" },
	{ "cjk kept", "\xe6\x97\xa5\xe6\x9c\xac", 0,
	  "\xe6\x97\xa5\xe6\x9c\xac" },
	{ "combining kept", "e\xcc\x81", 0, "e\xcc\x81" },
	{ "backslash kept", "a\\b", 0, "a\\b" },
};

static int
setup_utf8(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return (-1);
	return (0);
}

static void
check_case(const struct san_case *c)
{
	size_t	 len = c->len != 0 ? c->len : strlen(c->in);
	char	*out;

	out = san_text(c->in, len);
	if (strcmp(out, c->want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", c->name, out, c->want);
	free(out);
}

static void
test_text_utf8(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++)
		check_case(&utf8_cases[i]);
}

static void
test_text_c_locale(void **state)
{
	static const struct san_case cases[] = {
		{ "ascii", "abc", 0, "abc" },
		{ "utf8 escaped", "h\xc3\xa9", 0, "h\\303\\251" },
		{ "esc", "\x1b[2J", 0, "\\033[2J" },
	};
	size_t	i;

	(void)state;
	setlocale(LC_ALL, "C");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&cases[i]);
	setlocale(LC_ALL, "C.UTF-8");
}

static void
test_str_null(void **state)
{
	char	*s;

	(void)state;
	s = san_str(NULL);
	assert_string_equal(s, "");
	free(s);
	s = san_str("a\x1b");
	assert_string_equal(s, "a\\033");
	free(s);
}

static void
test_copy(void **state)
{
	char	buf[16];
	size_t	n;

	(void)state;
	/* three CJK characters (9 bytes) into 8 bytes: two fit */
	n = san_copy(buf, 8, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 9);
	assert_int_equal(n, 6);
	assert_string_equal(buf, "\xe6\x97\xa5\xe6\x9c\xac");
	/* an escape is never cut: "ab" + "\033" needs 7 bytes with NUL */
	n = san_copy(buf, 6, "ab\x1b", 3);
	assert_int_equal(n, 2);
	assert_string_equal(buf, "ab");
	n = san_copy(buf, 7, "ab\x1b", 3);
	assert_int_equal(n, 6);
	assert_string_equal(buf, "ab\\033");
	n = san_copy(buf, 1, "abc", 3);
	assert_int_equal(n, 0);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	assert_int_equal(san_copy(buf, 0, "abc", 3), 0);
	assert_int_equal(buf[0], 'x');
	n = san_copy(buf, sizeof buf, "ok", 2);
	assert_int_equal(n, 2);
	assert_string_equal(buf, "ok");
}

static void
test_width(void **state)
{
	char	*s;

	(void)state;
	assert_int_equal(san_width(""), 0);
	assert_int_equal(san_width("abc"), 3);
	assert_int_equal(san_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);
	assert_int_equal(san_width("e\xcc\x81"), 1);
	s = san_text("\x1b", 1);
	assert_int_equal(san_width(s), 4);
	free(s);
	/* unsanitised input still gets a width, never a negative one */
	assert_int_equal(san_width("\x1b"), 4);
	assert_int_equal(san_width("\xff"), 4);
}

/* Pseudo-random bytes: no control byte ever leaves san_text. */
static void
test_invariant(void **state)
{
	unsigned char	 in[64];
	uint32_t	 x = 2463534242u;
	size_t		 i, round;
	char		*out, *p;

	(void)state;
	for (round = 0; round < 2000; round++) {
		for (i = 0; i < sizeof in; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			in[i] = (unsigned char)x;
		}
		out = san_text((const char *)in, sizeof in);
		for (p = out; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				fail_msg("control byte 0x%02x in output",
				    (unsigned char)*p);
		}
		if (mbstowcs(NULL, out, 0) == (size_t)-1)
			fail_msg("output is not valid utf-8");
		free(out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_utf8),
		cmocka_unit_test(test_text_c_locale),
		cmocka_unit_test(test_str_null),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_invariant),
	};

	return (cmocka_run_group_tests_name("sanitize", tests, setup_utf8,
	    NULL));
}
