/*
 * cmd.h: the one command table, shared by the CLI (berth NAME ARGS...)
 * and the console's ':' prompt (tmux's model).
 *
 * A command is a struct cmd_entry; modules contribute NULL-terminated
 * arrays (cmd-context.c: cmd_context[], cmd-status.c: cmd_status[],
 * cmd-registries.c: cmd_registries[] ...) which cmd.c lists. Names may
 * have several words ("get registries", "context add"); lookup matches the
 * longest name whose words start argv.
 *
 * Writing a command:
 *
 *	static int
 *	cmd_registries_get(struct cmd_ctx *ctx)
 *	{
 *		const char	*name = NULL;
 *		struct cmd_option opts[] = {
 *			{ "name", 0, CMD_OPT_STR, &name, NULL },
 *			{ NULL, 0, 0, NULL, NULL }
 *		};
 *
 *		if (cmd_parse(ctx, opts, 0, 0) == -1)
 *			return (-1);
 *		if (cmd_connect(ctx) == -1)
 *			return (-1);
 *		... ctx->session->harbor, harbor_*_sync(..., &ctx->err) ...
 *		print to ctx->out in ctx->format (output.h)
 *		return (0);
 *	}
 *
 * exec returns 0, or -1 with ctx->err filled; the dispatcher prints
 * "berth: MESSAGE" (plus the usage line for BERR_USAGE) and the exit
 * status is berr_exit_code(&ctx->err). An error with an empty message
 * is not printed (the command already explained itself on ctx->out).
 * -h/--help anywhere in a command's arguments prints its help instead of
 * running it.
 */
#ifndef BERTH_CMD_H
#define BERTH_CMD_H

#include <stdint.h>
#include <stdio.h>

#include "berth/berr.h"
#include "berth/output.h"
#include "berth/session.h"

struct cmd_ctx;

#define CMD_MUTATES	0x1	/* changes Harbor: refused when read-only */
#define CMD_NOSESSION	0x2	/* never connects (context, help) */
#define CMD_CLIONLY	0x4	/* not offered at the console's : prompt */
#define CMD_HIDDEN	0x8	/* not listed by help */

struct cmd_entry {
	const char	*name;		/* "status", "get registries" */
	const char	*usage;		/* after the name: "NAME --url URL" */
	const char	*help;		/* one line, lower case, no period */
	const char	*details;	/* more lines for help NAME, or NULL */
	int		 flags;		/* CMD_* */
	int		(*exec)(struct cmd_ctx *);
};

/* What a command runs with. */
struct cmd_ctx {
	const struct cmd_entry	*entry;
	struct session		*session;	/* connected after cmd_connect */
	int			 argc;		/* words after the name */
	char			**argv;
	/* Set by cmd_parse(): positional arguments (borrowed from argv). */
	int			 nargs;
	char			**args;
	enum output_format	 format;	/* -o, global or after the name */
	FILE			*out;		/* results */
	FILE			*errf;		/* diagnostics, warnings */
	int			 console;	/* run from the console's prompt */
	struct session_opts	 gopts;		/* global options seen after
						   the name (borrowed) */
	struct berr		 err;		/* set when exec returns -1 */
};

/* Option kinds for cmd_parse(). */
enum cmd_opt_kind {
	CMD_OPT_FLAG,		/* int *: set to 1 */
	CMD_OPT_UNFLAG,		/* int *: set to 0 (--no-foo) */
	CMD_OPT_STR,		/* const char **: the value (borrowed) */
	CMD_OPT_INT,		/* int64_t *: decimal, >= 0 */
	CMD_OPT_REFUSE		/* always an error: why says what to do */
};

struct cmd_option {
	const char		*name;		/* long name without "--" */
	int			 short_name;	/* 'n' or 0 */
	enum cmd_opt_kind	 kind;
	void			*ptr;		/* see the kinds */
	const char		*why;		/* CMD_OPT_REFUSE message */
};

