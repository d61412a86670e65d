"""site/ served by a real nginx, configured as README.md says, running as its own user."""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

from generator import page_policy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _readme_server_block() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.search(r"```nginx\n(server \{.*?\n\})\n```", readme, re.S)[1]


@pytest.fixture(scope="module")
def nginx(built_site):
    """The README's server block, with only its address and root changed, under nginx as www-data."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: `make test` installs Debian's nginx")
    # A folder any user may enter (pytest's own are private to root); the site copied with its modes.
    top = Path(tempfile.mkdtemp(prefix="zhengxie-nginx-"))
    top.chmod(0o755)
    site = top / "site"
    shutil.copytree(built_site, site)
    port = _free_port()
    server = _readme_server_block()
    server = re.sub(r"listen 80;", f"listen 127.0.0.1:{port};", server)
    server = re.sub(r"root [^;]+;", f"root {site};", server)
    (top / "nginx.conf").write_text(
        f"user www-data;\nworker_processes 1;\npid {top}/nginx.pid;\nerror_log {top}/error.log;\n"
        f"events {{}}\nhttp {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n"
        f"client_body_temp_path {top}/body;\nproxy_temp_path {top}/proxy;\nfastcgi_temp_path {top}/fastcgi;\n"
        f"uwsgi_temp_path {top}/uwsgi;\nscgi_temp_path {top}/scgi;\n{server}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([NGINX, "-p", str(top), "-c", str(top / "nginx.conf"), "-g", "daemon off;"],
                               stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield url, site
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(top, ignore_errors=True)


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


def test_every_file_of_the_site_is_served_to_another_user(nginx):
    url, site = nginx
    files = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    pdf = next(f for f in files if f.endswith(".pdf"))
    fragment = next(f for f in files if "/fragment/" in f)
    script = next(f for f in files if f.startswith(page_policy.INLINE_DIR))
    for name in (pdf, fragment, script, "index.html"):
        status, _, body = _get(url + name)
        assert status == 200 and body == (site / name).read_bytes(), name


def test_the_server_sends_the_policy_of_the_pages(nginx):
    url, _ = nginx
    _, headers, body = _get(url)
    assert headers["Content-Security-Policy"] == page_policy.HEADER_POLICY
    assert f'content="{page_policy.POLICY}"' in body.decode("utf-8")


def test_the_site_works_under_the_policy_in_chromium(nginx):
    """Pages, navigation, the palette and search with the header and the <meta> both in force."""
    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    url, _ = nginx
    violations = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI))"
        )
        for path in ("", "briefings/2018/04/", "rules/kaoping/", "tags/", "stats/", "no-such-page/"):
            page.goto(url + path)
        page.goto(url)
        page.keyboard.press("/")
        page.locator(".zx-search__input").fill("政协")
        page.locator(".zx-result").first.wait_for(timeout=10_000)
        page.keyboard.press("Escape")
        page.locator("label[for^='__palette']:visible").first.click()
        browser.close()
    assert [v for v in violations if "404" not in v] == []
