# core/harbor.mk
