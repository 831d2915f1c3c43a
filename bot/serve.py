"""Serving the bot: `charter run` and `python -m bot` both start here.

Refuses settings that would serve an open bot (:func:`bot.config.serving_problem`), then
serves one process, or N worker processes on one port.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys

from aiohttp import web

from bot.app import create_app
from bot.config import Settings, serving_problem, settings_or_exit
from bot.logs import configure_logging


def run(*, port: int | None = None, workers: int = 1) -> int:
    """Serve until stopped; the exit status (2: refused to start, 1: a worker failed)."""
    settings = settings_or_exit()
    problem = serving_problem(settings)
    if problem:
        print(f"charter: refusing to start: {problem}", file=sys.stderr)
        return 2
    if workers < 1:
        print("charter: --workers must be 1 or more", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    port = port or settings.port
    if workers == 1:
        serve(settings, port, worker=None)
        return 0
    return serve_with_workers(settings, port, workers)


def serve(settings: Settings, port: int, *, worker: int | None) -> None:
    """Serve until stopped. With workers, each binds the port with SO_REUSEPORT and the
    kernel spreads new connections across them; only worker 0 runs the scheduled jobs, so
    each reminder cycle and retention run happens once."""
    shown_host = f"[{settings.host}]" if ":" in settings.host else settings.host
    label = "" if worker is None else f" (worker {worker})"
    web.run_app(
        create_app(settings, start_jobs=worker in (None, 0), worker=worker),
        host=settings.host,
        port=port,
        print=lambda _msg: print(
            f"Charter listening on http://{shown_host}:{port}/api/messages{label}", flush=True
        ),
        shutdown_timeout=10,
        access_log=None,
        reuse_port=worker is not None,
    )


def _worker_main(settings: Settings, port: int, worker: int) -> None:
    configure_logging(settings.log_level)
    serve(settings, port, worker=worker)


def serve_with_workers(settings: Settings, port: int, workers: int) -> int:
    """N processes serving one port; stopping this one (Ctrl+C, SIGTERM) stops them all."""
    # Spawned, not forked: each worker builds its own event loop, engine and HTTP sessions.
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker_main, args=(settings, port, index), name=f"worker-{index}")
        for index in range(workers)
    ]
    for process in processes:
        process.start()

    def stop(_signum: int, _frame: object) -> None:
        for process in processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for process in processes:
        process.join()
    failed = [p.name for p in processes if p.exitcode not in (0, -signal.SIGINT, -signal.SIGTERM)]
    if failed:
        print(f"charter: {', '.join(failed)} stopped with an error", file=sys.stderr)
        return 1
    return 0
