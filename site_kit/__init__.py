"""Web plumbing both sites share: the health check, host checks and input checks.

It sits below ``admin_site`` and ``public_site`` (which import it) and above
``domain``; it imports no site.
"""
