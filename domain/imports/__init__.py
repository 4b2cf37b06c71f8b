"""Bringing schools, students and registrations in from a spreadsheet (.xlsx or .csv).

``reading`` turns a file into rows of text, ``columns`` matches its header row to
the fields of what is imported, ``rows`` decides each row (create, update or skip
with its reason) and writes it, and ``service`` previews or applies a whole file
in one transaction, audited as one import.
"""
