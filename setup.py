"""Only the package list, which pyproject.toml cannot express: every package under src/ plus the
top-level rules/ folder (and its folders of data) as ``permanency_rules.rules`` (mapped to
rules/ in pyproject.toml)."""

from setuptools import find_namespace_packages, find_packages, setup

rules = [f"permanency_rules.{p}" for p in find_namespace_packages(".", include=["rules", "rules.*"])]
setup(packages=[*find_packages("src"), *rules])
