"""The OOXML layer: every read and write of WordprocessingML and of .docx packages.

It owns runs, paragraphs, lists, footnotes, hyperlinks and images
(``elements``, built with lxml; ``writer`` turns prose into them), the
placeholders the writer leaves for what exists only once a document is
rendered (``_placeholders``, resolved by ``finish``), the .docx package with
its relationships, content types and properties (``package``), the lighter
copy LibreOffice converts to PDF (``pdf_copy``), the footnotes part
(``footnotes``), the docxtpl wrapper (``template``), the text reader
(``reader``), and tracked changes: what pairs up between two versions
(``align``), the marks of a redline (``redline``), accepting or rejecting
them all (``tracked``).  Namespaces and parsing live in ``names``.

From pao it may import only ``generator.diagnostics`` and
``generator.model.prose``; from elsewhere lxml, docxtpl, python-docx and
jinja2.  Nothing outside the layer builds or parses WordprocessingML.
"""
