"""Trust: nothing of a project from elsewhere that holds Python code runs before the user says so
(docs/execution.md, "Trust").

`TrustGate(window)` watches the window's files and gates its runs (`RunController.gate`, which Run, Run
Selected, Re-run failed / selected and Run element here all ask). A loaded file whose code the user has not
answered for (its `fingerprint` is not in the `TrustStore`) is asked about once: `ask(parent, name, places)`
(the dialog naming the code nodes; tests replace it) returns True for "Trust and allow runs" and False for
"Do not run" (Esc too); the answer is remembered for that content. Until answered, and after "Do not run",
every run is refused with a message naming File > Trust This Project's Code…, which asks again. Trusted
without a question: new projects, files without code, content the user trusted or saved from a trusted
document (a save records the saved content), and the bundled examples (by content, copies too).
A status-bar label says "Runs off: untrusted code" while runs are refused.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from pflow_studio.app.resources import RESOURCES
from pflow_studio.nodes.registry import Registry
from pflow_studio.project import file_format as project_file
from pflow_studio.project.trust import TrustStore, code_nodes, fingerprint
from pflow_studio.runtime.model import Workflow

TRUSTED, PENDING, DECLINED = "trusted", "pending", "declined"
TRUST_BUTTON = "Trust and allow runs"
DECLINE_BUTTON = "Do not run"
TRUST_ACTION = "&Trust This Project's Code…"
MAX_LISTED = 15
Ask = Callable[[QWidget, str, list[str]], bool]


def ask_with_dialog(parent: QWidget, name: str, places: list[str]) -> bool:
    """The question, as a modal dialog naming the code nodes; True when the user trusts the code."""
    listed = "\n".join(f"  • {place}" for place in places[:MAX_LISTED])
    if len(places) > MAX_LISTED:
        listed += f"\n  … and {len(places) - MAX_LISTED} more"
    box = QMessageBox(QMessageBox.Icon.Warning, "Code in this project",
                      f"'{name}' holds Python code that runs with your rights when the project runs:\n\n{listed}",
                      parent=parent)
    box.setInformativeText("Trust it only if you trust where the file came from. Nothing of it runs until you "
                           "answer; the answer is remembered for this content of the file.")
    trust = box.addButton(TRUST_BUTTON, QMessageBox.ButtonRole.AcceptRole)
    decline = box.addButton(DECLINE_BUTTON, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(decline)
    box.setEscapeButton(decline)
    box.exec()
    return box.clickedButton() is trust


@functools.cache
def example_fingerprints(registry: Registry) -> frozenset[str]:
    """The fingerprints of the bundled examples (resources/examples), which count as trusted."""
    found = set()
    for path in sorted((RESOURCES / "examples").glob("*.pflow")):
        try:
            digest = fingerprint(project_file.load(path, registry).workflow, registry)
        except project_file.ProjectFileError:
            continue
        if digest:
            found.add(digest)
    return frozenset(found)


class TrustGate(QObject):
    """See the module docstring. `state` is TRUSTED, PENDING (asked, not answered yet) or DECLINED."""

    def __init__(self, window: Any, store: TrustStore | None = None, ask: Ask | None = None) -> None:
        super().__init__(window)
        self.window, self.files, self.registry = window, window.files, window.registry
        self.store = store if store is not None else TrustStore()
        self.ask = ask  # None: `ask_with_dialog`
        self.state = TRUSTED  # a new window holds a new, empty project
        self.places: list[str] = []  # where the loaded document's code nodes are
        self.digest: str | None = None  # the loaded document's fingerprint
        self.label = QLabel("Runs off: untrusted code")
        self.label.setToolTip(f"This project's code is not trusted: File > {TRUST_ACTION.replace('&', '')}")
        window.statusBar().addPermanentWidget(self.label)
        self.action = QAction(TRUST_ACTION, window)
        self.action.setObjectName("action_trust")
        self.action.setStatusTip("Allow this project's Python code to run")
        self.action.triggered.connect(lambda _checked=False: self.trust_now())
        window.menus["file"].insertAction(window.actions["quit"], self.action)
        self.files.document_replaced.connect(self._replaced)
        self.files.loaded.connect(self._loaded)
        self.files.saved.connect(self._saved)
        window.runs.gate = self.refusal
        window.runs.refused.connect(lambda text: window.statusBar().showMessage(text, 15_000))
        self._show_state()

    def refusal(self) -> str | None:
        """Why no run may start now, or None."""
        if self.state == PENDING:
            return "Answer the question about this project's code first: nothing of it runs before."
        if self.state == DECLINED:
            return (f"Not run: '{self.files.display_name()}' holds code you have not trusted. To allow runs: "
                    f"File > {TRUST_ACTION.replace('&', '')}")
        return None

    def trust_now(self) -> bool:
        """File > Trust This Project's Code…: ask again (naming the code); True when it is trusted now."""
        if self.state == TRUSTED:
            return True
        self.places = [node.where for node in code_nodes(self.window.canvas.workflow(), self.registry)]
        self._answer(self._ask())
        return self.state == TRUSTED

    # -- the document's life ---------------------------------------------------------------------

    def _replaced(self) -> None:
        """A new project is the user's own; a loaded one waits for `_loaded` to decide."""
        self.state = TRUSTED if self.files.path is None else PENDING
        self.places, self.digest = [], None
        self._show_state()

    def _loaded(self, _path: str, workflow: Workflow) -> None:
        self.digest = fingerprint(workflow, self.registry)
        self.places = [node.where for node in code_nodes(workflow, self.registry)]
        known = True if self.digest is None or self.digest in example_fingerprints(self.registry) \
            else self.store.answer(self.digest)
        if known is None:
            self._show_state()
            known = self._ask()
        self._answer(known)

    def _ask(self) -> bool:
        return bool((self.ask or ask_with_dialog)(self.window, self.files.display_name(), self.places))

    def _answer(self, trusted: bool) -> None:
        self.state = TRUSTED if trusted else DECLINED
        if self.digest is not None and not self.store.remember(self.digest, trusted):
            self.window.statusBar().showMessage(f"Cannot keep the answer in {self.store.path}: it will be "
                                                "asked again next time", 15_000)
        self._show_state()

    def _saved(self, _path: str, workflow: Workflow) -> None:
        """The user's own work: a trusted document's saved content stays trusted when reopened (an untrusted
        one stays untrusted: trusting it later trusts what was saved)."""
        self.digest = fingerprint(workflow, self.registry)
        if self.state == TRUSTED and self.digest is not None:
            self.store.remember(self.digest, True)

    def _show_state(self) -> None:
        self.label.setVisible(self.state != TRUSTED)
        self.action.setEnabled(self.state == DECLINED)
