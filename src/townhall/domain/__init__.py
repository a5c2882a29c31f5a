"""Pure rules of townhall: no I/O, no framework imports."""
