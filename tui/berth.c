/*
 * berth.c: main(). Global options (getopt_long, stopping at the first
 * non-option; the same options are also accepted after the command), then
 * either the console (no command) or one command from the table.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "berth/berr.h"
#include "berth/cmd.h"
#include "berth/console.h"
#include "berth/output.h"
#include "berth/sanitize.h"
#include "berth/session.h"
#include "berth/xmalloc.h"

#define BERTH_MAXOPTS	32

/* getopt_long's tables from cmd_globals. */
static void
berth_getopt_tables(struct option *lopts, char *sopts, size_t ssize)
{
	const struct cmd_global	*g;
	size_t			 n = 0, s = 0;

	sopts[s++] = '+';	/* stop at the first non-option */
	sopts[s++] = ':';	/* ':' for a missing value */
	for (g = cmd_globals; g->name != NULL && n < BERTH_MAXOPTS - 1; g++) {
		lopts[n].name = g->name;
		lopts[n].has_arg = g->arg != NULL ? required_argument :
		    no_argument;
		lopts[n].flag = NULL;
		lopts[n].val = 256 + (int)g->id;
		n++;
		if (g->short_name != 0 && s + 3 < ssize) {
			sopts[s++] = (char)g->short_name;
			if (g->arg != NULL)
				sopts[s++] = ':';
		}
	}
	memset(&lopts[n], 0, sizeof lopts[n]);
	sopts[s] = '\0';
}

static enum cmd_global_id
berth_short_id(int ch)
{
	const struct cmd_global	*g;

	for (g = cmd_globals; g->name != NULL; g++) {
		if (g->short_name == ch)
			return (g->id);
	}
	return (CMD_G_HELP);
}

/* "berth: WHAT ARG" on stderr (ARG sanitised), and the hint; exit 2. */
static int
berth_usage_error(const char *what, const char *arg)
{
	char	*s;

	s = san_str(arg);
	fprintf(stderr, "berth: %s%s%s\nrun \"berth --help\" for the options\n",
	    what, *s != '\0' ? " " : "", s);
	free(s);
	return (2);
}

/*
 * Parse the global options before the command. Returns -1 to go on, or
 * an exit status (help, version, usage error).
 */
static int
berth_options(int argc, char **argv, struct session_opts *so,
    enum output_format *format)
{
	struct option		 lopts[BERTH_MAXOPTS];
	struct berr		 err;
	char			 sopts[64];
	enum cmd_global_id	 id;
	int			 ch;

	berth_getopt_tables(lopts, sopts, sizeof sopts);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, sopts, lopts, NULL)) != -1) {
		if (ch == '?')
			return (berth_usage_error("unknown option",
			    argv[optind - 1]));
		if (ch == ':')
			return (berth_usage_error("option needs a value:",
			    argv[optind - 1]));
		id = ch >= 256 ? (enum cmd_global_id)(ch - 256) :
		    berth_short_id(ch);
		if (id == CMD_G_HELP) {
			cmd_usage(stdout);
			return (0);
		}
		if (id == CMD_G_VERSION) {
			printf("berth %s\n", PACKAGE_VERSION);
			return (0);
		}
		berr_clear(&err);
		if (cmd_global_apply(id, optarg, so, format, &err) == -1)
			return (berth_usage_error(err.msg, ""));
	}
	return (-1);
}

static int
berth_fail(const struct berr *err)
{
	char	*m;

	m = san_str(err->msg);
	fprintf(stderr, "berth: %s\n", m);
	free(m);
	return (berr_exit_code(err));
}

/* No command: connect (a prompt for the password may come first). */
static int
berth_console(struct session *s)
{
	struct berr	err;

	berr_clear(&err);
	if (session_connect(s, &err) == -1)
		return (berth_fail(&err));
	return (console_main(s));
}

int
main(int argc, char **argv)
{
	struct session_opts	 so;
	struct session		*s;
	struct cmd_run		 run;
	struct berr		 err;
	enum output_format	 format = OUTPUT_TABLE;
	int			 rv;

	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	memset(&so, 0, sizeof so);
	if ((rv = berth_options(argc, argv, &so, &format)) != -1)
		return (rv);
	argc -= optind;
	argv += optind;

	berr_clear(&err);
	if (session_new(&so, &s, &err) == -1)
		return (berth_fail(&err));
	if (argc == 0)
		rv = berth_console(s);
	else {
		memset(&run, 0, sizeof run);
		run.session = s;
		run.format = format;
		run.out = stdout;
		run.errf = stderr;
		rv = cmd_run(&run, argc, argv);
	}
	session_free(s);
	if (fflush(stdout) == EOF && rv == 0)
		rv = 1;
	return (rv);
}
