"""Pacing: requests- and tokens-per-minute buckets, jittered backoff, ``Retry-After``.

A :class:`RateLimiter` is two token buckets refilled continuously (a per-minute budget spread
over the minute); a request waits until both can pay. Token costs are estimated before the call
(prompt characters / 4 plus the answer budget) and corrected with the reported usage after it.
"""

from __future__ import annotations

import asyncio
import random
import time
from email.utils import parsedate_to_datetime
from typing import Any

CHARS_PER_TOKEN = 4

#: The clock and the sleep the limiter uses (tests substitute a fake clock).
_clock = time.monotonic
_sleep = asyncio.sleep


def estimate_tokens(messages: list[dict[str, Any]], answer_budget: int = 256) -> int:
    return sum(len(str(m.get("content", ""))) for m in messages) // CHARS_PER_TOKEN + answer_budget


class _Bucket:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.level = float(per_minute)
        self.rate = per_minute / 60.0
        self.stamp = _clock()

    def refill(self) -> None:
        now = _clock()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_for(self, amount: float) -> float:
        """Seconds until ``amount`` can be paid (0 when it can be paid now)."""
        self.refill()
        need = min(amount, self.capacity) - self.level
        return 0.0 if need <= 0 else need / self.rate


class RateLimiter:
    """Optional RPM and TPM limits (0 disables a limit)."""

    def __init__(self, rpm: int = 0, tpm: int = 0) -> None:
        self._requests = _Bucket(rpm) if rpm > 0 else None
        self._tokens = _Bucket(tpm) if tpm > 0 else None
        self._lock = asyncio.Lock()

    async def acquire(self, tokens: int) -> None:
        if self._requests is None and self._tokens is None:
            return
        async with self._lock:
            while True:
                delay = max(self._delay(self._requests, 1), self._delay(self._tokens, tokens))
                if delay <= 0:
                    break
                await _sleep(delay)
            self._pay(self._requests, 1)
            self._pay(self._tokens, tokens)

    def correct(self, estimated: int, actual: int) -> None:
        """Charge (or refund) the difference between the estimate and the reported usage."""
        if self._tokens is not None:
            self._tokens.refill()
            self._tokens.level -= actual - estimated

    @staticmethod
    def _delay(bucket: _Bucket | None, amount: float) -> float:
        return bucket.wait_for(amount) if bucket else 0.0

    @staticmethod
    def _pay(bucket: _Bucket | None, amount: float) -> None:
        if bucket:
            bucket.level -= min(amount, bucket.capacity)


def retry_after(headers: Any) -> float | None:
    """Seconds a server asked us to wait (``retry-after-ms``, ``retry-after`` seconds or date)."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def backoff_delay(
    attempt: int, base: float, cap: float, hint: float | None, rng: random.Random
) -> float:
    """Delay before retry number ``attempt`` (1-based): jittered exponential, never shorter
    than the server's ``Retry-After`` hint, never longer than ``cap``."""
    exponential = min(cap, base * 2.0 ** (attempt - 1)) * rng.uniform(0.5, 1.0)
    return max(exponential, min(hint, cap)) if hint is not None else exponential
