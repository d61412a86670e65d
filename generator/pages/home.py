"""The home page's generated part: latest briefings, the latest plan, the 文史 volumes."""
from __future__ import annotations

from generator.model import Corpus
from generator.names import briefing_src, issue_title, plan_src, report_src, volume_src, volume_title
from generator.pages.common import render

HOME = "index.md"
LATEST_BRIEFINGS = 5


def home_markdown(corpus: Corpus) -> str:
    title = corpus.site.briefing.title
    latest = [
        {
            "title": issue_title(title, b),
            "link": briefing_src(b),
            "date": b.date,
            "articles": [a.title for a in b.articles],
        }
        for b in reversed(corpus.briefings[-LATEST_BRIEFINGS:])
    ]
    plan = corpus.plans[-1] if corpus.plans else None
    volumes = [
        {"title": volume_title(v), "subtitle": v.title, "link": volume_src(v)}
        for v in reversed(corpus.volumes)
    ]
    return render(
        "home.md.j2",
        site=corpus.site,
        latest=latest,
        plan={"plan": plan, "link": plan_src(plan)} if plan else None,
        volumes=volumes,
        report=report_src(corpus.reports[-1]) if corpus.reports else None,
        report_title=corpus.reports[-1].title if corpus.reports else None,
    )
