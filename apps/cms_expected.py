#!/usr/bin/env python
"""Writes apps/common/cms_page.expected.html, the page the contract route /cms must render,
from apps/common/cms_page.json, with the standard library only: a third rendering of the
page, independent of Jinja2 and Django's template engine.

  cms_expected.py           rewrite the expected file
  cms_expected.py --check   exit 1 (naming the file) when it differs from what this renders

The apps' templates and this file implement the same rules (apps/CONTRACT.md, "The CMS
page"): every text HTML-escaped, the site title upper-cased, a missing author shown as
"Staff writer", dates as "%d %B %Y" (English month names) and ISO in <time datetime>,
summaries over 120 characters cut to their first 119 and "…", tags joined with ", " and each
listed title-cased, list items classed odd/even with first/last. `fwbench verify` and the
Python tests compare each app's page with this file after normalising both.
"""

import argparse
import datetime
import html
import json
import re
import sys
from pathlib import Path

COMMON = Path(__file__).resolve().parent / "common"
DATA_FILE = COMMON / "cms_page.json"
EXPECTED_FILE = COMMON / "cms_page.expected.html"
SUMMARY_CHARS = 120
DEFAULT_AUTHOR = "Staff writer"


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "\u2026"


def title_case(tag: str) -> str:
    # Jinja's and Django's `title` agree on lower-case words joined by "-", and only there.
    if not re.fullmatch(r"[a-z]+(-[a-z]+)*", tag):
        raise ValueError(f"{DATA_FILE}: tag {tag!r} is not lower-case words joined by '-'; "
                         "Jinja's and Django's title filters differ on anything else")
    return "-".join(word.capitalize() for word in tag.split("-"))


def nav_item(item: dict, first: bool, last: bool) -> str:
    cls = "nav-item" + (" nav-first" if first else "") + (" nav-last" if last else "")
    return f'<li class="{cls}"><a href="{esc(item["url"])}">{esc(item["label"])}</a></li>'


def article_card(article: dict) -> str:
    day = datetime.date.fromisoformat(article["published"])
    tags = article["tags"]
    return "\n".join([
        f'<article id="article-{article["id"]}" class="card">',
        "<header>",
        f'<h2><a href="/articles/{esc(article["slug"])}" title="{esc(article["title"])}">'
        f'{esc(article["title"])}</a></h2>',
        f'<p class="byline">By {esc(article["author"] or DEFAULT_AUTHOR)} on '
        f'<time datetime="{day.isoformat()}">{day.strftime("%d %B %Y")}</time></p>',
        "</header>",
        f'<p class="summary">{esc(truncate(article["summary"], SUMMARY_CHARS))}</p>',
        "<footer>",
        f'<p class="tags">{len(tags)} tags: {esc(", ".join(tags))}</p>',
        '<ul class="tag-list">' + "".join(f"<li>{esc(title_case(t))}</li>" for t in tags)
        + "</ul>",
        "</footer>",
        "</article>",
    ])


def render(page: dict) -> str:
    site, nav, articles = page["site"], page["nav"], page["articles"]
    lines = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<title>{esc(page["page_title"])} | {esc(site["title"])}</title>', "</head>", "<body>",
        '<header class="site-header">',
        f'<p class="site-title"><a href="/">{esc(site["title"].upper())}</a></p>',
        f'<p class="tagline">{esc(site["tagline"])}</p>', "<nav>", "<ul>",
        *(nav_item(item, i == 0, i == len(nav) - 1) for i, item in enumerate(nav)),
        "</ul>", "</nav>", "</header>", '<main id="content">',
        f'<h1>{esc(page["page_title"])}</h1>',
        f'<p class="count">Showing {len(articles)} articles</p>', '<ol class="articles">',
    ]
    for i, article in enumerate(articles):
        cls = ("odd", "even")[i % 2] + (" first" if i == 0 else "") + (
            " last" if i == len(articles) - 1 else "")
        lines += [f'<li id="item-{i + 1}" class="{cls}">', article_card(article), "</li>"]
    lines += ["</ol>", "</main>", '<footer class="site-footer">',
              f'<p>&copy; 2026 {esc(site["title"])}</p>', "</footer>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when the expected file is not what this renders")
    args = parser.parse_args()
    text = render(json.loads(DATA_FILE.read_text(encoding="utf-8")))
    if args.check:
        if EXPECTED_FILE.read_text(encoding="utf-8") != text:
            print(f"error: {EXPECTED_FILE} is stale; run apps/cms_expected.py to rewrite it",
                  file=sys.stderr)
            return 1
        return 0
    EXPECTED_FILE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
