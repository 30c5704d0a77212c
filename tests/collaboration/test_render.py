"""Message bodies: Markdown rendered, then sanitised; nothing executable survives, whether
it arrives as Markdown or as raw HTML that reached the sanitiser."""

from html.parser import HTMLParser

import pytest

from apps.collaboration.render import markdown_to_safe_html, sanitise

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    '<p onclick="alert(1)">hi</p>',
    "<svg onload=alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example"></iframe>',
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
]


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def _markup(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    return parser


def _assert_inert(html: str) -> None:
    markup = _markup(html)
    assert not {"script", "img", "svg", "iframe", "style"} & set(markup.tags)
    for name, value in markup.attrs:
        assert not name.startswith("on"), (name, html)
        if name == "href":
            assert value.split(":")[0].lower() in {"http", "https", "mailto"}, html


@pytest.mark.parametrize("body", HOSTILE)
def test_nothing_executable_survives_markdown(body):
    _assert_inert(markdown_to_safe_html(body))


@pytest.mark.parametrize("body", HOSTILE)
def test_nothing_executable_survives_the_sanitiser_on_raw_html(body):
    _assert_inert(sanitise(body))
    assert "alert" not in sanitise("<script>alert(1)</script>")


def test_markdown_is_rendered_and_links_are_safe():
    html = markdown_to_safe_html("*hi* [site](https://example.org)\n\n- a\n- b")
    assert "<em>hi</em>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>' in html
    assert "<li>a</li>" in html


def test_raw_html_is_shown_as_text_not_markup():
    html = markdown_to_safe_html("<b>bold</b>")
    assert "<b>" not in html
    assert "&lt;b&gt;" in html
