"""Monitio: self-hosted multilingual monetization-risk intelligence."""

__version__ = "0.1.0"
