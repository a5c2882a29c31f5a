"""Use cases: one function each; each write commits exactly once, through Database.write()."""
