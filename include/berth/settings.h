/*
 * settings.h: berth's configuration file, a list of named contexts (one
 * Harbor each) and the current one.
 *
 * Path: $BERTH_CONFIG if set (tests), else $XDG_CONFIG_HOME/berth/config
 * (XDG_CONFIG_HOME only if absolute), else ~/.config/berth/config.
 *
 * Format: line based, '#' starts a comment line, blank lines ignored,
 * "key = value": spaces around '=' and at the ends are trimmed, the value
 * is the rest of the line (no quoting, no comment after a value):
 *
 *	current = prod
 *
 *	[context prod]
 *	url = https://harbor.example.com
 *	user = admin
 *	password_source = env:VAR | file:PATH | command:CMD | prompt | stdin
 *	password_command = CMD    (the same as password_source = command:CMD)
 *	ca_file = /path/ca.pem
 *	insecure = false	(true/false, yes/no, on/off, 1/0)
 *	read_only = false
 *
 * Passwords are never stored in this file: a "password" key is refused
 * with an error pointing to password_source (use file:PATH with a 0600
 * file, or command:CMD with a password manager). So the file holds no
 * secret, and settings_save() can never write one. It is still refused
 * when readable or writable by group or others, or not owned by the user
 * (like ssh), because password_source = command:... runs a command.
 *
 * Unknown keys are errors (typos must not silently drop a setting).
 * Context names: 1-64 characters of [A-Za-z0-9._-].
 *
 * Errors are BERR_CONFIG with messages naming the file, and the line for
 * parse errors: "/home/u/.config/berth/config:12: unknown key \"usr\"".
 */
#ifndef BERTH_SETTINGS_H
#define BERTH_SETTINGS_H

#include <sys/queue.h>

#include <stddef.h>

struct berr;

/* One Harbor. All strings are owned (xstrdup); NULL when not set. */
struct context {
	char			*name;		/* never NULL in a settings */
	char			*url;		/* https://harbor.example.com */
	char			*user;
	char			*password_source; /* see secret_from_source() */
	char			*ca_file;
	int			 insecure;	/* skip TLS verification */
	int			 read_only;	/* refuse mutating commands */
	TAILQ_ENTRY(context)	 entry;
};
TAILQ_HEAD(context_list, context);

struct settings {
	char			*path;		/* file loaded / to save */
	char			*current;	/* current context, or NULL */
	struct context_list	 contexts;	/* in file order */
};

/* Default config path (see above); caller frees. */
char		*settings_default_path(void);

/*
 * Load path (NULL: the default path). A missing file gives empty settings
 * (not an error). Returns 0 and *out (caller frees with settings_free), or
 * -1 with err (BERR_CONFIG): permissions, unreadable, parse error.
 */
int		 settings_load(const char *path, struct settings **out,
		     struct berr *);
/*
 * Parse config text as if read from path (used in messages; no file is
 * opened and no permission checked: for tests and fuzzers).
 */
int		 settings_load_buf(const char *path, const char *buf,
		     size_t len, struct settings **out, struct berr *);
/* Empty settings for path (NULL: default path); caller frees. */
struct settings	*settings_new(const char *path);
/*
 * Write atomically: creates the directory (0700) if missing, writes a temp
 * file 0600 in the same directory, fsync, rename over s->path (over the
 * file a symlink points to, if s->path is one). The file is regenerated:
 * comments and blank lines of a hand-edited file are not kept.
 */
int		 settings_save(const struct settings *, struct berr *);
void		 settings_free(struct settings *);		/* NULL ok */

/* Borrowed pointers, valid until the context is removed; NULL if none. */
struct context	*settings_find(const struct settings *, const char *name);
struct context	*settings_current(const struct settings *);
/*
 * Add ctx (the settings takes ownership), replacing (and freeing) any
 * context of the same name at the same position. -1 with err if the name
 * is invalid (ctx is then freed too).
 */
int		 settings_add(struct settings *, struct context *,
		     struct berr *);
/* Remove and free; if it was current, there is no current any more. */
int		 settings_remove(struct settings *, const char *name,
		     struct berr *);
/* Make name the current context; -1 if there is no such context. */
int		 settings_use(struct settings *, const char *name,
		     struct berr *);

/* A context with the given name, every other field unset; caller frees. */
struct context	*context_new(const char *name);
struct context	*context_dup(const struct context *);
void		 context_free(struct context *);		/* NULL ok */
/* Free the strings of a context that is not in a list (settings_resolve). */
void		 context_clear(struct context *);
/* 1 if name is a valid context name. */
int		 context_name_valid(const char *);

/*
 * The effective context for this run, copied into *out (the caller calls
 * context_clear(out) afterwards, also after an error):
 *  - name given: that context, -1 (BERR_CONFIG) if it does not exist;
 *  - name NULL: the current context; if there is none, the only context
 *    if there is exactly one; otherwise an unnamed empty context
 *    (out->name NULL, out->url NULL): not an error here, since
 *    HARBOR_URL or command-line options may still supply everything.
 * Then the environment overrides: HARBOR_URL replaces url,
 * HARBOR_USERNAME replaces user, and when HARBOR_PASSWORD is set (even
 * empty: the secret layer then reports it) password_source becomes
 * "env:HARBOR_PASSWORD". Callers apply command-line options after this,
 * then call context_check().
 */
int		 settings_resolve(const struct settings *, const char *name,
		     struct context *out, struct berr *);
/*
 * Check a resolved context is usable: url set, http:// or https://
 * with a host; BERR_CONFIG otherwise ("no harbor url: ...").
 */
int		 context_check(const struct context *, struct berr *);

#endif
