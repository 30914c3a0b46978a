# core/harbor.mk: Harbor client, models, session, CLI commands (B3).
core_libcore_a_SOURCES += core/harbor.c core/harbor-map.c core/model.c \
	core/session.c core/output.c core/cmd.c core/cmd-context.c \
	core/cmd-status.c
