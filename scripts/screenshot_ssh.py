"""Take docs/cluster_ssh.png: the window at 1280x800 with the Cluster tab in front, engines started over SSH on
two test hosts (network namespaces h2, h3 with an sshd, tests/support/sshd.py) and Test Connection's lines
for them and for h4, which has no sshd. The dock's "Other machines" section opens by itself (SSH hosts
holds a value).

Usage (root, iproute2 and openssh-server): .venv/bin/python scripts/screenshot_ssh.py [OUTPUT_DIR]
"""

from __future__ import annotations

import pathlib
import sys

from screenshot_work_items import ROOT, close_quietly, in_scratch, save, wait

HOSTS = "198.18.0.2:2,198.18.0.3:1"


def main(argv: list[str]) -> int:
    return in_scratch(shoot, pathlib.Path(argv[0]) if argv else ROOT / "docs")


def _profile(scratch: pathlib.Path, servers) -> pathlib.Path:
    from tests.support.netns import ROOT_ADDRESS

    ipython = scratch / "ipython"
    (ipython / "profile_default").mkdir(parents=True)
    (ipython / "profile_default" / "ipcluster_config.py").write_text(
        "c = get_config()\n" + servers.profile_lines() + f"c.Cluster.controller_ip = {ROOT_ADDRESS!r}\n"
        + f"c.SSHLauncher.remote_profile_dir = {str(scratch / 'remote')!r}\n")
    return ipython


def shoot(output: pathlib.Path, scratch: pathlib.Path) -> int:
    from pflow_studio.app import create_application, create_window
    from pflow_studio.app.settings import make_settings
    from pflow_studio.cluster_panel.manager import ClusterManager
    from tests.support.netns import hosts_up
    from tests.support.sshd import SshServers

    app = create_application()
    with hosts_up() as hosts:
        servers = SshServers.start(scratch / "ssh", hosts, ["h2", "h3"])
        manager = ClusterManager("default", ipython_dir=_profile(scratch, servers))
        window = create_window(settings=make_settings(scratch / "settings.ini"), manager=manager)
        try:
            window.resize(1280, 800)
            window.cluster_dock.raise_()
            dock = window.cluster.dock
            dock.ssh.python_edit.setText(sys.executable)
            dock.ssh.hosts_edit.setText(HOSTS)
            dock.start_engines()
            while dock.busy or len(dock.table.engine_ids) < 3:
                wait(app, 200)
            dock.ssh.hosts_edit.setText(HOSTS + ",198.18.0.4")
            dock.test_connection()
            while dock.busy:
                wait(app, 200)
            dock.ssh.hosts_edit.setText(HOSTS)
            wait(app, 2500)
            output.mkdir(parents=True, exist_ok=True)
            saved = save(window, output / "cluster_ssh.png")
        finally:
            close_quietly(window)
            manager.shutdown_owned()
            servers.stop()
    if saved is None:
        return 1
    print(saved)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
