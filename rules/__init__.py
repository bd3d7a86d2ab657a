"""The bundled rules, shipped in the wheel as the package ``permanency_rules.rules``.

This folder is the one source (see pyproject.toml ``package-dir``); the code finds it with
``importlib.resources``, in a checkout, an editable install and an installed wheel alike.
"""
