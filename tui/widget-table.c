/*
 * widget-table.c: the table every list screen uses. The rows are borrowed
 * pointers; the table keeps an index array of the rows shown (filtered,
 * then sorted), so that 100,000 rows filter and sort without copying and
 * only the visible rows are drawn.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "berth/xmalloc.h"
#include "tui.h"

#define TABLE_CELL 512

void
table_init(struct table *t, const struct column *cols,
    const char *(*row_name)(const void *))
{
	memset(t, 0, sizeof *t);
	t->cols = cols;
	for (t->ncols = 0; cols != NULL && cols[t->ncols].title != NULL;)
		t->ncols++;
	if (t->ncols > TABLE_MAXCOLS)
		fatalx("table: %d columns, at most %d", t->ncols, TABLE_MAXCOLS);
	t->sortcol = -1;
	t->row_name = row_name;
	t->empty = "nothing here";
}

void
table_clear(struct table *t)
{
	free(t->rows);
	free(t->idx);
	free(t->marks);
	t->rows = NULL;
	t->idx = NULL;
	t->marks = NULL;
	t->nrows = t->nidx = t->nmarked = 0;
	t->cur = t->top = 0;
}

static const char *
table_cell(const struct table *t, int col, const void *row, char *buf,
    size_t len)
{
	const char	*s;

	buf[0] = '\0';
	s = t->cols[col].cell(row, buf, len);
	return (s == NULL ? "" : s);
}

/* Does row i pass the filter? Substring of any cell, case-insensitive. */
static int
table_match(const struct table *t, size_t i)
{
	char		 buf[TABLE_CELL];
	const char	*f;
	int		 c, invert, hit;

	f = t->filter;
	if ((invert = (*f == '!')))
		f++;
	if (*f == '\0')
		return (1);
	hit = 0;
	for (c = 0; c < t->ncols && !hit; c++) {
		if (strcasestr(table_cell(t, c, t->rows[i], buf, sizeof buf),
		    f) != NULL)
			hit = 1;
	}
	return (hit != invert);
}

struct table_sortctx {
	const struct table	*t;
	char			**keys;	/* per row, when there is no cmp */
};

static int
table_cmp(const void *a, const void *b, void *arg)
{
	const struct table_sortctx	*sc = arg;
	const struct table		*t = sc->t;
	size_t				 ia = *(const size_t *)a;
	size_t				 ib = *(const size_t *)b;
	int				 r;

	if (sc->keys != NULL)
		r = strcoll(sc->keys[ia], sc->keys[ib]);
	else
		r = t->cols[t->sortcol].cmp(t->rows[ia], t->rows[ib]);
	if (r == 0)	/* stable: load order */
		r = ia < ib ? -1 : ia > ib;
	else if (t->desc)
		r = -r;
	return (r);
}

static void
table_sort_idx(struct table *t)
{
	struct table_sortctx	 sc;
	char			 buf[TABLE_CELL];
	size_t			 i, j;

	if (t->sortcol < 0 || t->nidx < 2) {
		if (t->sortcol < 0 && t->nidx > 1 && t->desc) {
			for (i = 0, j = t->nidx - 1; i < j; i++, j--) {
				size_t tmp = t->idx[i];
				t->idx[i] = t->idx[j];
				t->idx[j] = tmp;
			}
		}
		return;
	}
	sc.t = t;
	sc.keys = NULL;
	if (t->cols[t->sortcol].cmp == NULL) {
		sc.keys = xcalloc(t->nrows, sizeof *sc.keys);
		for (i = 0; i < t->nidx; i++) {
			j = t->idx[i];
			sc.keys[j] = xstrdup(table_cell(t, t->sortcol,
			    t->rows[j], buf, sizeof buf));
		}
	}
	qsort_r(t->idx, t->nidx, sizeof *t->idx, table_cmp, &sc);
	if (sc.keys != NULL) {
		for (i = 0; i < t->nidx; i++)
			free(sc.keys[t->idx[i]]);
		free(sc.keys);
	}
}

static size_t
table_find(const struct table *t, const void *row, const char *name)
{
	size_t	i;

	for (i = 0; i < t->nidx; i++) {
		if (t->rows[t->idx[i]] == row)
			return (i);
	}
	if (name != NULL && t->row_name != NULL) {
		for (i = 0; i < t->nidx; i++) {
			if (strcmp(t->row_name(t->rows[t->idx[i]]), name) == 0)
				return (i);
		}
	}
	return ((size_t)-1);
}

/*
 * Rebuild the shown rows, keeping the selected row when it is still shown;
 * else the first row (first) or the nearest position.
 */
