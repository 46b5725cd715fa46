"""Stage 6: a Draft out as Markdown or plain text (through the sandboxed Jinja layouts in
templates/*.j2, which a user's --templates folder may override) or JSON."""

from __future__ import annotations

import json

from drafter.draft import Draft, draft_to_dict
from drafter.templating import render_layout

LAYOUTS = {"md": "speech.md.j2", "txt": "speech.txt.j2"}


def render_text(draft: Draft, env, fmt: str) -> str:
    text = render_layout(env, LAYOUTS[fmt], {"draft": draft})
    return text.rstrip() + "\n"


def render_json(draft: Draft) -> str:
    return json.dumps(draft_to_dict(draft), ensure_ascii=False, indent=2) + "\n"
