"""Hooks: how a lower floor lets an upper one react to it without importing it.

The lower app owns the hook and fires it where the thing happens; the upper app registers its receiver
once, in its `AppConfig.ready()`. Unlike Django signals, a hook is a plain object that the firing app
imports from its own module, a receiver is registered in exactly one visible place, and every
receiver runs synchronously in the caller's transaction (receivers that start long work enqueue a task
on commit). Example: marketplace fires `opportunity_changed`; matching registers the refresh of the
opportunity's matches into it (see docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Hook(Generic[P]):
    """Something happened: every registered receiver is told, in the order they registered."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[Callable[P, Any]] = []

    def register(self, receiver: Callable[P, Any]) -> Callable[P, Any]:
        """Add a receiver (once: registering the same function again changes nothing)."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def fire(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for receiver in list(self._receivers):
            receiver(*args, **kwargs)


class Provider(Generic[P, R]):
    """A lower app asks an upper one for an answer; the one registered provider gives it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._provider: Callable[P, R] | None = None

    def register(self, provider: Callable[P, R]) -> Callable[P, R]:
        self._provider = provider
        return provider

    def ask(self, default: R, *args: P.args, **kwargs: P.kwargs) -> R:
        """The provider's answer, or `default` when no app provides one."""
        if self._provider is None:
            return default
        return self._provider(*args, **kwargs)
