/*
 * output.h: what CLI commands print. Two formats, chosen with -o:
 *  - table: aligned columns with a header line; every cell is sanitised
 *    (san_text) because it may come from the network; columns are as
 *    wide as their widest cell (display width), separated by two spaces,
 *    the last column is not padded;
 *  - json: one document per command, printed by output_json() (formatted,
 *    trailing newline). Keys are stable; see model_*_json() in model.h.
 * Core only (no ncurses). Output goes to a FILE * (stdout for the CLI, a
 * memory stream for the console's : prompt).
 */
#ifndef BERTH_OUTPUT_H
#define BERTH_OUTPUT_H

#include <stdio.h>

struct berr;
struct cJSON;
struct output_table;

enum output_format {
	OUTPUT_TABLE = 0,
	OUTPUT_JSON
};

/* "table" or "json"; -1 with BERR_USAGE otherwise. */
int	output_parse_format(const char *, enum output_format *,
	    struct berr *);
const char *output_format_name(enum output_format);

/*
 * A table of ncols columns. titles: ncols strings (copied), or NULL for
 * a table without a header line (key/value blocks).
 */
struct output_table *output_table_new(size_t ncols,
		    const char *const *titles);
void	output_table_free(struct output_table *);	/* NULL ok */
/* Add a row of ncols cells (NULL cell prints as "-"); copied, sanitised. */
void	output_table_add(struct output_table *, const char *const *cells);
/* Same, from ncols string arguments. */
void	output_table_addv(struct output_table *, ...);
/* Right-align column col (numbers). */
void	output_table_align_right(struct output_table *, size_t col);
/* Print all rows, aligned. */
void	output_table_print(const struct output_table *, FILE *);
size_t	output_table_rows(const struct output_table *);

/*
 * Print a json document (formatted, then "\n"). Borrowed. Invalid UTF-8
 * becomes \ufffd; DEL, C1 controls and bidi/invisible characters are
 * \u-escaped, so the output is valid JSON and safe on a terminal.
 */
void	output_json(FILE *, const struct cJSON *);

/* Print a sanitised line of untrusted text (message lines). */
void	output_line(FILE *, const char *);

#endif
