# core/oci.mk
