"""The code editor of Python nodes: `CodeEditor` (highlighting, line numbers, indentation, the failed line's
mark), the larger editor window, and the window's session that feeds them the last run's failures."""
