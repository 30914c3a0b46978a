# core/conf.mk: settings (contexts), secrets, sanitising, JSON mapping.
core_libcore_a_SOURCES += core/settings.c core/secret.c core/sanitize.c \
	core/json.c
