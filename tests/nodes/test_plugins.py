"""Third-party node packages register through the `pflow_studio.nodes` entry-point group.

Each test installs a real (tiny) distribution on a temporary path - a module plus a `.dist-info`
with `entry_points.txt` - and runs a fresh interpreter, so discovery goes through
importlib.metadata exactly as for a pip-installed package.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap

PLUGIN_MODULE = '''
from pflow_studio.nodes.api import In, NodeType, Out


class Scale(NodeType):
    """Multiply a number by a factor."""

    type_name = "acme.scale"
    label = "Scale"
    category = "Acme"
    inputs = [In("value", float), In("factor", float, default=2.0)]
    outputs = [Out("result", float)]

    def compute(self, value, factor):
        return {"result": value * factor}
'''


def install_distribution(root: pathlib.Path, entry_points: str, module_source: str | None) -> None:
    if module_source is not None:
        (root / "acme_nodes.py").write_text(module_source)
    dist_info = root / "acme_nodes-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-nodes\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(textwrap.dedent(entry_points))


def run_python(root: pathlib.Path, code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), *sys.path]))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def test_a_plugin_node_type_is_registered_and_runs(tmp_path):
    install_distribution(tmp_path, "[pflow_studio.nodes]\nacme = acme_nodes\n", PLUGIN_MODULE)
    code = textwrap.dedent('''
        import json
        from pflow_studio.runtime.executor import Executor
        from pflow_studio.runtime.model import Workflow
        from pflow_studio.runtime.registry import default_registry
        registry = default_registry()
        wf = Workflow()
        wf.add_node("acme.scale", id="s", inputs={"value": 21.0})
        result = Executor(registry).run(wf)
        print(json.dumps({"label": registry.get("acme.scale").label, "value": result.outputs["s"]["result"]}))
    ''')
    done = run_python(tmp_path, code)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"label": "Scale", "value": 42.0}


def test_a_broken_plugin_is_reported_and_skipped(tmp_path):
    install_distribution(tmp_path, "[pflow_studio.nodes]\nbroken = acme_missing_module\n", None)
    code = textwrap.dedent('''
        from pflow_studio.runtime.registry import default_registry
        registry = default_registry()
        print(len(registry), "math.add" in registry)
    ''')
    done = run_python(tmp_path, code)
    assert done.returncode == 0, done.stderr
    count, has_builtin = done.stdout.split()
    assert int(count) > 40 and has_builtin == "True"
    assert "node plug-in 'broken' (acme_missing_module) failed to load" in done.stderr


def test_plugins_are_loaded_only_when_a_name_is_not_among_the_built_in_types(tmp_path):
    install_distribution(tmp_path, "[pflow_studio.nodes]\nacme = acme_nodes\n", PLUGIN_MODULE)
    code = textwrap.dedent('''
        import sys
        from pflow_studio.runtime.registry import default_registry
        registry = default_registry()
        before = ("math.add" in registry, registry.get("math.add").type_name, "acme_nodes" in sys.modules)
        after = (registry.get("acme.scale").label, "acme_nodes" in sys.modules)
        print(before, after)
    ''')
    done = run_python(tmp_path, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(True, 'math.add', False) ('Scale', True)"
