"""The database side of the domain: tables, mapping, engine and unit of work."""