static void
table_rebuild(struct table *t, const void *keep, const char *keepname,
    int first)
{
	size_t	i, at;

	t->idx = xreallocarray(t->idx, t->nrows + 1, sizeof *t->idx);
	t->nidx = 0;
	for (i = 0; i < t->nrows; i++) {
		if (table_match(t, i))
			t->idx[t->nidx++] = i;
	}
	table_sort_idx(t);
	at = table_find(t, keep, keepname);
	if (at != (size_t)-1)
		t->cur = at;
	else if (first)
		t->cur = 0;
	else if (t->cur >= t->nidx)
		t->cur = t->nidx > 0 ? t->nidx - 1 : 0;
}

void
table_set_rows(struct table *t, void *const *rows, size_t n)
{
	char		*keep = NULL;
	const void	*sel;

	sel = table_selected(t);
	if (sel != NULL && t->row_name != NULL)
		keep = xstrdup(t->row_name(sel));
	free(t->rows);
	free(t->marks);
	t->rows = xreallocarray(NULL, n + 1, sizeof *t->rows);
	if (n > 0)
		memcpy(t->rows, rows, n * sizeof *rows);
	t->nrows = n;
	t->marks = xcalloc(n + 1, 1);
	t->nmarked = 0;
	table_rebuild(t, NULL, keep, 0);
	free(keep);
}

void
table_set_filter(struct table *t, const char *f)
{
	const void	*sel;

	sel = table_selected(t);
	strlcpy(t->filter, f, sizeof t->filter);
	table_rebuild(t, sel, NULL, 1);
}

void
table_sort(struct table *t, int col, int desc)
{
	const void	*sel;

	sel = table_selected(t);
	t->sortcol = col < t->ncols ? col : -1;
	t->desc = desc;
	table_rebuild(t, sel, NULL, 0);
}

const void *
table_selected(const struct table *t)
{
	if (t->nidx == 0 || t->cur >= t->nidx)
		return (NULL);
	return (t->rows[t->idx[t->cur]]);
}

size_t
table_targets(const struct table *t, const void ***out)
{
	const void	**v;
	size_t		  i, n;

	*out = NULL;
	if (t->nmarked == 0) {
		if (table_selected(t) == NULL)
			return (0);
		v = xcalloc(1, sizeof *v);
		v[0] = table_selected(t);
		*out = v;
		return (1);
	}
	v = xcalloc(t->nmarked, sizeof *v);
	for (i = 0, n = 0; i < t->nidx && n < t->nmarked; i++) {
		if (t->marks[t->idx[i]])
			v[n++] = t->rows[t->idx[i]];
	}
	*out = v;
	return (n);
}

static void
table_move(struct table *t, long delta)
{
	long	c;

	if (t->nidx == 0)
		return;
	c = (long)t->cur + delta;
	if (c < 0)
		c = 0;
	if (c >= (long)t->nidx)
		c = (long)t->nidx - 1;
	t->cur = (size_t)c;
}

static void
table_mark_all(struct table *t)
{
	size_t	i;
	int	set;

	set = t->nmarked == 0;
	memset(t->marks, 0, t->nrows);
	t->nmarked = 0;
	for (i = 0; set && i < t->nidx; i++) {
		t->marks[t->idx[i]] = 1;
		t->nmarked++;
	}
}

/* Movement, sorting and marks; ACT_PASS for anything else. */
int
table_action(struct table *t, enum action a)
{
	long	page;
	int	c;
	size_t	r;

	page = t->height > 1 ? t->height - 1 : 1;
	switch (a) {
	case ACTION_UP:		table_move(t, -1); break;
	case ACTION_DOWN:	table_move(t, 1); break;
	case ACTION_PAGE_UP:	table_move(t, -page); break;
	case ACTION_PAGE_DOWN:	table_move(t, page); break;
	case ACTION_FIRST:	t->cur = t->top = 0; break;
	case ACTION_LAST:	table_move(t, (long)t->nidx); break;
	case ACTION_SORT_PREV:		/* columns shown, then load order */
		c = t->sortcol;
		do
			c = c < 0 ? t->ncols - 1 : c - 1;
		while (c >= 0 && t->hidden[c]);
		table_sort(t, c, t->desc);
		break;
	case ACTION_SORT_NEXT:
		c = t->sortcol;
		do
			c = c + 1 >= t->ncols ? -1 : c + 1;
		while (c >= 0 && t->hidden[c]);
		table_sort(t, c, t->desc);
		break;
	case ACTION_SORT_REVERSE:
		table_sort(t, t->sortcol, !t->desc);
		break;
	case ACTION_MARK:
		if (t->nidx == 0)
			return (ACT_DONE);
		r = t->idx[t->cur];
		t->marks[r] = !t->marks[r];
		t->nmarked += t->marks[r] ? 1 : -1;
		table_move(t, 1);
		break;
	case ACTION_MARK_ALL:
		table_mark_all(t);
		break;
	default:
		return (ACT_PASS);
	}
	return (ACT_REDRAW);
}

