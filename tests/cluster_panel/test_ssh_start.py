"""SSH starts that are refused before any ssh runs, and the words for hosts (no test hosts needed; SSH hosts
with an sshd: test_ssh_hosts.py)."""

from __future__ import annotations

import pytest

from pflow_studio.cluster_panel.ssh_hosts import hosts_text, parse_hosts
from pflow_studio.cluster_panel.where import engines_where
from pflow_studio.runtime.cluster.errors import ClusterError
from tests.support.processes import processes_under


def test_host_lists_parse_and_print_back():
    assert parse_hosts(" node1:4, user@node2 ,node1:2") == {"node1": 6, "user@node2": 1}
    assert hosts_text({"node1": 6, "user@node2": 1}) == "node1:6,user@node2:1"
    for bad in ("node1:0", "node1:x", ":3", "a b:2"):
        with pytest.raises(ValueError, match="bad SSH host"):
            parse_hosts(bad)


def test_where_the_engines_are_in_words():
    assert engines_where(["h2", "h3", "here", "h2"], "here") == "4 engines on h2, h3 and this machine"
    assert engines_where(["here"], "here") == "1 engine on this machine"
    assert engines_where(["h2", ""], "here") == "2 engines on h2 and hosts not known yet"
    assert engines_where([], "here") == "0 engines"


def test_asking_more_engines_than_the_hosts_give_fails_before_anything_starts(manager, ipython_dir):
    with pytest.raises(ValueError, match="3 engines asked for, but the SSH hosts give 2"):
        manager.start_engines(3, ssh={"node1": 1, "node2": 1})
    assert not manager.connected and processes_under(ipython_dir) == []


@pytest.mark.timeout(120)
def test_a_controller_on_loopback_is_refused_for_ssh_hosts_and_ended(manager, ipython_dir):
    with pytest.raises(ClusterError, match=r"listens on 127\.0\.0\.1 only, which the SSH hosts cannot reach"):
        manager.start_engines(1, ssh={"node1": 1})
    assert not manager.connected and manager.find_leftovers() == []
    assert processes_under(ipython_dir) == []
