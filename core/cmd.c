/*
 * cmd.c: the command table (see cmd.h): lookup, option parsing, dispatch,
 * help, and the ':' prompt's word splitting.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "berth/berr.h"
#include "berth/cmd.h"
#include "berth/output.h"
#include "berth/sanitize.h"
#include "berth/session.h"
#include "berth/xmalloc.h"

/* Every module's array; cmd_all() flattens and sorts them. */
static const struct cmd_entry *const cmd_tables[] = {
	cmd_context,
	cmd_status,
	cmd_registries,
};

static const struct cmd_entry	**cmd_sorted;
static size_t			  cmd_nsorted;

const struct cmd_global cmd_globals[] = {
	{ "context", 'c', "NAME", "use this context, not the current one",
	  CMD_G_CONTEXT },
	{ "url", 0, "URL", "Harbor URL (overrides the context)", CMD_G_URL },
	{ "user", 0, "NAME", "Harbor user name", CMD_G_USER },
	{ "ca-file", 0, "FILE", "trust this CA certificate for Harbor",
	  CMD_G_CA_FILE },
	{ "insecure", 0, NULL, "do not verify Harbor's TLS certificate",
	  CMD_G_INSECURE },
	{ "read-only", 0, NULL, "refuse commands that change Harbor",
	  CMD_G_READ_ONLY },
	{ "output", 'o', "FORMAT", "table (default) or json", CMD_G_OUTPUT },
	{ "password-stdin", 0, NULL, "read the Harbor password from stdin",
	  CMD_G_PASSWORD_STDIN },
	{ "password", 0, "X", NULL, CMD_G_PASSWORD },
	{ "help", 'h', NULL, "show this help, or a command's help",
	  CMD_G_HELP },
	{ "version", 'V', NULL, "show the version", CMD_G_VERSION },
	{ NULL, 0, NULL, NULL, 0 }
};

#define CMD_PASSWORD_REFUSED "passwords are never accepted on the command " \
	"line: use --password-stdin, HARBOR_PASSWORD, or a context's "	\
	"password_source (file:PATH, command:CMD, env:VAR, prompt)"

static int
cmd_cmp(const void *a, const void *b)
{
	const struct cmd_entry	*const *x = a, *const *y = b;

	return (strcmp((*x)->name, (*y)->name));
}

static void
cmd_all(void)
{
	const struct cmd_entry	*e;
	size_t			 i;

	if (cmd_sorted != NULL)
		return;
	for (i = 0; i < nitems(cmd_tables); i++) {
		for (e = cmd_tables[i]; e->name != NULL; e++) {
			cmd_sorted = xreallocarray(cmd_sorted, cmd_nsorted + 1,
			    sizeof *cmd_sorted);
			cmd_sorted[cmd_nsorted++] = e;
		}
	}
	qsort(cmd_sorted, cmd_nsorted, sizeof *cmd_sorted, cmd_cmp);
}

size_t
cmd_count(void)
{
	cmd_all();
	return (cmd_nsorted);
}

const struct cmd_entry *
cmd_get(size_t i)
{
	cmd_all();
	return (i < cmd_nsorted ? cmd_sorted[i] : NULL);
}

/* Number of words of name matching argv, or 0 if it does not match. */
static int
cmd_match(const char *name, int argc, char *const *argv)
{
	const char	*p = name;
	size_t		 len;
	int		 n = 0;

	while (*p != '\0') {
		len = strcspn(p, " ");
		if (n >= argc || strlen(argv[n]) != len ||
		    strncmp(argv[n], p, len) != 0)
			return (0);
		n++;
		p += len;
		while (*p == ' ')
			p++;
	}
	return (n);
}

const struct cmd_entry *
cmd_find(int argc, char *const *argv, int *nwords)
{
	const struct cmd_entry	*best = NULL;
	size_t			 i;
	int			 n, bestn = 0;

	cmd_all();
	for (i = 0; i < cmd_nsorted; i++) {
		n = cmd_match(cmd_sorted[i]->name, argc, argv);
		if (n > bestn) {
			best = cmd_sorted[i];
			bestn = n;
		}
	}
	if (nwords != NULL)
		*nwords = bestn;
	return (best);
}