/* Column widths for the window width w (gutter of 2 for marks). */
static void
table_widths(const struct table *t, int w, int *wd)
{
	int	c, d, total, flex, spare, given;

	total = 2;
	flex = 0;
	for (c = 0; c < t->ncols; c++) {
		wd[c] = t->cols[c].width;
		total += wd[c] + (c > 0);
		flex += t->cols[c].flex;
	}
	while (total > w) {	/* hide droppable columns, highest first */
		for (c = 0, d = -1; c < t->ncols; c++) {
			if (t->cols[c].drop > 0 && wd[c] > 0 && (d == -1 ||
			    t->cols[c].drop >= t->cols[d].drop))
				d = c;
		}
		if (d == -1)
			break;
		total -= wd[d] + (d > 0);
		flex -= t->cols[d].flex;
		wd[d] = 0;
	}
	while (total > w) {	/* then shrink flexible columns, to 6 */
		for (c = 0, given = 0; c < t->ncols && total > w; c++) {
			if (t->cols[c].flex > 0 && wd[c] > 6)
				wd[c]--, total--, given++;
		}
		if (given == 0)
			break;
	}
	spare = w - total;
	if (spare <= 0 || t->ncols == 0)
		return;
	if (flex == 0) {
		for (c = t->ncols - 1; c > 0 && wd[c] == 0; c--)
			;
		wd[c] += spare;
		return;
	}
	for (c = 0, given = 0; c < t->ncols; c++) {
		if (t->cols[c].flex > 0 && wd[c] > 0) {
			wd[c] += spare * t->cols[c].flex / flex;
			given += spare * t->cols[c].flex / flex;
		}
	}
	for (c = t->ncols - 1; c >= 0; c--) {
		if (t->cols[c].flex > 0 && wd[c] > 0) {
			wd[c] += spare - given;
			break;
		}
	}
}

static void
table_draw_head(struct table *t, WINDOW *w, int y, const int *wd)
{
	char	 title[128];
	int	 c, x, maxx;

	maxx = getmaxx(w);
	ui_blank(w, y, 0, maxx, UI_COLHEAD);
	for (c = 0, x = 2; c < t->ncols && x < maxx; c++) {
		if (wd[c] == 0)
			continue;
		snprintf(title, sizeof title, "%s%s", t->cols[c].title,
		    c != t->sortcol ? "" : ui.utf8 ?
		    (t->desc ? "\342\226\274" : "\342\226\262") :
		    (t->desc ? "v" : "^"));
		ui_text(w, y, x, wd[c], title, UI_COLHEAD, t->cols[c].align);
		x += wd[c] + 1;
	}
}

static void
table_draw_row(struct table *t, WINDOW *w, int y, size_t i, const int *wd)
{
	char		 buf[TABLE_CELL];
	const void	*row;
	enum ui_role	 base, role;
	size_t		 r;
	int		 c, x, maxx;

	maxx = getmaxx(w);
	r = t->idx[i];
	row = t->rows[r];
	base = i == t->cur ? UI_CURSOR : t->marks[r] ? UI_MARKED : UI_NORMAL;
	ui_blank(w, y, 0, maxx, base);
	ui_text(w, y, 0, 2, t->marks[r] ? "*" : "", base, UI_LEFT);
	for (c = 0, x = 2; c < t->ncols && x < maxx; c++) {
		if (wd[c] == 0)
			continue;
		role = base;
		if (base == UI_NORMAL && t->cols[c].role != NULL)
			role = t->cols[c].role(row);
		ui_text(w, y, x, wd[c], table_cell(t, c, row, buf, sizeof buf),
		    role, t->cols[c].align);
		x += wd[c] + 1;
	}
}

/* Draw the header line and the visible rows in lines y .. y+h-1. */
void
table_draw(struct table *t, WINDOW *w, int y, int h)
{
	int	 wd[TABLE_MAXCOLS], maxx, line, c;
	size_t	 i;

	if (h < 2 || t->ncols == 0)
		return;
	maxx = getmaxx(w);
	table_widths(t, maxx, wd);
	for (c = 0; c < t->ncols; c++)
		t->hidden[c] = wd[c] == 0;
	table_draw_head(t, w, y, wd);
	t->height = h - 1;
	if (t->cur < t->top)
		t->top = t->cur;
	if (t->cur >= t->top + (size_t)t->height)
		t->top = t->cur - (size_t)t->height + 1;
	if (t->top + (size_t)t->height > t->nidx)
		t->top = t->nidx > (size_t)t->height ?
		    t->nidx - (size_t)t->height : 0;
	if (t->nidx == 0) {
		ui_text(w, y + 1, 2, maxx - 2, t->nrows > 0 ?
		    "no rows match the filter" : t->empty, UI_DIM, UI_LEFT);
		return;
	}
	for (line = 0, i = t->top; line < t->height && i < t->nidx;
	    line++, i++)
		table_draw_row(t, w, y + 1 + line, i, wd);
}
