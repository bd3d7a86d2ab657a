"""The HTTP decision service: ``permanency-rules serve`` (FastAPI on uvicorn)."""

from .app import create_app

__all__ = ["create_app"]
