"""netrawat's built-in templates, shipped as package data (``netrawat.templates``).

``<platform>/intended/``: intended-config features (Jinja2) for ``netrawat diff --against
intended``; ``<platform>/repair/``: repair templates (YAML + Jinja2) for ``netrawat repair``;
``textfsm/<platform>/``: TextFSM parsers. A site directory given by ``--templates DIR`` or
``$NETRAWAT_TEMPLATES`` is searched first, per platform and template name.
"""
