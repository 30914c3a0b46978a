/*
 * keymap.c: the ACTIONS table expanded, the global key bindings, key names.
 */
#include "config.h"

#include "keymap.h"

#include <stdio.h>
#include <string.h>

#include <curses.h>

const char *const action_name[ACTION_COUNT] = {
#define ACTION_NAME(a, n, f, h) n,
	ACTIONS(ACTION_NAME)
#undef ACTION_NAME
};

const char *const action_help[ACTION_COUNT] = {
#define ACTION_HELP(a, n, f, h) h,
	ACTIONS(ACTION_HELP)
#undef ACTION_HELP
};

const int action_flags[ACTION_COUNT] = {
#define ACTION_FLAGS(a, n, f, h) f,
	ACTIONS(ACTION_FLAGS)
#undef ACTION_FLAGS
};

const struct keybind keymap_global[] = {
	{ '?',			ACTION_HELP,		NULL },
	{ KEYC_FN | KEY_F(1),	ACTION_HELP,		NULL },
	{ ':',			ACTION_PROMPT,		NULL },
	{ 'q',			ACTION_QUIT,		"Go back; on the first screen, "
	    "leave berth" },
	{ KEYC_ESC,		ACTION_BACK,		NULL },
	{ KEYC_FN | KEY_BACKSPACE, ACTION_BACK,		NULL },
	{ KEYC_CTRL('r'),	ACTION_REFRESH,		NULL },
	{ KEYC_FN | KEY_F(5),	ACTION_REFRESH,		NULL },
	{ KEYC_CTRL('l'),	ACTION_REDRAW,		NULL },
	{ 'k',			ACTION_UP,		NULL },
	{ KEYC_FN | KEY_UP,	ACTION_UP,		NULL },
	{ 'j',			ACTION_DOWN,		NULL },
	{ KEYC_FN | KEY_DOWN,	ACTION_DOWN,		NULL },
	{ KEYC_FN | KEY_PPAGE,	ACTION_PAGE_UP,		NULL },
	{ KEYC_CTRL('b'),	ACTION_PAGE_UP,		NULL },
	{ KEYC_FN | KEY_NPAGE,	ACTION_PAGE_DOWN,	NULL },
	{ KEYC_CTRL('f'),	ACTION_PAGE_DOWN,	NULL },
	{ 'g',			ACTION_FIRST,		NULL },
	{ KEYC_FN | KEY_HOME,	ACTION_FIRST,		NULL },
	{ 'G',			ACTION_LAST,		NULL },
	{ KEYC_FN | KEY_END,	ACTION_LAST,		NULL },
	{ '/',			ACTION_FILTER,		NULL },
	{ '<',			ACTION_SORT_PREV,	NULL },
	{ '>',			ACTION_SORT_NEXT,	NULL },
	{ 'I',			ACTION_SORT_REVERSE,	NULL },
	{ ' ',			ACTION_MARK,		NULL },
	{ '*',			ACTION_MARK_ALL,	NULL },
	{ 'y',			ACTION_COPY,		NULL },
	{ KEYC_ENTER,		ACTION_OPEN,		NULL },
	{ KEYC_FN | KEY_ENTER,	ACTION_OPEN,		NULL },
	{ 0,			ACTION_NONE,		NULL }
};

enum action
keymap_find(const struct keybind *map, int key)
{
	if (map == NULL)
		return (ACTION_NONE);
	for (; map->action != ACTION_NONE; map++) {
		if (map->key == key)
			return (map->action);
	}
	return (ACTION_NONE);
}

enum action
keymap_action_by_name(const char *name)
{
	int	a;

	for (a = 1; a < ACTION_COUNT; a++) {
		if (strcmp(action_name[a], name) == 0)
			return ((enum action)a);
	}
	return (ACTION_NONE);
}

const char *
keymap_key_name(int key, char *buf, size_t len)
{
	static const struct {
		int		 key;
		const char	*name;
	} names[] = {
		{ KEYC_ESC, "Esc" }, { KEYC_ENTER, "Enter" },
		{ KEYC_TAB, "Tab" }, { ' ', "Space" },
		{ KEYC_FN | KEY_UP, "Up" }, { KEYC_FN | KEY_DOWN, "Down" },
		{ KEYC_FN | KEY_LEFT, "Left" }, { KEYC_FN | KEY_RIGHT, "Right" },
		{ KEYC_FN | KEY_PPAGE, "PgUp" }, { KEYC_FN | KEY_NPAGE, "PgDn" },
		{ KEYC_FN | KEY_HOME, "Home" }, { KEYC_FN | KEY_END, "End" },
		{ KEYC_FN | KEY_ENTER, "KpEnter" },
		{ KEYC_FN | KEY_BACKSPACE, "BSpace" },
		{ KEYC_FN | KEY_DC, "Delete" },
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].key == key)
			return (names[i].name);
	}
	if ((key & KEYC_FN) && (key & ~KEYC_FN) >= KEY_F(1) &&
	    (key & ~KEYC_FN) <= KEY_F(12))
		snprintf(buf, len, "F%d", (key & ~KEYC_FN) - KEY_F0);
	else if (key > 0 && key < 0x20)
		snprintf(buf, len, "Ctrl-%c", key + 'A' - 1);
	else if (key >= 0x20 && key < 0x7f)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "<%#x>", key);
	return (buf);
}
