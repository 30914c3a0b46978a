"""Harbor API simulator (see tests/sim/README.md)."""
