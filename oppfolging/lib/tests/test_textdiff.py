"""Word-level differences: joining each side gives back each text, changes are whole words,
and the HTML form escapes what the user wrote."""

from __future__ import annotations

from oppfolging.lib.textdiff import after_side, before_side, diff_words, to_html, tokens


def _join(segments):
    return "".join(text for _op, text in segments)


def test_tokens_keep_the_whitespace():
    text = "Klare  meg\nselv hjemme."
    assert "".join(tokens(text)) == text
    assert tokens("a b") == ["a", " ", "b"]


def test_equal_texts_give_one_equal_run():
    assert diff_words("Dusje selv.", "Dusje selv.") == [("equal", "Dusje selv.")]


def test_an_inserted_word():
    assert diff_words("Dusje selv.", "Dusje helt selv.") == [
        ("equal", "Dusje "),
        ("insert", "helt "),
        ("equal", "selv."),
    ]


def test_deleted_words():
    assert diff_words("Gå tur hver dag", "Gå tur") == [("equal", "Gå tur"), ("delete", " hver dag")]
    assert diff_words("Gå en tur hver dag", "Gå tur hver uke") == [
        ("equal", "Gå"),
        ("delete", " en"),
        ("equal", " tur hver "),
        ("delete", "dag"),
        ("insert", "uke"),
    ]


def test_a_replaced_phrase_reads_as_one_change():
    segments = diff_words("Gå til butikken alene", "Sykle til jobben sammen")
    # "til" is kept; the words either side are replaced as whole words
    assert ("equal", " til ") in segments
    assert segments[0] == ("delete", "Gå")
    assert segments[1] == ("insert", "Sykle")
    assert segments[-2:] == [("delete", "butikken alene"), ("insert", "jobben sammen")]


def test_each_side_joins_back_to_its_text():
    before = "Klare meg selv hjemme, med hjelp til dusj.\nHandle selv."
    after = "Klare meg helt selv hjemme.\nHandle og lage mat selv."
    segments = diff_words(before, after)
    assert _join(before_side(segments)) == before
    assert _join(after_side(segments)) == after
    assert {op for op, _text in before_side(segments)} <= {"equal", "delete"}
    assert {op for op, _text in after_side(segments)} <= {"equal", "insert"}


def test_from_and_to_nothing():
    assert diff_words("", "Nytt mål") == [("insert", "Nytt mål")]
    assert diff_words("Gammelt mål", "") == [("delete", "Gammelt mål")]
    assert diff_words("", "") == []


def test_html_marks_the_changes_and_escapes():
    html = to_html(diff_words("Ta <b>medisin</b>", "Ta medisin & gå"))
    assert "<b>" not in html
    assert "&lt;b&gt;medisin&lt;/b&gt;" in html
    assert "<del>" in html
    assert "<ins>" in html
    assert "&amp;" in html


def test_html_of_a_simple_insertion():
    assert to_html(diff_words("a c", "a b c")) == "a <ins>b </ins>c"
