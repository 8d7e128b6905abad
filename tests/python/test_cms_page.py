"""The /cms page's data (apps/common/cms_page.json) and its expected rendering
(apps/common/cms_page.expected.html, written by apps/cms_expected.py). The apps' pages are
compared with the expected file by test_contract.py (rule html_equals)."""

import datetime
import importlib.util
import json
import re
import sys

import pytest

import contract_rules
import harness
from fwbench_common import cms_page


@pytest.fixture(scope="module")
def cms_expected():
    spec = importlib.util.spec_from_file_location("cms_expected", harness.APPS / "cms_expected.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_exercises_every_template_feature():
    page = cms_page.load()
    articles = page["articles"]
    assert len(articles) == 50
    assert [a["id"] for a in articles] == list(range(1, 51))
    for article in articles:
        assert set(article) == {"id", "title", "slug", "author", "published", "summary", "tags"}
        assert isinstance(article["published"], datetime.date)
        assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", tag) for tag in article["tags"])
    texts = " ".join(a["title"] + a["summary"] for a in articles)
    for needs_escaping in ("<script>", "&", '"', "'"):
        assert needs_escaping in texts
    assert any(a["author"] is None for a in articles)  # default
    lengths = [len(a["summary"]) for a in articles]
    assert max(lengths) > 120 and min(lengths) <= 120  # truncated and not
    assert "&" in page["site"]["tagline"] and any("&" in item["url"] for item in page["nav"])


def test_expected_file_is_what_the_data_renders(cms_expected):
    text = cms_expected.EXPECTED_FILE.read_text(encoding="utf-8")
    assert text == cms_expected.render(json.loads(
        cms_expected.DATA_FILE.read_text(encoding="utf-8"))), \
        "apps/common/cms_page.expected.html is stale: run apps/cms_expected.py"
    assert 20_000 <= len(text.encode()) <= 40_000
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_check_mode_fails_on_a_stale_file(cms_expected, tmp_path, monkeypatch, capsys):
    stale = tmp_path / "cms_page.expected.html"
    stale.write_text("<p>old</p>\n", encoding="utf-8")
    monkeypatch.setattr(cms_expected, "EXPECTED_FILE", stale)
    monkeypatch.setattr(sys, "argv", ["cms_expected.py", "--check"])
    assert cms_expected.main() == 1
    assert "is stale" in capsys.readouterr().err


def test_title_case_refuses_tags_the_engines_title_differently(cms_expected):
    assert cms_expected.title_case("release-notes") == "Release-Notes"
    with pytest.raises(ValueError, match="title filters differ"):
        cms_expected.title_case("q&a")


def test_normalisation_ignores_layout_and_escaping_style_only():
    jinja = '<li class="odd first">\n  <a title="It&#39;s &#34;x&#34;">A &amp; B</a></li>'
    django = "<li class='odd first'><a  title=\"It&#x27;s &quot;x&quot;\">A &amp; B</a>\n</li>"
    assert contract_rules.html_tokens(jinja) == contract_rules.html_tokens(django)
    assert contract_rules.html_tokens(jinja) != contract_rules.html_tokens(
        jinja.replace("odd first", "odd"))
    assert contract_rules.html_tokens("<p>&lt;script&gt;</p>") != contract_rules.html_tokens(
        "<p><script></p>")
