"""`summarykit serve`: the HTTP service and the browser page for office staff (extra: summarykit[serve]).

The limits are passed to the workers through SUMMARYKIT_SERVE_* environment variables, so that
``--workers N`` (uvicorn's own process manager) and a gunicorn deployment read the same settings.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from ...errors import DependencyError


def register(subparsers: Any) -> None:
    """Add the ``serve`` sub-command to the main parser."""
    from ..options import positive_int

    parser = subparsers.add_parser(
        "serve",
        help="启动网页服务：浏览器里填表生成总结，也供其他系统调用（需要 pip install 'summarykit[serve]'）",
        description="启动 HTTP 服务：浏览器打开 http://地址:端口/ 填表或粘贴记录、预览并下载 Word/PDF；"
                    "接口说明见 /docs。服务不保存任何数据，可以开多个进程。",
    )
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只允许本机访问；局域网用 0.0.0.0）")
    parser.add_argument("--port", "-p", type=positive_int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--workers", "-w", type=positive_int, default=1, help="工作进程数（默认 1）")
    parser.add_argument("--max-body", type=positive_int, metavar="KB", help="记录请求的大小上限（KB，默认 2048）")
    parser.add_argument("--render-seconds", type=positive_int, metavar="S", help="一次生成的时间上限（秒，默认 60）")
    parser.add_argument("--pdf-slots", type=positive_int, metavar="N",
                        help="每个进程接纳的 PDF 请求数（转换中加排队，默认 2；LibreOffice 每个进程一次转换一个）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn
    except ImportError:
        raise DependencyError("summarykit serve 需要安装可选组件：pip install 'summarykit[serve]'") from None
    if args.max_body:
        os.environ["SUMMARYKIT_SERVE_MAX_BODY"] = str(args.max_body * 1024)
    if args.render_seconds:
        os.environ["SUMMARYKIT_SERVE_RENDER_SECONDS"] = str(args.render_seconds)
    if args.pdf_slots:
        os.environ["SUMMARYKIT_SERVE_PDF_SLOTS"] = str(args.pdf_slots)
    from ..options import say

    say(f"summarykit 服务：http://{args.host}:{args.port}/ （接口说明 /docs；按 Ctrl+C 停止）")
    uvicorn.run("summarykit.service.app:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="warning", access_log=False)
    return 0
