"""An OpenSSH server in test hosts (tests/support/netns.py), reached with a temporary key.

`SshServers.start(dir, hosts, names)` makes a client key, a host key and an `authorized_keys` limited to
198.18.0.0/24, and runs `/usr/sbin/sshd -D -e -f CONFIG` in each named host, listening on its
198.18.0.K only (root login by key, nothing else). `ssh_args` are the client options a user puts into the
profile's `ipcluster_config.py` (`profile_lines`): this key, a known-hosts file of our own, no user config,
no questions. The servers are ended by pid (`stop`).
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import socket
import subprocess
import textwrap
import time

from tests.support.netns import NET, Hosts

SSHD = "/usr/sbin/sshd"


def available() -> str:
    """'' when an sshd and ssh client are installed, else why not."""
    if not os.path.exists(SSHD):
        return f"{SSHD} is not installed (openssh-server)"
    if subprocess.run(["sh", "-c", "command -v ssh"], capture_output=True).returncode:
        return "ssh (openssh-client) is not installed"
    return ""


def _config(directory: pathlib.Path, address: str) -> str:
    return textwrap.dedent(f"""\
        ListenAddress {address}
        Port 22
        HostKey {directory / 'host_key'}
        PidFile none
        PermitRootLogin prohibit-password
        PubkeyAuthentication yes
        AuthorizedKeysFile {directory / 'authorized_keys'}
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        UsePAM no
        StrictModes no
        Subsystem sftp internal-sftp
        """)


def _listening(address: str, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((address, 22), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


@dataclasses.dataclass
class SshServers:
    """sshd in some test hosts, and the client options that reach them."""

    directory: pathlib.Path
    hosts: Hosts
    servers: dict[str, subprocess.Popen]

    @property
    def ssh_args(self) -> list[str]:
        """ssh/scp options: our key and known-hosts file, no user config, never a prompt."""
        return ["-F", "/dev/null", "-i", str(self.directory / "client_key"),
                "-o", f"UserKnownHostsFile={self.directory / 'known_hosts'}",
                "-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5"]

    def profile_lines(self) -> str:
        """Lines for a profile's ipcluster_config.py that make ipyparallel's SSH launchers use these options."""
        return f"c.SSHLauncher.ssh_args = {self.ssh_args!r}\nc.SSHLauncher.scp_args = {self.ssh_args!r}\n"

    @classmethod
    def start(cls, directory: pathlib.Path, hosts: Hosts, names: list[str]) -> SshServers:
        """Keys under `directory`, then an sshd in each host of `names` (returns once they listen)."""
        directory.mkdir(parents=True, exist_ok=True)
        for key in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(directory / key)], check=True)
        public = (directory / "client_key.pub").read_text().strip()
        (directory / "authorized_keys").write_text(f'from="{NET}.0/24" {public}\n')
        os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation directory
        servers = cls(directory, hosts, {})
        try:
            for name in names:
                address = hosts.address(name)
                config = directory / f"sshd_{name}.conf"
                config.write_text(_config(directory, address))
                servers.servers[name] = hosts.popen(name, [SSHD, "-D", "-e", "-f", str(config)],
                                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if not _listening(address):
                    raise RuntimeError(f"sshd in {name} does not listen on {address}")
        except BaseException:
            servers.stop()
            raise
        return servers

    def stop(self) -> None:
        """End the servers by pid."""
        for process in self.servers.values():
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self.servers.clear()

    def sshd_pids(self, host: str) -> set[int]:
        """The sshd listener of `host` (its per-connection children are not counted: they should be gone)."""
        process = self.servers.get(host)
        return {process.pid} if process is not None and process.poll() is None else set()
