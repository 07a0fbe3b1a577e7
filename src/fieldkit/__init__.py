"""fieldkit: offline technical assistance to municipal governments."""

__version__ = "0.1.0"
