"""Excel exports: the workbook writer (``workbook``), a list's rows (``rows``), a course's
attendance sheet (``attendance``). Every cell is text or a value, never a formula.
"""
