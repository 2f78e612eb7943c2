"""Take docs/cluster_address.png: the main window at 1280x800 with the Cluster dock in front, after Start
Engines with *Listen on* set to the test hosts' bridge (198.18.0.1) and engines started by hand on test
hosts h2 and h3 from the engine file the dock shows (network namespaces: tests/support/netns.py; needs
root, else the controller listens on 127.0.0.1 and only the local engine shows). The dock's "Other
machines" section opens by itself (Listen on holds a value).

Usage: .venv/bin/python scripts/screenshot_cluster_address.py [OUTPUT_DIR]   (default: docs/)
Runs under Xvfb (xvfb-run) or offscreen (QT_QPA_PLATFORM=offscreen); settings go to a temp file.
"""

from __future__ import annotations

import contextlib
import pathlib
import sys

from screenshot_work_items import ROOT, close_quietly, framed_save, in_scratch, wait

EXAMPLE = ROOT / "resources" / "examples" / "square_offset_map.pflow"


def main(argv: list[str]) -> int:
    return in_scratch(shoot, pathlib.Path(argv[0]) if argv else ROOT / "docs")


def shoot(output: pathlib.Path, scratch: pathlib.Path) -> int:
    from tests.support import netns

    with contextlib.ExitStack() as stack:
        hosts = None if netns.available() else stack.enter_context(netns.hosts_up(2))
        return shoot_with(output, scratch, hosts)


def shoot_with(output: pathlib.Path, scratch: pathlib.Path, hosts) -> int:
    from pflow_studio.app import create_application, create_window
    from pflow_studio.app.settings import make_settings
    from pflow_studio.cluster_panel.manager import ClusterManager
    from tests.support.netns import ROOT_ADDRESS

    app = create_application()
    manager = ClusterManager("default", ipython_dir=scratch / "ipython")
    window = create_window(settings=make_settings(scratch / "settings.ini"), manager=manager)
    dock = window.cluster.dock
    try:
        window.resize(1280, 800)
        if not window.files.load(str(EXAMPLE)):
            return 1
        window.cluster_dock.raise_()
        dock.engine_spin.setValue(1)
        dock.address.set_values(ROOT_ADDRESS if hosts else "", "")
        dock.start_engines()
        until(app, lambda: not dock.busy and len(dock.table.engine_ids) == 1)
        if hosts is not None:
            path = pathlib.Path(dock.address.engine_file.text())
            for host in hosts.names:
                hosts.start_engine(host, path)
            until(app, lambda: len(manager.client.ids) == 3)
        dock.refresh()
        saved = framed_save(app, window, output / "cluster_address.png", 3000)
    finally:
        close_quietly(window)
        manager.shutdown_owned()
    if saved is None:
        return 1
    print(saved)
    return 0


def until(app, condition, timeout_ms: int = 120_000) -> None:
    """Run the event loop until `condition()` holds (RuntimeError after `timeout_ms`)."""
    waited = 0
    while not condition():
        if waited > timeout_ms:
            raise RuntimeError("timed out")
        wait(app, 100)
        waited += 100


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
