# core/conf.mk
