"""The library entry points: each job is one call from Python, as the README shows."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from drafter import api
from drafter.errors import DrafterError


def test_outline_in_one_call():
    outline = api.outline(ROOT / "seeds" / "002_c0d82546797d9c92.txt")
    assert outline.title and len(outline.sections) == 4


def test_analyze_then_phrases_then_draft(tmp_path):
    bank = tmp_path / "bank"
    summary = api.analyze([ROOT / "seeds" / "002_c0d82546797d9c92.txt", ROOT / "seeds" / "003_c471762b3d7290a8.txt"], bank)
    assert summary.documents == 2 and (bank / "phrases.yaml").is_file()
    found = api.phrases(kind="frame", bank=bank)
    assert any(e.text == "以{}之心对待{}" for e in found)
    speech = api.draft("廉政谈话", org="市纪委", date="2026-05-18", seed=1, bank=bank)
    data = json.loads(api.render(speech, "json"))
    assert data["occasion"] == "廉政谈话" and data["date"] == "2026-05-18" and "市纪委" in data["title"]
    assert api.render(speech, "md").decode("utf-8").startswith("# ")
    assert api.render(speech, "docx")[:2] == b"PK"


def test_render_refuses_an_unknown_format():
    with pytest.raises(DrafterError, match="格式"):
        api.render(api.draft("座谈会"), "pdf")


def test_templates_in_one_call(tmp_path):
    assert "廉政谈话" in {t.name for t in api.list_templates()}
    path, text = api.show_template("廉政谈话")
    assert path.name == "廉政谈话.yaml" and "frames" in text
    made = api.new_template("我的座谈会", "座谈会", tmp_path)
    assert made == tmp_path / "occasions" / "我的座谈会.yaml"
    assert api.validate_template(made) == []
