"""The element builders give the WordprocessingML Word writes, and text survives them whole."""
from __future__ import annotations

from lxml import etree

from generator.ooxml import elements
from generator.ooxml.names import WP, XML, A, R, W, w
from tests.ooxml.trees import one, words

BODY = f'<w:body xmlns:w="{W}" xmlns:r="{R}">{{}}</w:body>'
TEXT = 'Fish & chips <b> "quoted" \'single\'\tafter a tab\nnext line 🎉 ñandú ça'


def _pasted(xml: str) -> etree._Element:
    """The fragment as docxtpl leaves it: inside a body that declares w: and r:."""
    return etree.fromstring(BODY.format(xml).encode())


def test_a_run_keeps_every_character_and_makes_tabs_and_line_breaks_elements():
    body = _pasted(elements.fragment([elements.paragraph([elements.run(TEXT, bold=True, italic=True)])]))
    run = one(body, f"{w('p')}/{w('r')}")
    assert words(run) == TEXT
    assert [etree.QName(c).localname for c in one(run, w("rPr"))] == ["b", "bCs", "i", "iCs"]
    texts = list(run.iter(w("t")))
    assert all(t.get(f"{{{XML}}}space") == "preserve" for t in texts)
    assert not any("\t" in (t.text or "") or "\n" in (t.text or "") for t in texts)


def test_a_fragment_repeats_no_namespace_declaration_of_the_body():
    link = elements.hyperlink("rId7", [elements.run("here", style="Hyperlink")])
    xml = elements.fragment([elements.paragraph([link], style="ListNumber", numbering=elements.list_numbering("4"))])
    assert "xmlns" not in xml
    paragraph = one(_pasted(xml), w("p"))
    assert one(paragraph, f"{w('pPr')}/{w('pStyle')}").get(w("val")) == "ListNumber"
    assert one(paragraph, f"{w('pPr')}/{w('numPr')}/{w('numId')}").get(w("val")) == "4"
    assert one(paragraph, w("hyperlink")).get(f"{{{R}}}id") == "rId7"
    assert words(paragraph) == "here"


def test_nothing_gives_an_empty_fragment():
    assert elements.fragment([]) == ""


def test_a_footnote_body_starts_with_its_number_and_a_space_then_its_paragraphs():
    body = elements.footnote_body([[elements.run("First.")], [elements.run("Second.")]], "FootnoteText", "FootnoteReference")
    assert [one(p, f"{w('pPr')}/{w('pStyle')}").get(w("val")) for p in body] == ["FootnoteText", "FootnoteText"]
    assert body[0].find(f"{w('r')}/{w('footnoteRef')}") is not None
    assert [words(p) for p in body] == [" First.", "Second."]
    assert body[1].find(f".//{w('footnoteRef')}") is None


def test_a_footnote_reference_is_a_styled_run_holding_the_mark():
    mark = elements.footnote_reference("3", "FootnoteReference")
    assert one(mark, f"{w('rPr')}/{w('rStyle')}").get(w("val")) == "FootnoteReference"
    assert one(mark, w("footnoteReference")).get(w("id")) == "3"


def test_an_image_is_a_centred_inline_picture_with_its_alt_text_and_size():
    alt = 'Bars: AO 1.1 30 % & "AO 2.1" <20 %>'
    xml = elements.fragment([elements.image("rId9", 9000, "chart", "chart-1.png", 5580000, 3005062, alt)])
    paragraph = one(_pasted(xml), w("p"))
    assert one(paragraph, f"{w('pPr')}/{w('jc')}").get(w("val")) == "center"
    inline = one(paragraph, f"{w('r')}/{w('drawing')}/{{{WP}}}inline")
    assert one(inline, f"{{{WP}}}docPr").get("descr") == alt
    extent = one(inline, f"{{{WP}}}extent")
    assert (extent.get("cx"), extent.get("cy")) == ("5580000", "3005062")
    assert one(inline, f".//{{{A}}}blip").get(f"{{{R}}}embed") == "rId9"
