"""What a person writes in ``source/``, read and checked: YAML, Markdown, progress reports.

``load.load_sources`` reads every plan, collects every mistake with its
``file:line:col`` and resolves good sources into ``model``.  ``format`` is the
source format (pydantic models, and the JSON Schemas made from them),
``yamlfile`` YAML with positions, ``markdown`` Markdown into the prose tree,
``plan`` and ``reports`` the cross-checks, ``parties`` country, currency and
language codes, ``checks`` schema messages and text checks.
May import: ``generator.diagnostics``, ``generator.files``, ``generator.model``.
"""
