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

void
output_json(FILE *f, const struct cJSON *doc)
{
	char	*s;

	if ((s = cJSON_Print(doc)) == NULL)
		fatalx("cJSON_Print failed");
	fputs(s, f);
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
