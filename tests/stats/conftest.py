import pytest

from tests.stats.support import Generated, make_generated


@pytest.fixture
def generated(cast) -> Generated:
    return make_generated(cast)
