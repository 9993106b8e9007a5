"""Amounts with the symbol of the language's own currency, language names as each language writes them (issue 16, item 4)."""
from __future__ import annotations

import pytest

from generator.model.plan import Target
from generator.translation.words import Words


@pytest.mark.parametrize(
    "language, currency, compact, full",
    [
        ("pt", "BRL", "R$\u00a012,5\u00a0mi", "R$\u00a012.500.000"),  # pt is Brazil's Portuguese in CLDR
        ("en", "USD", "$12.5M", "$12,500,000"),
        ("es", "EUR", "12,5\u00a0M\u00a0€", "12.500.000\u00a0€"),
        ("fr", "EUR", "12,5\u00a0M\u00a0€", "12\u202f500\u202f000\u00a0€"),
        # another country's currency keeps its ISO code: "$" or "US$" would be ambiguous there
        ("es", "USD", "12,5\u00a0M\u00a0USD", "12.500.000\u00a0USD"),
        ("pt", "USD", "12,5\u00a0mi\u00a0USD", "12.500.000\u00a0USD"),
        ("en", "BRL", "12.5M\u00a0BRL", "12,500,000\u00a0BRL"),
    ],
)
def test_an_amount_takes_the_symbol_of_the_languages_own_currency_only(language, currency, compact, full):
    words = Words(language, {})
    assert words.compact_amount(12_500_000, currency) == compact
    assert words.amount(12_500_000, currency) == full


def test_an_amount_with_cents_keeps_them_with_the_symbol():
    assert Words("pt", {}).amount(750_000.5, "BRL") == "R$\u00a0750.000,50"
    assert Words("en", {}).amount(750_000, "USD") == "$750,000"


def test_a_target_in_the_languages_own_currency_reads_with_its_symbol():
    target = Target("at_least", 12_500_000, "BRL", "apreendidos por operação", written_at={})
    assert Words("pt", {}).target(target) == "Pelo menos R$\u00a012,5\u00a0mi apreendidos por operação"


@pytest.mark.parametrize(
    "language, names",
    [
        ("es", "Portugués y español"),
        ("pt", "Português e espanhol"),
        ("fr", "Portugais et espagnol"),
        ("en", "Portuguese and Spanish"),
    ],
)
def test_a_list_of_language_names_keeps_each_languages_capitalisation(language, names):
    assert Words(language, {}).language_names(("pt", "es")) == names
