"""Completion Playground: a desktop playground for OpenAI-compatible text completions."""

__version__ = "0.1.0"
APP_NAME = "completion-playground"
APP_DISPLAY_NAME = "Completion Playground"
