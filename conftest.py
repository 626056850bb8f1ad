"""Test-session settings shared by tests/ and the doctests in kg/."""

from __future__ import annotations

import os
import tempfile


def pytest_configure() -> None:
    """Keep the built-graph cache of a test run out of the user's cache folder."""
    os.environ.setdefault("CMR_KG_CACHE", tempfile.mkdtemp(prefix="cmr-kg-test-cache-"))
