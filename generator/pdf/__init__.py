"""PDF: LibreOffice found, driven and kept in check (``office``), the conversion
itself run by LibreOffice's own Python (``worker``), and each PDF made
reproducible (``normalise``).

This layer owns everything pao knows about LibreOffice and PDF bytes.  It is
given .docx bytes and returns PDF bytes or a message saying why not; it imports
nothing else of pao (at most ``generator.diagnostics`` and ``generator.files``),
so documents, sources and the command line stay unaware of LibreOffice.
"""
