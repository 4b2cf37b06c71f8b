"""Web plumbing both sites share: the health check, host checks, input checks, lifespan.

It sits below ``admin_site`` and ``public_site`` (which import it) and above
``domain``; it imports no site.
"""
