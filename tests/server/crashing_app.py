"""The service with one route that fails as a bug would: for the test that a 500 hides it.

Started by a real uvicorn process (``python -m uvicorn tests.server.crashing_app:app``).
"""

from paycalc.server import create_app

app = create_app()


@app.get("/v1/crash")
async def crash() -> None:
    raise RuntimeError("a bug whose details (/srv/secret/path, line 42) must stay on the server")
