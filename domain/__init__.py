"""Rollbook's domain: entities, rules and use cases shared by both sites and by scripts.

Open a database and call the services::

    from domain.config import load_config
    from domain.db.database import Database

    db = Database.from_config(load_config())

See ``docs/scripting.md`` for a complete example.
"""
