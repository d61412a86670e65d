"""A local server for a built site and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import functools
import gzip
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# As root in a container, and with no network but the registries: no sandbox, no
# background connections to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm"}
    compress = False
    COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".wasm")

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        # Like a web server with gzip on: text and wasm are compressed when the browser accepts
        # it (Pagefind's own .pf_* files are already gzipped and are sent as they are).
        path = self.translate_path(self.path)
        if (
            self.compress
            and path.endswith(self.COMPRESSIBLE)
            and "gzip" in self.headers.get("Accept-Encoding", "")
            and Path(path).is_file()
        ):
            body = gzip.compress(Path(path).read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


class SiteServer:
    """Serves a directory on 127.0.0.1 (a free port) until stopped."""

    def __init__(self, folder: Path, compress: bool = False):
        handler = type("Handler", (_Handler,), {"compress": compress})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
