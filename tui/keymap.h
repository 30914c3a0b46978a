/*
 * keymap.h: every operator action of the console, in one table. Keys map
 * to actions, never to functions: a screen's key table first, then the
 * global one. Help (?) and the footer hints come from these tables.
 */
#ifndef BERTH_TUI_KEYMAP_H
#define BERTH_TUI_KEYMAP_H

#include <stddef.h>

/* Flags of an action. */
#define ACTF_MUTATES	0x1	/* changes Harbor: refused when read-only */
#define ACTF_TABLE	0x2	/* needs a table on the screen */
#define ACTF_HINT	0x4	/* shown in the footer hints */

/* name, command word, flags, help text */
#define ACTIONS(_)							\
	_(NONE,		"none",		0, "")				\
	_(QUIT,		"quit",		ACTF_HINT, "Leave berth (from the first screen)") \
	_(BACK,		"back",		0, "Cancel, else clear the filter, else go back") \
	_(HELP,		"help",		ACTF_HINT, "Show the keys of this screen") \
	_(PROMPT,	"prompt",	ACTF_HINT, "Run a command (: then Tab completes)") \
	_(REFRESH,	"refresh",	0, "Reload this screen")	\
	_(REDRAW,	"redraw",	0, "Repaint the terminal")	\
	_(UP,		"up",		ACTF_TABLE, "Move up")		\
	_(DOWN,		"down",		ACTF_TABLE, "Move down")	\
	_(PAGE_UP,	"page-up",	ACTF_TABLE, "Move one page up")	\
	_(PAGE_DOWN,	"page-down",	ACTF_TABLE, "Move one page down") \
	_(FIRST,	"first",	ACTF_TABLE, "Go to the first row") \
	_(LAST,		"last",		ACTF_TABLE, "Go to the last row") \
	_(FILTER,	"filter",	ACTF_TABLE|ACTF_HINT, "Filter rows (substring; ! inverts)") \
	_(SORT_PREV,	"sort-prev",	ACTF_TABLE, "Sort by the previous column") \
	_(SORT_NEXT,	"sort-next",	ACTF_TABLE, "Sort by the next column") \
	_(SORT_REVERSE,	"sort-reverse",	ACTF_TABLE, "Reverse the sort order") \
	_(MARK,		"mark",		ACTF_TABLE, "Mark or unmark the row (bulk actions)") \
	_(MARK_ALL,	"mark-all",	ACTF_TABLE, "Mark all shown rows, or unmark all") \
	_(COPY,		"copy",		0, "Copy the selected value (OSC 52 clipboard)") \
	_(OPEN,		"open",		ACTF_TABLE, "Open the selected item") \
	_(NEW,		"new",		ACTF_MUTATES|ACTF_HINT, "Create a new item") \
	_(EDIT,		"edit",		ACTF_MUTATES|ACTF_HINT, "Edit the selected item") \
	_(DELETE,	"delete",	ACTF_MUTATES|ACTF_HINT, "Delete the selected item") \
	_(TEST,		"test",		ACTF_HINT, "Test the connection of the selected item") \
	_(ROTATE,	"rotate",	ACTF_MUTATES|ACTF_HINT, "Rotate the credentials of the selected item") \
	_(SCREEN_REGISTRIES, "registries", ACTF_HINT, "Registries (endpoints)") \
	_(SCREEN_PROJECTS, "projects",	ACTF_HINT, "Projects")		\
	_(SCREEN_REPLICATIONS, "replications", ACTF_HINT, "Replication rules and executions") \
	_(DEMO_CONFIRM,	"demo-confirm",	ACTF_MUTATES, "Open the widget demo delete confirmation")

enum action {
#define ACTION_ENUM(a, n, f, h) ACTION_##a,
	ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
	ACTION_COUNT
};

extern const char *const action_name[ACTION_COUNT];
extern const char *const action_help[ACTION_COUNT];
extern const int action_flags[ACTION_COUNT];

/*
 * Keys: a character is its code point; function keys are KEYC_FN | the
 * curses KEY_ code; control keys are their ASCII code (KEYC_CTRL('r')).
 */
#define KEYC_FN		0x40000000
#define KEYC_CTRL(c)	((c) & 0x1f)
#define KEYC_ESC	0x1b
#define KEYC_ENTER	'\r'
#define KEYC_TAB	'\t'

struct keybind {
	int		 key;
	enum action	 action;
	const char	*help;		/* NULL: action_help[action] */
};

/* The global bindings, after the screen's; terminated by ACTION_NONE. */
extern const struct keybind keymap_global[];

/* Look key up in a table (NULL ok); ACTION_NONE if not bound. */
enum action	 keymap_find(const struct keybind *, int);
/* "q", "Ctrl-R", "PgDn", "Space" ...: a static string. */
const char	*keymap_key_name(int, char *, size_t);
/* ACTION_NONE if no action has this command word. */
enum action	 keymap_action_by_name(const char *);

#endif