int
cmd_global_apply(enum cmd_global_id id, const char *value,
    struct session_opts *o, enum output_format *format, struct berr *err)
{
	switch (id) {
	case CMD_G_CONTEXT:
		o->context = value;
		break;
	case CMD_G_URL:
		o->url = value;
		break;
	case CMD_G_USER:
		o->user = value;
		break;
	case CMD_G_CA_FILE:
		o->ca_file = value;
		break;
	case CMD_G_INSECURE:
		o->insecure = 1;
		break;
	case CMD_G_READ_ONLY:
		o->read_only = 1;
		break;
	case CMD_G_OUTPUT:
		return (output_parse_format(value, format, err));
	case CMD_G_PASSWORD_STDIN:
		o->password_stdin = 1;
		break;
	case CMD_G_PASSWORD:
		return (berr_set(err, BERR_USAGE, 0, "--password: %s",
		    CMD_PASSWORD_REFUSED));
	default:
		return (berr_set(err, BERR_USAGE, 0, "unexpected option"));
	}
	return (0);
}

/* --- cmd_parse -------------------------------------------------------- */

struct cmd_argp {
	const char	*name;		/* as written, for messages */
	const char	*lname;		/* long name without dashes */
	size_t		 lnamelen;
	int		 sname;		/* short, or 0 */
	const char	*value;		/* inline value (--x=v, -xv) */
};

static const struct cmd_option *
cmd_find_option(const struct cmd_option *opts, const struct cmd_argp *ap)
{
	const struct cmd_option	*o;

	for (o = opts; o != NULL && o->name != NULL; o++) {
		if (ap->sname != 0 ? o->short_name == ap->sname :
		    (strlen(o->name) == ap->lnamelen &&
		    strncmp(o->name, ap->lname, ap->lnamelen) == 0))
			return (o);
	}
	return (NULL);
}

static const struct cmd_global *
cmd_find_global(const struct cmd_argp *ap)
{
	const struct cmd_global	*g;

	for (g = cmd_globals; g->name != NULL; g++) {
		if (ap->sname != 0 ? g->short_name == ap->sname :
		    (strlen(g->name) == ap->lnamelen &&
		    strncmp(g->name, ap->lname, ap->lnamelen) == 0))
			return (g);
	}
	return (NULL);
}

/* The value of an option: inline, or the next word. */
static int
cmd_value(struct cmd_ctx *ctx, const struct cmd_argp *ap, int *i,
    const char **value)
{
	if (ap->value != NULL) {
		*value = ap->value;
		return (0);
	}
	if (*i + 1 >= ctx->argc)
		return (berr_set(&ctx->err, BERR_USAGE, 0,
		    "option %s needs a value", ap->name));
	*value = ctx->argv[++*i];
	return (0);
}

static int
cmd_apply_option(struct cmd_ctx *ctx, const struct cmd_option *o,
    const struct cmd_argp *ap, int *i)
{
	const char	*v = NULL, *errstr;
	long long	 n;

	switch (o->kind) {
	case CMD_OPT_FLAG:
	case CMD_OPT_UNFLAG:
		if (ap->value != NULL)
			return (berr_set(&ctx->err, BERR_USAGE, 0,
			    "option %s takes no value", ap->name));
		*(int *)o->ptr = o->kind == CMD_OPT_FLAG;
		return (0);
	case CMD_OPT_STR:
		if (cmd_value(ctx, ap, i, &v) == -1)
			return (-1);
		*(const char **)o->ptr = v;
		return (0);
	case CMD_OPT_INT:
		if (cmd_value(ctx, ap, i, &v) == -1)
			return (-1);
		n = strtonum(v, 0, INT64_MAX, &errstr);
		if (errstr != NULL)
			return (berr_set(&ctx->err, BERR_USAGE, 0,
			    "option %s: number %s", ap->name, errstr));
		*(int64_t *)o->ptr = (int64_t)n;
		return (0);
	case CMD_OPT_REFUSE:
	default:
		return (berr_set(&ctx->err, BERR_USAGE, 0, "option %s: %s",
		    ap->name, o->why != NULL ? o->why : "not allowed"));
	}
}

