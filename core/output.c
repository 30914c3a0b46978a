/*
 * output.c: CLI output, aligned tables of sanitised cells or json.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "berth/berr.h"
#include "berth/output.h"
#include "berth/sanitize.h"
#include "berth/xmalloc.h"

struct output_table {
	size_t		  ncols;
	char		**titles;	/* NULL: no header */
	char		***rows;	/* sanitised cells */
	size_t		  nrows;
	int		 *right;	/* per column */
};

int
output_parse_format(const char *s, enum output_format *out,
    struct berr *err)
{
	if (strcmp(s, "table") == 0)
		*out = OUTPUT_TABLE;
	else if (strcmp(s, "json") == 0)
		*out = OUTPUT_JSON;
	else
		return (berr_set(err, BERR_USAGE, 0,
		    "unknown output format \"%.40s\": use table or json", s));
	return (0);
}

const char *
output_format_name(enum output_format f)
{
	return (f == OUTPUT_JSON ? "json" : "table");
}

struct output_table *
output_table_new(size_t ncols, const char *const *titles)
{
	struct output_table	*t;
	size_t			 i;

	t = xcalloc(1, sizeof *t);
	t->ncols = ncols;
	t->right = xcalloc(ncols, sizeof *t->right);
	if (titles != NULL) {
		t->titles = xcalloc(ncols, sizeof *t->titles);
		for (i = 0; i < ncols; i++)
			t->titles[i] = san_str(titles[i]);
	}
	return (t);
}

void
output_table_free(struct output_table *t)
{
	size_t	i, j;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++)
			free(t->rows[i][j]);
		free(t->rows[i]);
	}
	free(t->rows);
	if (t->titles != NULL) {
		for (j = 0; j < t->ncols; j++)
			free(t->titles[j]);
		free(t->titles);
	}
	free(t->right);
	free(t);
}

void
output_table_add(struct output_table *t, const char *const *cells)
{
	char	**row;
	size_t	  i;

	row = xcalloc(t->ncols, sizeof *row);
	for (i = 0; i < t->ncols; i++)
		row[i] = cells[i] != NULL ? san_str(cells[i]) : xstrdup("-");
	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
	t->rows[t->nrows++] = row;
}

void
output_table_addv(struct output_table *t, ...)
{
	const char	**cells;
	va_list		  ap;
	size_t		  i;

	cells = xcalloc(t->ncols, sizeof *cells);
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		cells[i] = va_arg(ap, const char *);
	va_end(ap);
	output_table_add(t, cells);
	free(cells);
}

void
output_table_align_right(struct output_table *t, size_t col)
{
	if (col < t->ncols)
		t->right[col] = 1;
}

size_t
output_table_rows(const struct output_table *t)
{
	return (t->nrows);
}

static void
output_cell(FILE *f, const char *s, int width, int right, int last)
{
	int	pad;

	pad = width - san_width(s);
	if (pad < 0)
		pad = 0;
	if (right)
		fprintf(f, "%*s%s", pad, "", s);
	else if (last)
		fputs(s, f);
	else
		fprintf(f, "%s%*s", s, pad, "");
	if (!last)
		fputs("  ", f);
}

static void
output_row(FILE *f, const struct output_table *t, char *const *row,
    const int *w)
{
	size_t	j;

	for (j = 0; j < t->ncols; j++)
		output_cell(f, row[j], w[j], t->right[j], j + 1 == t->ncols);
	fputc('\n', f);
}

void
output_table_print(const struct output_table *t, FILE *f)
{
	int	*w, n;
	size_t	 i, j;

	w = xcalloc(t->ncols, sizeof *w);
	for (j = 0; j < t->ncols; j++) {
		if (t->titles != NULL)
			w[j] = san_width(t->titles[j]);
		for (i = 0; i < t->nrows; i++) {
			if ((n = san_width(t->rows[i][j])) > w[j])
				w[j] = n;
		}
	}
	if (t->titles != NULL)
		output_row(f, t, t->titles, w);
	for (i = 0; i < t->nrows; i++)
		output_row(f, t, t->rows[i], w);
	free(w);
}

/*
 * Length of the UTF-8 sequence at s (at most len bytes) and its code
 * point, or 0 when invalid (overlong, surrogate, cut, out of range).
 */
static size_t
output_utf8(const unsigned char *s, size_t len, unsigned int *cp)
{
	size_t		n, i;
	unsigned int	c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2; c = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3; c = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return (0);
	if (n > len)
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

/* Characters a terminal may act on or that hide text: \u-escaped. */
static int
output_json_escape(unsigned int c)
{
	return (c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	    (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2060 && c <= 0x2069) || c == 0xfeff);
}

/*
 * Print a json document, formatted, then "\n". cJSON passes non-ASCII
 * bytes through as they are; outside strings its output is ASCII, so
 * every such byte is inside a string: invalid UTF-8 becomes \ufffd and
 * DEL, C1 controls and bidi/invisible characters become \u escapes. The
 * result is valid JSON that cannot drive a terminal.
 */
void
output_json(FILE *f, const struct cJSON *doc)
{
	const unsigned char	*p;
	unsigned int		 c;
	char			*s;
	size_t			 len, n;

	if ((s = cJSON_Print(doc)) == NULL)
		fatalx("cJSON_Print failed");
	p = (const unsigned char *)s;
	len = strlen(s);
	while (len > 0) {
		if ((n = output_utf8(p, len, &c)) == 0) {
			fputs("\\ufffd", f);
			n = 1;
		} else if (output_json_escape(c))
			fprintf(f, "\\u%04x", c);
		else
			fwrite(p, 1, n, f);
		p += n;
		len -= n;
	}
	fputc('\n', f);
	free(s);
}

void
output_line(FILE *f, const char *s)
{
	char	*t;

	t = san_str(s);
	fputs(t, f);
	fputc('\n', f);
	free(t);
}
