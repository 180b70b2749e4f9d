"""paycalc over HTTP: a read-only JSON service (optional extra ``serve``: FastAPI + uvicorn).

``paycalc serve`` runs it; :func:`create_app` builds the ASGI application for embedding
(``uvicorn "paycalc.server:create_app" --factory``). Every answer is a contract a program
can check: slips exactly as ``paycalc slip --format json`` prints them (with the scheme's
SHA-256), and every refused input as the ``problems`` list the command line prints
(``source``, ``location``, ``message``). See docs/http-api.md.

Importing :mod:`paycalc` never imports this package, so the core stays light.
"""

from paycalc.server.app import create_app
from paycalc.server.config import ServiceConfig, ServiceState

__all__ = ["ServiceConfig", "ServiceState", "create_app"]
