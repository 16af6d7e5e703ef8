"""`dealmon serve`: the monitor in a browser, for colleagues without SSH (textual-serve).

Every browser tab gets its own monitor process on the same files (live reload included),
started as `python -m tui --served PATH ...` and ended when its tab closes (textual-serve sends
it a quit when the websocket closes). The server binds to loopback unless `--public` says
otherwise, and then warns that there is no authentication. At most `max_sessions` tabs run at
once; the next gets a page saying so (HTTP 503) instead of a monitor.

Served, the monitor writes nothing on the server and runs nothing (`DealmonApp(served=True)`):
no screenshot, no file saved, and the config paths are fixed here, never taken from the page.
"""
from __future__ import annotations

import html
import ipaddress
import shlex
import sys
from datetime import date
from typing import Any

from aiohttp import web
from textual_serve.server import Server

DEFAULT_MAX_SESSIONS = 8
NO_AUTH_WARNING = (
    "dealmon serve: WARNING: {host}:{port} is reachable from other machines and there is NO authentication: "
    "anyone who can reach it sees every deal. Prefer the default (loopback) with an SSH tunnel "
    "(ssh -L {port}:localhost:{port} THIS-BOX, then open http://localhost:{port}), or put it behind a "
    "reverse proxy that authenticates (README: 'In a browser')."
)


def is_loopback(host: str) -> bool:
    """Whether `host` binds to this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


def monitor_command(paths: list[str], as_of: date | None) -> str:
    """The shell command textual-serve runs for each tab: this Python, the monitor, served."""
    argv = [sys.executable, "-m", "tui", "--served", *paths]
    if as_of is not None:
        argv += ["--as-of", as_of.isoformat()]
    return " ".join(shlex.quote(a) for a in argv)


class DealmonServer(Server):
    """textual-serve's server with a bound on the sessions, and page URLs made from the address
    the browser used (so a `--public` server works whatever name or address reaches it)."""

    def __init__(self, command: str, host: str, port: int, max_sessions: int) -> None:
        super().__init__(command, host=host, port=port, title="dealmon")
        self.max_sessions = max_sessions
        self.sessions = 0

    @property
    def full(self) -> bool:
        return self.sessions >= self.max_sessions

    async def on_startup(self, app: web.Application) -> None:
        where = f"http://{self.host}:{self.port}" if ":" not in self.host else f"http://[{self.host}]:{self.port}"
        self.console.print(f"dealmon serve: the monitor on {where} (at most {self.max_sessions} tabs at once; "
                           "Ctrl+C stops it)", highlight=False, markup=False)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.full:
            return _full_page(self.max_sessions)
        self.public_url = f"{request.scheme}://{request.host}"
        response: web.StreamResponse = await super().handle_index(request)
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.full:
            websocket = web.WebSocketResponse()
            await websocket.prepare(request)
            await websocket.close(code=1013, message=b"dealmon: every session is in use")  # try again later
            return websocket
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1


def _full_page(limit: int) -> web.Response:
    text = (f"All {limit} dealmon sessions on this server are in use. Close a tab that shows dealmon, "
            "or try again in a moment.")
    body = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>dealmon: busy</title></head>"
            f"<body style='font-family: monospace; margin: 3em'><h1>dealmon is busy</h1><p>{html.escape(text)}</p>"
            f"<p><a href=''>Try again</a></p></body></html>")
    return web.Response(status=503, text=body, content_type="text/html", headers={"Retry-After": "10"})


def run_serve(paths: list[str], host: str, port: int, public: bool, max_sessions: int,
              as_of: date | None) -> int:
    """Serve until Ctrl+C. Exit 2 when a non-loopback address is asked for without `--public`."""
    if not is_loopback(host) and not public:
        print(f"dealmon serve: refusing to listen on {host}: it is reachable from other machines and the "
              "served monitor has no authentication. Add --public to do it anyway, or keep the default "
              "(127.0.0.1) and use an SSH tunnel: ssh -L 8000:localhost:8000 THIS-BOX", file=sys.stderr)
        return 2
    if not is_loopback(host):
        print(NO_AUTH_WARNING.format(host=host, port=port), file=sys.stderr)
    server = DealmonServer(monitor_command(paths, as_of), host, port, max_sessions)
    server.serve()
    return 0


def serve_options(args: Any) -> dict[str, Any]:
    return {"host": args.host, "port": args.port, "public": args.public, "max_sessions": args.max_sessions,
            "as_of": args.as_of}
