"""Spreadsheet forms: progress reports filled in by the countries, in Excel or LibreOffice Calc.

``pao progress form`` writes one workbook per plan, period and language (or per
operational action) from the resolved, localized plan (``form``); ``pao
progress import`` reads filled workbooks back (``reading``) and writes the
period's YAML report, keeping its comments and untouched lines (``report``).
``layout`` is the shape both sides share.  The YAML stays the one source of
truth: a form is a way to write it, never a second copy of it.

May import: diagnostics, files, model, sources, translation, documents, pipeline.
"""
