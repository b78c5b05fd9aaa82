"""clean_text: what XML cannot hold goes, line ends become LF, long text is capped, and each change is named."""
import re

from hypothesis import given
from hypothesis import strategies as st

from generator.plan.clean import clean_text

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def test_ordinary_text_is_unchanged_and_nothing_is_reported():
    text = "Harbor Line – renewal €950k, ‘Secured’ ✓ 😀\n\tnext step: call Dana"
    assert clean_text(text) == (text, [])


def test_control_characters_are_removed_but_tab_newline_and_cr_kept():
    assert clean_text("Dana\x00 Whit\x07field\x1b\x7f\x85\x9f\tCFO\nok\r") == (
        "Dana Whitfield\tCFO\nok\r", ["control characters removed"])


def test_cr_lf_becomes_lf_without_being_reported():
    assert clean_text("first\r\nsecond\r\r\nthird") == ("first\nsecond\nthird", [])


def test_a_cr_and_lf_brought_together_by_a_removal_become_one_lf():
    assert clean_text("a\r\x00\nb") == ("a\nb", ["control characters removed"])


def test_lone_surrogates_become_the_replacement_character():
    assert clean_text("Café \ud800 and \udfff") == ("Café \ufffd and \ufffd", ["lone surrogates replaced"])


def test_a_surrogate_pair_becomes_the_character_it_encodes():
    assert clean_text("Deal \ud83d\ude00 won") == ("Deal 😀 won", [])


def test_xml_forbidden_non_characters_are_removed():
    assert clean_text("A\ufffeB\uffffC") == ("ABC", ["control characters removed"])


def test_long_text_is_shortened_to_the_limit():
    text, changes = clean_text("x" * 12_345)
    assert text == "x" * 10_000 and changes == ["shortened to 10,000 characters"]
    assert clean_text("abcdef", limit=4) == ("abcd", ["shortened to 4 characters"])
    assert clean_text("x" * 10_000) == ("x" * 10_000, [])


def test_every_change_is_reported_in_order():
    _, changes = clean_text("\ud800\x01" + "y" * 20, limit=10)
    assert changes == ["lone surrogates replaced", "control characters removed", "shortened to 10 characters"]


@given(st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF)), st.integers(0, 50))
def test_any_text_comes_out_xml_safe_within_the_limit_and_stays_put(value, limit):
    text, changes = clean_text(value, limit)
    assert not XML_ILLEGAL.search(text)
    assert "\r\n" not in text
    assert len(text) <= limit
    assert clean_text(text, limit) == (text, [])
    if not changes:                          # then only line ends and split characters were mended
        joined = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        assert text == re.sub("\r+\n", "\n", joined)


@given(st.lists(st.sampled_from(["\ud83d", "\ude00", "\r", "\n", "\x00", "a", "\ufffe", "é"]), max_size=30))
def test_tricky_mixtures_are_cleaned_and_idempotent(pieces):
    value = "".join(pieces)
    text, _ = clean_text(value, limit=15)
    assert not XML_ILLEGAL.search(text) and len(text) <= 15 and "\r\n" not in text
    assert clean_text(text, limit=15) == (text, [])
    assert text.encode("utf-8").decode("utf-8") == text      # a lone surrogate would not encode