/*
 * Parse ctx->argv: "--name value", "--name=value", "-n value", flags,
 * "--" ends options; everything else is positional (ctx->nargs/args,
 * between min_args and max_args; max_args -1: any). Options the command
 * does not define fall back to the global options (-o, -c, --url,
 * --user, --ca-file, --insecure, --read-only, --password-stdin), which
 * are stored in ctx->format / ctx->gopts; so a command may define its
 * own --url (context add, test-connection) and it wins. --password is
 * always refused. At the console's prompt only -o is accepted among the
 * globals. Returns 0, or -1 with ctx->err (BERR_USAGE).
 */
int	cmd_parse(struct cmd_ctx *, const struct cmd_option *, int min_args,
	    int max_args);
/*
 * Connect the session (session_connect with the global options seen so
 * far), then refuse a CMD_MUTATES command in read-only mode
 * (BERR_READONLY "read-only context: NAME changes harbor"). Returns 0 or
 * -1 with ctx->err.
 */
int	cmd_connect(struct cmd_ctx *);

/* How to run a command line. */
struct cmd_run {
	struct session		*session;
	enum output_format	 format;	/* default, from global -o */
	FILE			*out;
	FILE			*errf;
	int			 console;	/* from the : prompt */
	struct berr		 err;		/* out: why it failed */
};

/*
 * Find the command in argv (argv[0] is the first word of its name) and
 * run it. Unknown command: BERR_USAGE ("unknown command \"x\"", with a
 * suggestion when one name starts with it). Prints errors to run->errf
 * (unless NULL). Returns the exit status: 0, 1, 2 or 3.
 */
int	cmd_run(struct cmd_run *, int argc, char **argv);

/* The longest match of argv against the table; *nwords = its words. */
const struct cmd_entry *cmd_find(int argc, char *const *argv, int *nwords);
/* All commands in name order (i < cmd_count()). */
size_t	cmd_count(void);
const struct cmd_entry *cmd_get(size_t);

/* berth --help: usage, global options, the command list. */
void	cmd_usage(FILE *);
/* help for one command ("usage: berth NAME USAGE", help, details). */
void	cmd_help(FILE *, const struct cmd_entry *);
/*
 * Usage lines of the commands whose first word is word ("context"); f
 * may be NULL to count only. Returns how many.
 */
int	cmd_help_group(FILE *, const char *);

/*
 * Split a ':' prompt line into words: blanks separate, '...' and "..."
 * quote, backslash escapes. Returns 0 with *argv (NULL-terminated,
 * cmd_argv_free()) or -1 with BERR_USAGE (unterminated quote).
 */
int	cmd_split(const char *, int *argc, char ***argv, struct berr *);
void	cmd_argv_free(char **);

/*
 * Global options, one table for berth.c's getopt_long, cmd_parse() and
 * the --help text. arg NULL: a flag.
 */
enum cmd_global_id {
	CMD_G_CONTEXT,
	CMD_G_URL,
	CMD_G_USER,
	CMD_G_CA_FILE,
	CMD_G_INSECURE,
	CMD_G_READ_ONLY,
	CMD_G_OUTPUT,
	CMD_G_PASSWORD_STDIN,
	CMD_G_PASSWORD,		/* refused */
	CMD_G_HELP,
	CMD_G_VERSION
};
struct cmd_global {
	const char		*name;		/* long name */
	int			 short_name;	/* or 0 */
	const char		*arg;		/* "NAME", or NULL for a flag */
	const char		*help;		/* NULL: not listed */
	enum cmd_global_id	 id;
};
extern const struct cmd_global cmd_globals[];	/* name NULL ends it */
/*
 * Apply a global option (not HELP/VERSION) to opts and *format. value
 * is borrowed (it must outlive opts). -1 with BERR_USAGE for --password
 * or a bad -o value.
 */
int	cmd_global_apply(enum cmd_global_id, const char *value,
	    struct session_opts *, enum output_format *, struct berr *);

/* Command arrays (NULL-terminated), each from its cmd-*.c. */
extern const struct cmd_entry cmd_context[];	/* cmd-context.c */
extern const struct cmd_entry cmd_status[];	/* cmd-status.c (+ help) */
extern const struct cmd_entry cmd_registries[];	/* cmd-registries.c (D) */

#endif
