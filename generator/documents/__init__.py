"""The documents pao makes: which kinds there are and what each one's template receives.

``kinds`` is the registry (one record per kind: template, subjects, output
path, context, properties, date, what it reads); ``edition`` a plan in one
language with what its documents share; ``pao``, ``sheet`` and ``annex``
what each kind's template receives (``parts`` what they share); ``charts``
the progress charts.  Prose reaches templates
through the ``model.prose.ProseWriter`` a context is given (``ooxml.writer`` for
Word, ``html.prose`` for pages); nothing here writes WordprocessingML itself.
May import: ``generator.diagnostics``, ``generator.model``,
``generator.translation``, ``generator.ooxml``.
"""
