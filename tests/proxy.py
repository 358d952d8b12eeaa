"""A small reverse proxy for the browser tests: HTTP and WebSocket passed through unchanged.

It stands where nginx would (`location /newsdesk/ { proxy_pass http://127.0.0.1:PORT; }`):
the browser only sees the proxy's address, and the path, base path included, goes upstream
as it came. Built on what Streamlit's own server runs on (Starlette, uvicorn, websockets).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time

import httpx
import uvicorn
import websockets
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "content-length", "content-encoding", "host"}


def _app(upstream: str) -> Starlette:
    async def http(request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k not in HOP_BY_HOP | {"accept-encoding"}}
        async with httpx.AsyncClient(timeout=60) as client:
            answer = await client.request(request.method, f"http://{upstream}{request.url.path}",
                                          params=request.url.query, headers=headers, content=await request.body())
        kept = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in HOP_BY_HOP]
        response = Response(answer.content, status_code=answer.status_code)
        response.raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in kept] + [
            (b"content-length", str(len(answer.content)).encode())]
        return response

    async def stream(client: WebSocket) -> None:
        offered = [p.strip() for p in client.headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
        cookie = {"Cookie": client.headers["cookie"]} if "cookie" in client.headers else {}
        query = f"?{client.url.query}" if client.url.query else ""
        async with websockets.connect(f"ws://{upstream}{client.url.path}{query}", subprotocols=offered or None,
                                      additional_headers=cookie, max_size=None) as server:
            await client.accept(subprotocol=server.subprotocol)

            async def up() -> None:
                with contextlib.suppress(WebSocketDisconnect):
                    while True:
                        message = await client.receive()
                        if message["type"] == "websocket.disconnect":
                            return
                        await server.send(message.get("bytes") or message.get("text") or b"")

            async def down() -> None:
                with contextlib.suppress(websockets.ConnectionClosed):
                    async for message in server:
                        await (client.send_bytes(message) if isinstance(message, bytes) else client.send_text(message))

            tasks = [asyncio.create_task(up()), asyncio.create_task(down())]
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in tasks:
                task.cancel()
        with contextlib.suppress(RuntimeError):
            await client.close()

    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]
    return Starlette(routes=[WebSocketRoute("/{path:path}", stream), Route("/{path:path}", http, methods=methods)])


def start(upstream: str) -> int:
    """Serve a proxy to `upstream` (host:port) on a free localhost port, in a daemon thread."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(_app(upstream), host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return port
