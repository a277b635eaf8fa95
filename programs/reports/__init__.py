"""Reports on the labour sessions of a committee, cell, commune or village over a period.

- ``periods``: the period a report covers, and the window of dates the application accepts;
- ``scopes``: who a report is about, within what the user may see;
- ``figures``: the figures, read with a fixed number of grouped queries;
- ``cadence``: the rule "met the cadence", shared with the compliance grid;
- ``indicators``: the one list of the report's named figures, and the category names;
- ``chart``: the monthly trend as an SVG drawn by a template;
- ``document``: the words of the printed party document;
- ``pdf``: the printed document as a PDF (WeasyPrint);
- ``tables``, ``writers``, ``raw``: the downloads — the report's tables, CSV and XLSX writing,
  and the raw lists behind the report;
- ``forms``: the filters of the report and compliance pages and the document's settings.
"""
