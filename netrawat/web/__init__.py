"""The web console and REST API (`netrawat serve`): FastAPI under uvicorn, Jinja2 pages.

- `netrawat.web.app.create_app` builds the ASGI application from `WebSettings`;
- `netrawat.web.api`: the REST API under ``/api/v1`` (bearer tokens);
- `netrawat.web.pages`: the console (session cookies, CSRF), Bahasa Indonesia by default;
- `netrawat.web.worker`: the worker process that runs the playbooks the console and API start
  (through the ``netrawat`` command itself: same playbooks, same run lock as the CLI).

The libraries come with the ``web`` extra: ``pip install 'netrawat[web]'``.
"""

INSTALL_HINT = "install the web extra: pip install 'netrawat[web]' (in a checkout: make venv)"
