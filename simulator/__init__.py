"""EU cyber crisis tabletop-exercise simulator: the engine and everything that is not a screen.

The core never imports Textual; the console lives in the top-level ``tui`` package.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("eu-cyber-ttx")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
