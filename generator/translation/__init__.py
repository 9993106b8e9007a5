"""Languages: translation catalogs of the plans, the plan in another language, and language-dependent wording.

``catalogs`` reads and updates the PO catalogs (Babel) of each plan,
``pofile`` keeps a catalog's file as its tool wrote it, entry by entry,
``localize`` makes the plan in a language from its catalog (with located
warnings for what is untranslated or stale), ``labels`` holds the layout's own
words and pao's catalogs of them (``locale/``), ``words`` formats through CLDR
what a document shows (country names, dates, numbers, amounts, statuses).
May import: ``generator.diagnostics``, ``generator.files``, ``generator.model``,
``generator.sources`` (to read a translation's Markdown; the characters a document cannot hold).
"""
