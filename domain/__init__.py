"""Rollbook's domain: entities, rules and use cases shared by both sites and by scripts.

Open a database and call the services::

    from domain.config import load_config
    from domain.db.database import Database

    db = Database(load_config().database_url)

See ``docs/scripting.md`` for a complete example.
"""
