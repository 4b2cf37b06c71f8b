"""Use cases: small functions that load, apply rules, write and commit once."""
