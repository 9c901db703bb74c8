"""Articles in: telling prose from page furniture, finding the publication date, loading files."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from events.articles import (
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
    LoadError,
    find_published,
    load_paths,
    make_article,
    paragraphs,
)
from events.model import Article, ArticleError

FALLBACK = dt.date(2020, 1, 1)  # the --published option in these tests


def kinds(text: str) -> list[tuple[str, str]]:
    return [(p.kind, text[p.start:p.end]) for p in paragraphs(text)]


def load(*paths, default_published=None) -> tuple[dict[str, Article], list[LoadError]]:
    articles, errors = {}, []
    for item in load_paths(paths, default_published=default_published):
        if isinstance(item, LoadError):
            errors.append(item)
        else:
            assert item.id not in articles
            articles[item.id] = item
    return articles, errors


# --- paragraphs -----------------------------------------------------------------------------

# (line, expected kind, why)
LINE_KINDS = [
    pytest.param("The two foreign ministers met in Oslo on Monday to discuss fishing quotas.", "prose",
                 "a sentence with final punctuation", id="prose"),
    pytest.param("Oslo talks end without a fishing deal", "heading",
                 "short line without final punctuation", id="heading"),
    pytest.param("Delegates leave the conference hall in Oslo (photo credit: KARI NORDMANN/NTB)", "caption",
                 "a '(photo credit: ...)' line", id="photo-credit"),
    pytest.param("The Chilean delegation arrives at the ministry. (Photo: AFP)", "caption",
                 "a '(Photo: AFP)' line, even with final punctuation", id="photo-agency"),
    pytest.param("Fishing boats wait in the harbour of Valparaiso. REUTERS/Pablo Rojas", "caption",
                 "an agency/photographer credit", id="reuters-slash-name"),
    pytest.param("By JANE DOE", "byline", "byline in capitals", id="byline-caps"),
    pytest.param("By Jane Doe and Ola Hansen", "byline", "byline with two names", id="byline-two-names"),
    pytest.param("Published: JUNE 21, 2023 17:00", "meta", "publication line with a date", id="published"),
    pytest.param("Updated: 4 May 2024 10:00", "meta", "update line with a date", id="updated"),
    pytest.param("Read more: Why the fishing talks keep failing", "related", "a link to another story", id="read-more"),
    pytest.param("Reuters contributed to this report.", "credit", "agency credit at the end", id="contributed"),
    pytest.param("Reporting by Ola Hansen; Editing by Jane Doe", "credit", "reporting/editing credit", id="reporting-by"),
    pytest.param("A " + "long sentence about quotas and vessels " * 8 + "without a final stop", "prose",
                 "thirty words or more is prose even without final punctuation", id="long-unpunctuated"),
    pytest.param(
        "By then the envoys had left.", "prose", "a short sentence starting with 'By' is not a byline",
        id="by-then-sentence"),
    pytest.param(
        "Related talks were held in Geneva on Monday, officials said.", "prose",
        "a sentence starting with the word 'Related' is not a link to another story", id="related-sentence"),
]


@pytest.mark.parametrize(("line", "kind", "why"), LINE_KINDS)
def test_paragraphs_classify_each_line(line, kind, why):
    assert kinds(line) == [(kind, line)], why


def test_paragraphs_classify_a_whole_article_line_by_line_with_spans():
    text = ("Oslo talks end without a fishing deal\n"
            "By JANE DOE\n"
            "Published: JUNE 21, 2023 17:00\n"
            "\n"
            "   The two foreign ministers met in Oslo on Monday.   \n"
            "Read more: Why the fishing talks keep failing\n"
            "Reuters contributed to this report.\n")
    assert kinds(text) == [
        ("heading", "Oslo talks end without a fishing deal"),
        ("byline", "By JANE DOE"),
        ("meta", "Published: JUNE 21, 2023 17:00"),
        ("prose", "The two foreign ministers met in Oslo on Monday."),
        ("related", "Read more: Why the fishing talks keep failing"),
        ("credit", "Reuters contributed to this report."),
    ]


@pytest.mark.parametrize(
    ("repeat", "why"),
    [
        ("Ministers shake hands after signing the quota agreement in Oslo", "repeated word for word"),
        ("Ministers shake hands after signing the quota agreement in Oslo.", "repeated with a final stop"),
    ],
    ids=["verbatim", "with-full-stop"],
)
def test_a_caption_repeated_without_its_credit_is_still_a_caption(repeat, why):
    text = ("Ministers shake hands after signing the quota agreement in Oslo (photo credit: OLA HANSEN)\n"
            "The agreement ends a decade of disputes over the northern cod stock.\n"
            f"{repeat}\n"
            "Both governments still have to approve the text.")
    assert [k for k, _ in kinds(text)] == ["caption", "prose", "caption", "prose"], why


def test_a_metadata_prefix_is_split_from_the_prose_on_its_line():
    text = " date 2024-01-02 Norway and Chile signed a fisheries accord on Monday.\nMore talks follow."
    assert kinds(text) == [
        ("meta", "date 2024-01-02 "),
        ("prose", "Norway and Chile signed a fisheries accord on Monday."),
        ("prose", "More talks follow."),
    ]


def test_only_prose_is_prose_but_headings_and_captions_are_context():
    text = "Talks end\nDelegates leave (Photo: AFP)\nBy JANE DOE\nThe talks ended."
    paras = paragraphs(text)
    assert [p.is_prose for p in paras] == [False, False, False, True]
    assert [p.is_context for p in paras] == [True, True, False, True]


# --- find_published -------------------------------------------------------------------------

# (text, url, expected (date, how), why)
PUBLISHED = [
    pytest.param(" date 2024-01-02 Norway and Chile signed an accord.", None, (dt.date(2024, 1, 2), "metadata prefix"),
                 "the ' date YYYY-MM-DD ' prefix", id="metadata-prefix"),
    pytest.param("Accord signed\nPublished: JUNE 21, 2023 17:00\nThe ministers met.", None,
                 (dt.date(2023, 6, 21), "'Published' line"), "a Published line with a time", id="published-line"),
    pytest.param("Accord signed\nUpdated: June 25, 2023 09:00\nThe ministers met.", None,
                 (dt.date(2023, 6, 25), "'Updated' line"), "an Updated line when there is no Published line",
                 id="updated-alone"),
    pytest.param("Accord signed\nUpdated: June 25, 2023 09:00\nPublished: June 21, 2023 17:00\nThe ministers met.",
                 None, (dt.date(2023, 6, 21), "'Published' line"), "Published wins over an earlier Updated line",
                 id="published-beats-updated"),
    pytest.param("PARIS, 3 March 2024 (AFP) - France and Chile signed an accord.", None,
                 (dt.date(2024, 3, 3), "dateline"), "a news-agency dateline", id="dateline"),
    pytest.param("Accord signed\n14 May 2024\nThe ministers met in Oslo.", None,
                 (dt.date(2024, 5, 14), "date line"), "a line holding only a date", id="bare-date-line"),
    pytest.param("The ministers met in Oslo.", "https://news.example.org/world/2024/03/03/accord-signed",
                 (dt.date(2024, 3, 3), "URL"), "a URL with /YYYY/MM/DD/", id="url-slashes"),
    pytest.param("The ministers met in Oslo.", "https://news.example.org/world/accord-signed-2024-03-03",
                 (dt.date(2024, 3, 3), "URL"), "a URL with YYYY-MM-DD", id="url-dashes"),
    pytest.param("Accord signed\nPublished: June 21, 2023\nThe ministers met.",
                 "https://news.example.org/2020/01/01/accord", (dt.date(2023, 6, 21), "'Published' line"),
                 "the text wins over the URL", id="text-beats-url"),
    pytest.param("The ministers met in Oslo on 14 May 2024 to sign the accord.", None, (None, None),
                 "a date inside a prose sentence is not the publication date", id="date-in-prose"),
    pytest.param("The ministers met in Oslo.", "https://news.example.org/world/accord-signed", (None, None),
                 "nothing in text or URL", id="nothing"),
    pytest.param("Accord signed\nPublished: 2023-06-21T17:00:00Z\nThe ministers met.", None,
                 (dt.date(2023, 6, 21), "'Published' line"), "an ISO 8601 timestamp in a Published line",
                 id="published-iso-timestamp"),
]


@pytest.mark.parametrize(("text", "url", "expected", "why"), PUBLISHED)
def test_find_published_reads_the_date_and_says_where_it_came_from(text, url, expected, why):
    assert find_published(text, url) == expected, why


# --- make_article ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("Peru and Chile\x00 talk.", "NUL"),
        ("x" * (MAX_ARTICLE_CHARS + 1), "limit"),
    ],
    ids=["empty", "whitespace", "nul", "too-long"],
)
def test_make_article_refuses_text_that_cannot_be_an_article(text, message):
    with pytest.raises(ArticleError, match=message):
        make_article("a1", text)


def test_make_article_refuses_an_unreadable_published_field():
    with pytest.raises(ArticleError, match="published"):
        make_article("a1", "Peru and Chile held talks.", published="soon")


def test_make_article_reads_a_published_field_with_a_timestamp():
    article = make_article("a1", "Peru and Chile held talks.", published="2023-08-10T10:00:00+02:00")
    assert (article.published, article.published_how) == (dt.date(2023, 8, 10), "'published' field")


def test_make_article_takes_the_first_heading_as_title():
    article = make_article("a1", "Peru and Chile talk trade\nThe ministers met in Lima.")
    assert article.title == "Peru and Chile talk trade"


# --- load_paths: one file per format --------------------------------------------------------

def test_a_txt_file_is_one_article_named_after_the_file(tmp_path):
    (tmp_path / "lima-talks.txt").write_text(" date 2024-05-06 Peru and Chile talk trade\nThe ministers met in Lima.\n",
                                             encoding="utf-8")
    articles, errors = load(tmp_path)
    assert errors == []
    a = articles["lima-talks"]
    assert a.text.startswith(" date 2024-05-06 Peru")
    assert (a.published, a.published_how) == (dt.date(2024, 5, 6), "metadata prefix")


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeffPeru and Chile talk trade\nThe ministers met.".encode("utf-8"))
    articles, _ = load(tmp_path)
    assert articles["bom"].text.startswith("Peru")


def test_a_json_object_takes_its_id_field(tmp_path):
    (tmp_path / "file-name.json").write_text(json.dumps(
        {"id": "lima-1", "text": "The ministers met in Lima.", "title": "Lima talks", "published": "2024-05-06"}))
    articles, errors = load(tmp_path)
    assert errors == []
    a = articles["lima-1"]
    assert (a.title, a.published, a.published_how) == ("Lima talks", dt.date(2024, 5, 6), "'published' field")


def test_a_json_object_without_id_takes_the_file_stem(tmp_path):
    (tmp_path / "lima-talks.json").write_text(json.dumps({"text": "The ministers met in Lima."}))
    articles, errors = load(tmp_path)
    assert errors == []
    assert list(articles) == ["lima-talks"]


def test_a_json_list_gives_one_article_per_object_and_names_bad_items_by_index(tmp_path):
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([
        {"id": "first", "text": "The ministers met in Lima."},
        {"id": "second", "text": "The ministers met in Santiago.", "published": "June 21, 2023"},
        {"text": "An item without an id."},
        "not an object",
    ]))
    articles, errors = load(tmp_path)
    assert sorted(articles) == ["first", "second"]
    assert articles["second"].published == dt.date(2023, 6, 21)
    assert [(e.where, e.message) for e in errors] == [
        (f"{path}[2]", "missing 'id' field"),
        (f"{path}[3]", "expected a JSON object with 'id' and 'text'"),
    ]


def test_a_jsonl_file_reads_url_title_and_published_fields(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "from-url", "text": "The ministers met in Lima.", "title": "Lima talks",
                    "url": "https://news.example.org/2023/08/09/lima-talks"}),
        "",
        json.dumps({"id": "from-field", "text": "The ministers met in Lima.", "published": "2023-08-10",
                    "url": "https://news.example.org/2023/08/09/lima-talks"}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "no-text"}),
    ]) + "\n")
    articles, errors = load(tmp_path)
    assert sorted(articles) == ["from-field", "from-url"]
    a = articles["from-url"]
    assert (a.title, a.url, a.published, a.published_how) == (
        "Lima talks", "https://news.example.org/2023/08/09/lima-talks", dt.date(2023, 8, 9), "URL")
    b = articles["from-field"]
    assert (b.published, b.published_how) == (dt.date(2023, 8, 10), "'published' field"), "the field wins over the URL"
    # line numbers count the blank line: they are the file's own line numbers
    assert [e.where for e in errors] == [f"{path}:4", f"{path}:5"]
    assert errors[0].message.startswith("invalid JSON")
    assert errors[1].message == "missing 'text' field"


HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Norway and Chile sign fisheries accord</title>
{head}
</head><body>
<header><nav><a href="/">Home</a> | <a href="/world">World</a></nav></header>
<article>
<h1>Norway and Chile sign fisheries accord</h1>
{time}
<p>The foreign ministers of Norway and Chile signed a fisheries accord in Oslo on Monday,
ending years of talks over quotas in the southern Pacific.</p>
<p>The agreement sets up a joint commission that will meet twice a year to review catches and share data from research vessels.</p>
<p>Officials from both countries said the accord would go to their parliaments for ratification before the end of the year.</p>
</article>
<footer>Copyright Example News</footer>
</body></html>
"""


