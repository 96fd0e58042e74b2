import pytest
from tests.core.test_groups import clock, territory  # noqa: F401
pytestmark = pytest.mark.backends

async def test_x(territory) -> None:
    app, _, people = territory
    marie = people["marie"]
    await marie.say("/groupe")
    await marie.say("je choisis : la boulangerie, les jardins et la ferme")
    print("SOURCE>>", marie.text())
    await marie.say("je choisis : la boulangerie, les jardins et la ferme")
    print("QUERY>>", marie.text())
    await marie.say("je choisis : la boulangerie et les jardins")
    print("PICK>>", marie.text())
