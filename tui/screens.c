/*
 * screens.c: the screens the console knows. Adding a screen is one file
 * (screen-NAME.c defining const struct screen_ops screen_NAME_ops) and
 * one line here. The first entry is the console's first screen. A key
 * bound to ACTION_SCREEN_<NAME> (or ':NAME' at the prompt) opens the
 * screen whose .name is the action's name ("registries", "projects",
 * "replications").
 */
#include "config.h"

#include <string.h>

#include "tui.h"

/* One line per screen: NAME for screen-NAME.c's screen_NAME_ops. */
#define SCREENS(_)							\
	_(overview)							\
	_(registries)							\
	_(widgets)

#define SCREEN_EXTERN(n) extern const struct screen_ops screen_##n##_ops;
SCREENS(SCREEN_EXTERN)
#undef SCREEN_EXTERN

const struct screen_ops *const screen_list[] = {
#define SCREEN_ENTRY(n) &screen_##n##_ops,
	SCREENS(SCREEN_ENTRY)
#undef SCREEN_ENTRY
	NULL
};

const struct screen_ops *
screen_find(const char *name)
{
	size_t	i;

	for (i = 0; screen_list[i] != NULL; i++) {
		if (strcmp(screen_list[i]->name, name) == 0)
			return (screen_list[i]);
	}
	return (NULL);
}
