"""What a published page allows itself: its Content-Security-Policy, and no inline script.

The policy is nonce-free and hash-free, so a web server can send the very same policy as a
header (README.md): scripts only from the site itself (and WebAssembly, which Pagefind
compiles), no inline script, no event handler attribute, no plugin, no frame, nothing
fetched from another host.  The theme writes a few small inline scripts of its own; each
is moved into a file of the site, named by its content, but only when it is exactly what
the theme's own templates produce: any other inline script stays inline, where the policy
stops it, and fails the build.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from generator.output import write_file

# One line, the same in every page's <meta> and in the README's server example.
POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; media-src 'self'; "
    "object-src 'none'; frame-src 'none'; worker-src 'self'; base-uri 'self'; form-action 'none'"
)
# A <meta> cannot carry frame-ancestors (browsers ignore it there and say so): header only.
HEADER_POLICY = POLICY + "; frame-ancestors 'self'"
# `zhengxie serve` only: MkDocs' live reload adds an inline script to each page it serves.
PREVIEW_POLICY = POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")

INLINE_DIR = "assets/javascripts/inline"
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_CHARSET = re.compile(r'<meta charset="[^"]*">', re.IGNORECASE)
_BUNDLE = re.compile(r'<script src="([^"]*?)assets/javascripts/bundle\.')


class InlineScript(Exception):
    """A page holds an inline script the theme did not write: a bug, never published."""


def theme_scripts(env, context: dict) -> set[str]:
    """The bodies of the inline scripts the theme's own partials write for this context."""
    found = set()
    folders = getattr(env.loader, "searchpath", [])  # MkDocs' FileSystemLoader: the theme's folders
    names = sorted({f"partials/javascripts/{p.name}" for f in folders for p in Path(f, "partials/javascripts").glob("*.html")})
    for name in names:
        try:
            rendered = env.get_template(name).render(**context)
        except Exception:  # noqa: BLE001 - a partial needing more context than a page gives is not used
            continue
        found.update(body for attrs, body in _SCRIPT.findall(rendered) if "src=" not in attrs)
    return found


def apply(output: str, site_dir: Path, allowed: set[str], policy: str = POLICY) -> str:
    """The page with its CSP <meta> first in <head> and the theme's inline scripts moved to files."""
    prefix = _BUNDLE.search(output)
    base = prefix[1] if prefix else ""

    def move(match: re.Match) -> str:
        attrs, body = match[1], match[2]
        if "src=" in attrs or 'type="application/json"' in attrs:
            return match[0]  # a file of the site already, or data (the theme's configuration)
        if body not in allowed:
            raise InlineScript(body[:80])
        name = f"{INLINE_DIR}/{hashlib.sha256(body.encode('utf-8')).hexdigest()[:16]}.js"
        target = site_dir / name
        if not target.is_file():
            write_file(target, body.encode("utf-8"))
        return f'<script src="{base}{name}"></script>'

    output = _SCRIPT.sub(move, output)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return _CHARSET.sub(lambda m: m[0] + meta, output, count=1)
