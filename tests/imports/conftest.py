"""The real ``rollbook`` command, as the foundation tests run it."""

from tests.foundation.conftest import cli_env, rollbook

__all__ = ["cli_env", "rollbook"]
