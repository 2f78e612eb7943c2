"""Runtime tests run on the test node types of tests/support/nodes.py, with their call counter reset."""

import pytest

from tests.support.nodes import CALLS, make_registry


@pytest.fixture
def registry():
    return make_registry()


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()
    yield
