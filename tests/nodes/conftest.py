"""Node tests that need a registry get the test node types, the containers and the Control Flow library."""

import pytest

from tests.support.nodes import CALLS, control_flow_registry


@pytest.fixture
def registry():
    return control_flow_registry()


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()
    yield
