"""Intake: from paths to validated forms.

`files` finds the files and reads each through the one reader (in parallel,
one bad file never stopping the others); `inbox` reads a folder of rep forms
with the roster; `roster` and `workdays` read the admin's reference files.
"""
