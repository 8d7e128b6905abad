"""The data of the contract route /cms (apps/CONTRACT.md): apps/common/cms_page.json, which
both apps load once at startup and render through their own template engine per request."""

import datetime
import json
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "cms_page.json"


def load(path: Path = DATA_FILE) -> dict:
    """The page as a template context: `site` (title, tagline), `page_title`, `nav` (label,
    url) and `articles` (id, title, slug, author or None, published as a datetime.date,
    summary, tags). Each call reads the file; callers keep the result."""
    with open(path, encoding="utf-8") as f:
        page = json.load(f)
    page.pop("_doc", None)
    for article in page["articles"]:
        article["published"] = datetime.date.fromisoformat(article["published"])
    return page
