"""The node help window: a QTextBrowser showing a node type's page (app/help/pages.py) or the index of all
types; links between them stay in the window. Not modal: it stays open beside the canvas."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from pflow_studio.app.help.pages import INDEX_LINK, NODE_LINK, STYLE, index_page, node_page
from pflow_studio.nodes.api import NodeType
from pflow_studio.nodes.registry import Registry


class NodeHelpDialog(QDialog):
    """Shows `show_type(type, instance)` or `show_index()`; `type_name` is the page shown ('' for the index)."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("node_help")
        self.registry = registry
        self.type_name = ""
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.document().setDefaultStyleSheet(STYLE)
        self.browser.anchorClicked.connect(self._follow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.browser)
        self.resize(560, 620)

    def show_type(self, node_type: type[NodeType], instance: NodeType | None = None) -> None:
        self.type_name = node_type.type_name
        self.setWindowTitle(f"Help: {node_type.display_name()}")
        self.browser.setHtml(node_page(node_type, instance))

    def show_index(self) -> None:
        self.type_name = ""
        self.setWindowTitle("Help: node types")
        self.browser.setHtml(index_page(self.registry))

    def _follow(self, url: QUrl) -> None:
        link = url.toString()
        if link.startswith(NODE_LINK) and link[len(NODE_LINK):] in self.registry:
            self.show_type(self.registry.get(link[len(NODE_LINK):]))
        elif link.startswith(INDEX_LINK):
            self.show_index()
