"""The resolved plan, what every phase after loading reads: plans, the prose tree, periods, progress.

``plan`` holds the frozen, render-ready model of a plan and its progress
reports; ``prose`` the rich-text tree of its Markdown; ``period`` reporting
periods; ``progress`` the computation of progress as of a period; ``fields``
the one walk over every translatable text and its stable key.
May import: ``generator.diagnostics`` only.  No YAML, no Markdown syntax, no
language, no file format lives here.
"""
