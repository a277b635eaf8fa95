"""Spreadsheet import and export of the lists an office keeps in Excel: villages, households,
party committees, party cells, members and assignments.

One service (``engine.run_import``) serves the /imports/ page and the ``import_sheet`` command:
it streams the rows of an XLSX or CSV file (``readers``), checks each against the sheet's rules
(``sheets``), and writes everything in one transaction or nothing. ``writer`` produces the
exported sheets and the templates to download, in the same format, so export → import changes
nothing.
"""