static int
cmd_apply_global(struct cmd_ctx *ctx, const struct cmd_global *g,
    const struct cmd_argp *ap, int *i)
{
	const char	*v = NULL;

	if (g->id == CMD_G_HELP || g->id == CMD_G_VERSION)
		return (berr_set(&ctx->err, BERR_USAGE, 0,
		    "option %s: not here", ap->name));
	if (ctx->console && g->id != CMD_G_OUTPUT)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "option %s: not "
		    "available at the console prompt", ap->name));
	if (g->arg == NULL && ap->value != NULL)
		return (berr_set(&ctx->err, BERR_USAGE, 0,
		    "option %s takes no value", ap->name));
	/* --password X: refuse without ever looking at X. */
	if (g->id != CMD_G_PASSWORD && g->arg != NULL &&
	    cmd_value(ctx, ap, i, &v) == -1)
		return (-1);
	return (cmd_global_apply(g->id, v, &ctx->gopts, &ctx->format,
	    &ctx->err));
}

/* Split "--name=value" / "-n" / "-nvalue" into ap. */
static int
cmd_split_option(struct cmd_ctx *ctx, const char *a, struct cmd_argp *ap)
{
	const char	*eq;

	memset(ap, 0, sizeof *ap);
	ap->name = a;
	if (a[1] == '-') {
		ap->lname = a + 2;
		if ((eq = strchr(ap->lname, '=')) != NULL) {
			ap->lnamelen = (size_t)(eq - ap->lname);
			ap->value = eq + 1;
		} else
			ap->lnamelen = strlen(ap->lname);
		return (0);
	}
	ap->sname = (unsigned char)a[1];
	if (a[2] != '\0')
		ap->value = a + 2;
	return (0);
}

int
cmd_parse(struct cmd_ctx *ctx, const struct cmd_option *opts, int min_args,
    int max_args)
{
	const struct cmd_option	*o;
	const struct cmd_global	*g;
	struct cmd_argp		 ap;
	const char		*a;
	int			 i, dashdash = 0, rv;

	free(ctx->args);
	ctx->args = xcalloc((size_t)ctx->argc + 1, sizeof *ctx->args);
	ctx->nargs = 0;
	for (i = 0; i < ctx->argc; i++) {
		a = ctx->argv[i];
		if (!dashdash && strcmp(a, "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (dashdash || a[0] != '-' || a[1] == '\0') {
			ctx->args[ctx->nargs++] = ctx->argv[i];
			continue;
		}
		cmd_split_option(ctx, a, &ap);
		if ((o = cmd_find_option(opts, &ap)) != NULL)
			rv = cmd_apply_option(ctx, o, &ap, &i);
		else if ((g = cmd_find_global(&ap)) != NULL)
			rv = cmd_apply_global(ctx, g, &ap, &i);
		else {
			if (ap.sname == 0 && ap.value != NULL)
				rv = berr_set(&ctx->err, BERR_USAGE, 0,
				    "unknown option --%.*s", (int)ap.lnamelen,
				    ap.lname);
			else
				rv = berr_set(&ctx->err, BERR_USAGE, 0,
				    "unknown option %.60s", a);
		}
		if (rv == -1)
			return (-1);
	}
	if (ctx->nargs < min_args)
		return (berr_set(&ctx->err, BERR_USAGE, 0,
		    "missing arguments"));
	if (max_args >= 0 && ctx->nargs > max_args)
		return (berr_set(&ctx->err, BERR_USAGE, 0,
		    "unexpected argument \"%.60s\"", ctx->args[max_args]));
	return (0);
}

/* Once per connection, on the CLI: say that certificates are not checked. */
static void
cmd_warn_insecure(struct cmd_ctx *ctx)
{
	const struct session	*s = ctx->session;
	char			*what;

	if (!s->ctx.insecure || ctx->console || ctx->errf == NULL)
		return;
	what = san_str(s->ctx.name != NULL ? s->ctx.name : s->ctx.url);
	fprintf(ctx->errf, "berth: warning: TLS verification is off for %s "
	    "%s%s%s (insecure)\n", s->ctx.name != NULL ? "context" : "url",
	    s->ctx.name != NULL ? "\"" : "", what,
	    s->ctx.name != NULL ? "\"" : "");
	free(what);
}

int
cmd_connect(struct cmd_ctx *ctx)
{
	struct session	*s = ctx->session;

	if (!s->connected) {
		session_merge_opts(s, &ctx->gopts);
		if (session_connect(s, &ctx->err) == -1)
			return (-1);
		cmd_warn_insecure(ctx);
	}
	if ((ctx->entry->flags & CMD_MUTATES) && s->read_only)
		return (berr_set(&ctx->err, BERR_READONLY, 0,
		    "read-only: \"%s\" changes harbor, refused for %s",
		    ctx->entry->name, session_label(s)));
	return (0);
}

/* --- dispatch --------------------------------------------------------- */

static int
cmd_wants_help(int argc, char *const *argv)
{
	int	i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return (0);
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return (1);
	}
	return (0);
}

