import pytest

from tests.runtime.fixtures import CALLS, make_registry


@pytest.fixture
def registry():
    return make_registry()


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()
    yield
