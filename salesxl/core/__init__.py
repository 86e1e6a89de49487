"""The core: what every stage shares, with no file I/O.

Issues and their codes, months and weeks, the workday calendar and when
reports are due, the reps of a roster, customer identity, the error family.
"""