/* A command whose name starts with the first word, for "did you mean". */
static const struct cmd_entry *
cmd_suggest(const char *word)
{
	size_t	i, len = strlen(word);

	cmd_all();
	for (i = 0; len > 0 && i < cmd_nsorted; i++) {
		if (strncmp(cmd_sorted[i]->name, word, len) == 0)
			return (cmd_sorted[i]);
	}
	return (NULL);
}

static void
cmd_print_error(FILE *f, const struct berr *err, const struct cmd_entry *e)
{
	char	*m;

	if (f == NULL || err->msg[0] == '\0')
		return;
	m = san_str(err->msg);
	if (e != NULL)
		fprintf(f, "berth: %s: %s\n", e->name, m);
	else
		fprintf(f, "berth: %s\n", m);
	free(m);
	if (err->kind == BERR_USAGE && e != NULL)
		fprintf(f, "usage: berth %s%s%s\n", e->name,
		    e->usage != NULL && *e->usage != '\0' ? " " : "",
		    e->usage != NULL ? e->usage : "");
}

static int
cmd_unknown(struct cmd_run *run, int argc, char **argv)
{
	const struct cmd_entry	*e;

	if (argc == 0)
		berr_set(&run->err, BERR_USAGE, 0, "no command given");
	else if (argc == 1 && run->errf != NULL &&
	    cmd_help_group(NULL, argv[0]) > 0) {
		berr_set(&run->err, BERR_USAGE, 0, "%s: which one?", argv[0]);
		cmd_print_error(run->errf, &run->err, NULL);
		cmd_help_group(run->errf, argv[0]);
		return (berr_exit_code(&run->err));
	} else if ((e = cmd_suggest(argv[0])) != NULL)
		berr_set(&run->err, BERR_USAGE, 0, "unknown command \"%.60s\" "
		    "(did you mean \"%s\"? see berth help)", argv[0], e->name);
	else
		berr_set(&run->err, BERR_USAGE, 0, "unknown command \"%.60s\" "
		    "(see berth help)", argv[0]);
	cmd_print_error(run->errf, &run->err, NULL);
	return (berr_exit_code(&run->err));
}

