"""Venmo and Zelle statements: read the incoming payments, match them to registrations.

``statements`` reads a CSV statement (no database); ``matching`` proposes a
registration for each payment and confirms the chosen ones through the normal
confirm-payment service, so a statement's transaction id is never used twice.
"""