@pytest.mark.parametrize(
    ("head", "time"),
    [
        ('<meta property="article:published_time" content="2024-04-09T08:30:00Z">', ""),
        ("", '<time datetime="2024-04-09">9 April 2024</time>'),
    ],
    ids=["meta-published-time", "time-element"],
)
def test_an_html_page_gives_its_article_text_title_and_date_through_trafilatura(tmp_path, head, time):
    (tmp_path / "oslo-accord.html").write_text(HTML_PAGE.format(head=head, time=time), encoding="utf-8")
    articles, errors = load(tmp_path, default_published=FALLBACK)
    assert errors == []
    a = articles["oslo-accord"]
    assert a.title == "Norway and Chile sign fisheries accord"
    assert "signed a fisheries accord in Oslo on Monday" in a.text
    assert "share data from research vessels" in a.text
    assert "ratification before the end of the year" in a.text
    assert "Home" not in a.text and "Copyright" not in a.text, "page furniture is left out"
    assert (a.published, a.published_how) == (dt.date(2024, 4, 9), "'published' field")


def test_an_html_page_without_a_date_falls_back_to_default_published(tmp_path):
    (tmp_path / "undated.html").write_text(HTML_PAGE.format(head="", time=""), encoding="utf-8")
    articles, errors = load(tmp_path, default_published=FALLBACK)
    assert errors == []
    assert (articles["undated"].published, articles["undated"].published_how) == (FALLBACK, "--published option")