int
cmd_run(struct cmd_run *run, int argc, char **argv)
{
	const struct cmd_entry	*e;
	struct cmd_ctx		 ctx;
	int			 nw, rv;

	berr_clear(&run->err);
	if (argc == 0 || (e = cmd_find(argc, argv, &nw)) == NULL)
		return (cmd_unknown(run, argc, argv));
	if (run->console && (e->flags & CMD_CLIONLY)) {
		berr_set(&run->err, BERR_USAGE, 0,
		    "not available at the console prompt");
		cmd_print_error(run->errf, &run->err, e);
		return (berr_exit_code(&run->err));
	}
	if (cmd_wants_help(argc - nw, argv + nw)) {
		cmd_help(run->out, e);
		return (0);
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.entry = e;
	ctx.session = run->session;
	ctx.argc = argc - nw;
	ctx.argv = argv + nw;
	ctx.format = run->format;
	ctx.out = run->out;
	ctx.errf = run->errf;
	ctx.console = run->console;
	rv = e->exec(&ctx);
	free(ctx.args);
	fflush(run->out);
	if (rv == 0)
		return (0);
	if (ctx.err.kind == BERR_NONE)
		ctx.err.kind = BERR_OTHER;
	run->err = ctx.err;
	cmd_print_error(run->errf, &run->err, e);
	return (berr_exit_code(&run->err));
}

/* --- help ------------------------------------------------------------- */

void
cmd_usage(FILE *f)
{
	const struct cmd_global	*g;
	const struct cmd_entry	*e;
	char			 buf[128];
	size_t			 i;

	fputs("usage: berth [options] [command [arguments]]\n\n"
	    "berth is a console and command line for Harbor. Without a "
	    "command it opens\nthe console.\n\nOptions (also accepted after "
	    "the command):\n", f);
	for (g = cmd_globals; g->name != NULL; g++) {
		if (g->help == NULL)
			continue;
		if (g->short_name != 0)
			snprintf(buf, sizeof buf, "-%c, --%s%s%s",
			    g->short_name, g->name, g->arg ? " " : "",
			    g->arg ? g->arg : "");
		else
			snprintf(buf, sizeof buf, "--%s%s%s", g->name,
			    g->arg ? " " : "", g->arg ? g->arg : "");
		fprintf(f, "  %-22s %s\n", buf, g->help);
	}
	fputs("\nCommands:\n", f);
	cmd_all();
	for (i = 0; i < cmd_nsorted; i++) {
		e = cmd_sorted[i];
		if (e->flags & CMD_HIDDEN)
			continue;
		fprintf(f, "  %-22s %s\n", e->name, e->help);
	}
	fputs("\nRun \"berth help COMMAND\" for a command's arguments.\n"
	    "Environment: HARBOR_URL, HARBOR_USERNAME, HARBOR_PASSWORD "
	    "override the context;\nBERTH_CONFIG names the config file.\n"
	    "Exit status: 0 ok, 1 failure, 2 usage error, 3 connection, TLS "
	    "or\nauthentication failure.\n", f);
}

void
cmd_help(FILE *f, const struct cmd_entry *e)
{
	fprintf(f, "usage: berth %s%s%s\n\n%s\n", e->name,
	    e->usage != NULL && *e->usage != '\0' ? " " : "",
	    e->usage != NULL ? e->usage : "", e->help);
	if (e->details != NULL)
		fprintf(f, "\n%s\n", e->details);
	if (e->flags & CMD_MUTATES)
		fputs("\nChanges Harbor: refused with --read-only.\n", f);
}

/* help context: the commands whose first word is word. */
int
cmd_help_group(FILE *f, const char *word)
{
	const struct cmd_entry	*e;
	size_t			 i, len = strlen(word);
	int			 n = 0;

	for (i = 0; i < cmd_count(); i++) {
		e = cmd_get(i);
		if (strncmp(e->name, word, len) != 0 || e->name[len] != ' ' ||
		    (e->flags & CMD_HIDDEN))
			continue;
		if (f != NULL)
			fprintf(f, "%s%s %s\n", n == 0 ? "usage: berth " :
			    "       berth ", e->name,
			    e->usage != NULL ? e->usage : "");
		n++;
	}
	return (n);
}

/* --- the ':' prompt's words ------------------------------------------- */

int
cmd_split(const char *line, int *argcp, char ***argvp, struct berr *err)
{
	char	**argv = NULL, *w;
	size_t	  n = 0, wl;
	int	  quote, inword;

	w = xmalloc(strlen(line) + 1);
	for (;;) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0')
			break;
		wl = 0;
		quote = 0;
		inword = 1;
		while (inword && *line != '\0') {
			if (quote != 0 && *line == quote)
				quote = 0;
			else if (quote == 0 && (*line == '\'' || *line == '"'))
				quote = *line;
			else if (quote == 0 && (*line == ' ' || *line == '\t'))
				inword = 0;
			else if (quote != '\'' && *line == '\\' &&
			    line[1] != '\0')
				w[wl++] = *++line;
			else
				w[wl++] = *line;
			if (inword)
				line++;
		}
		if (quote != 0) {
			free(w);
			argv = xreallocarray(argv, n + 1, sizeof *argv);
			argv[n] = NULL;
			cmd_argv_free(argv);
			return (berr_set(err, BERR_USAGE, 0,
			    "unterminated quote"));
		}
		argv = xreallocarray(argv, n + 2, sizeof *argv);
		w[wl] = '\0';
		argv[n++] = xstrdup(w);
		argv[n] = NULL;
	}
	free(w);
	if (argv == NULL)
		argv = xcalloc(1, sizeof *argv);
	*argcp = (int)n;
	*argvp = argv;
	return (0);
}

void
cmd_argv_free(char **argv)
{
	size_t	i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}
