"""The documents' text equals the reviewed golden renderings (refresh: ``make golden``)."""
from tests.golden import GOLDEN, renderings


def test_every_document_matches_its_golden_text_rendering(built):
    produced = renderings(built)
    expected = {path.name: path.read_text(encoding="utf-8") for path in sorted(GOLDEN.glob("*.txt"))}
    assert sorted(produced) == sorted(expected), "documents were added or removed: run `make golden` and review"
    for name, text in produced.items():
        assert text == expected[name], f"{name} changed: run `make golden` and review the diff"


def test_the_documents_have_the_sha256_recorded_in_the_committed_file(built):
    """Reproducible across machines: a reviewer can tell from the manifest alone whether a document changed."""
    import json

    from tests.golden import SHA256, digests

    assert digests(built) == json.loads((GOLDEN / SHA256).read_text(encoding="utf-8"))