def test_an_html_page_without_article_text_is_an_error(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>Nothing</title></head><body></body></html>", encoding="utf-8")
    articles, errors = load(tmp_path)
    assert articles == {}
    assert [str(e) for e in errors] == [f"{path}: no article text found in the HTML page"]


# --- load_paths: the --published fallback ---------------------------------------------------

@pytest.mark.parametrize(
    ("name", "content", "expected", "why"),
    [
        ("prefix.txt", " date 2024-05-06 The ministers met in Lima.", (dt.date(2024, 5, 6), "metadata prefix"),
         "the text's own date wins"),
        ("field.json", json.dumps({"text": "The ministers met in Lima.", "published": "2023-08-10"}),
         (dt.date(2023, 8, 10), "'published' field"), "the published field wins"),
        ("url.jsonl", json.dumps({"id": "url", "text": "The ministers met in Lima.",
                                  "url": "https://news.example.org/2023/08/09/lima"}),
         (dt.date(2023, 8, 9), "URL"), "the URL's date wins"),
        ("plain.txt", "The ministers met in Lima.", (FALLBACK, "--published option"), "nothing found: the fallback"),
    ],
    ids=["prefix", "field", "url", "nothing-else"],
)
def test_default_published_is_used_only_when_nothing_else_gives_a_date(tmp_path, name, content, expected, why):
    (tmp_path / name).write_text(content, encoding="utf-8")
    articles, errors = load(tmp_path, default_published=FALLBACK)
    assert errors == []
    (a,) = articles.values()
    assert (a.published, a.published_how) == expected, why


def test_without_default_published_an_undated_article_has_no_date(tmp_path):
    (tmp_path / "plain.txt").write_text("The ministers met in Lima.", encoding="utf-8")
    articles, _ = load(tmp_path)
    assert (articles["plain"].published, articles["plain"].published_how) == (None, None)


# --- load_paths: bad input becomes one LoadError each, never an exception -------------------

@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\n\t ", "file has only whitespace"),
        ("binary.txt", b"GIF89a\x00\x01\x02\x00\xff", "not a text file (binary content)"),
        ("latin1.txt", "Le caf\u00e9 de la paix.".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at offset 6)"),
        ("broken.json", b'{"id": "x", "text": ', "invalid JSON at line 1 column 21: Expecting value"),
        ("big.txt", b"The ministers met in Lima. " * (MAX_FILE_BYTES // 27 + 1), "over the 10 MB limit"),
    ],
    ids=["empty", "whitespace", "binary", "not-utf8", "malformed-json", "over-10mb"],
)
def test_a_bad_file_gives_one_error_naming_the_file_and_the_problem(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    items = list(load_paths([tmp_path]))
    assert len(items) == 1
    (err,) = items
    assert isinstance(err, LoadError)
    assert err.where == str(path)
    assert message in err.message


def test_a_bad_file_does_not_stop_the_good_ones(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"caf\xe9")
    (tmp_path / "b.txt").write_text("The ministers met in Lima.", encoding="utf-8")
    articles, errors = load(tmp_path)
    assert list(articles) == ["b"]
    assert [e.where for e in errors] == [str(tmp_path / "a.txt")]


def test_a_folder_gives_its_article_files_in_name_order_including_subfolders(tmp_path):
    (tmp_path / "b.txt").write_text("Second.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("Not an article file.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.TXT").write_text("Third.", encoding="utf-8")
    ids = [a.id for a in load_paths([tmp_path])]
    assert ids == ["a", "b", "c"]


def test_a_missing_path_and_an_empty_folder_are_errors(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "missing.txt"
    items = list(load_paths([missing, empty]))
    assert [(e.where, e.message) for e in items] == [
        (str(missing), "no such file or folder"),
        (str(empty), "no article files (.txt, .html, .htm, .json, .jsonl) in this folder"),
    ]


@pytest.mark.parametrize(("line", "kind"), [
    ("The minister, pictured at the summit, said the talks would go on.", "prose"),
    ("A poll by AP/NORC found most voters backed the deal.", "prose"),
    ("Dated 3 May 2024, the letter accused the neighbours of stalling the talks.", "prose"),
    ("By Jane Doe, Reuters", "byline"),
    ("Related: Why the fishing talks keep failing", "related"),
], ids=["pictured-in-prose", "agency-slash-in-prose", "dated-in-prose", "byline-with-agency", "related-colon"])
def test_prose_that_looks_like_furniture_stays_prose(line, kind):
    [para] = paragraphs(line)
    assert para.kind == kind
