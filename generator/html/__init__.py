"""Documents and change reports as HTML pages, for a browser: the preview of ``pao serve`` and the review page.

``prose`` writes the prose tree as HTML (the ``model.prose.ProseWriter`` that
``ooxml.writer.WordText`` is for Word); ``pages`` fills one HTML template per
kind of document with the very context its Word template receives
(``documents.kinds``), so both show the same text; ``changes`` shows the
change report of ``review.changes`` with word-level insertions and deletions.
Pages are self-contained: styles and images inline, nothing from the internet.
May import: ``generator.diagnostics``, ``generator.model``, ``generator.translation``,
``generator.documents``, ``generator.review``.
"""
