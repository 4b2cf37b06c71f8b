"""The staff admin panel: SQLAdmin with Rollbook's sign-in, roles and security.

Build it with ``admin_site.app.create_admin_app(config, db)``.
"""
