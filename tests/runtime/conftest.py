import pytest

from tests.runtime.fixtures import CALLS, make_registry


@pytest.fixture
def registry():
    return make_registry()


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()
    yield


from tests.runtime.cluster_fixtures import cluster, fresh_cluster  # noqa: E402, F401  (real local clusters)
