"""pao: official documents of CLASI / EL PAcCTO operational action plans."""

__version__ = "0.1.0"
