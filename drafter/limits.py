"""Bounds on what a template may make us do.

Templates (occasion YAML strings and the .j2 layouts) come from colleagues and are not trusted.
The Jinja sandbox already stops them reaching Python internals; this module also stops them
from using up the machine: `'x' * 10**10`, nested loops over `range(100000)`, recursive
macros, `'{:>999999999}'.format(1)`, a string doubled in a loop ...

A render runs under a `RenderGuard`, which bounds
- time: a wall-clock limit, enforced by SIGALRM in the main thread (a trace function in other
  threads), so that even a loop that calls nothing is stopped;
- output: every join of template output (the whole render, a macro's body, a {% set %} block)
  is counted as it grows;
- the size of each value an operator, filter, method or `~` makes, checked before it is made
  where the size can be foreseen (`*`, `**`, `%`, arguments of built-in methods and filters);
- the total work (the sizes of all values made), and
- memory, as a last resort: the address-space limit is lowered for the length of the render
  (main thread of a single-threaded process, Linux), so what slips past the checks above ends
  in MemoryError, not in the kernel's OOM killer.

Every refusal is a `TemplateLimitError` that knows the template file and line it came from."""

from __future__ import annotations

import functools
import re
import signal
import sys
import threading
import time
import types
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RenderLimits:
    seconds: float = 3.0  # a real speech renders in milliseconds
    max_output: int = 1_000_000  # characters one render (or one macro, one {% set %}) may produce
    max_value: int = 1_000_000  # characters or items of one value; also the largest number argument
    max_work: int = 10_000_000  # product of the sizes of a built-in call's arguments
    budget: int = 50_000_000  # sum of the sizes of all values made during one render
    max_int_bits: int = 4096
    memory: int = 1 << 30  # bytes of address space a render may add


LIMITS = RenderLimits()


class TemplateLimitError(Exception):
    """A template asked for more than a template may. `reason` is Chinese; `filename` and
    `line` say where (when known)."""

    def __init__(self, reason: str, filename: str | None = None, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.filename = filename
        self.line = line


# ---------------------------------------------------------------------------
# where in a template are we


def _template_line(debug_info: str, code_line: int) -> int:
    pairs = [tuple(map(int, pair.split("="))) for pair in debug_info.split("&") if "=" in pair]
    for template_line, line in reversed(pairs):
        if line <= code_line:
            return template_line
    return 1


def frame_position(frame: types.FrameType | None) -> tuple[str | None, int | None]:
    """The template file and line of the innermost template code at or above `frame`."""
    while frame is not None:
        globals_ = frame.f_globals
        if "debug_info" in globals_ and "environment" in globals_ and "root" in globals_:
            return frame.f_code.co_filename, _template_line(globals_["debug_info"], frame.f_lineno)
        frame = frame.f_back
    return None, None


def _generator_position(parts: Any) -> tuple[str | None, int | None]:
    gen = parts
    while isinstance(getattr(gen, "gi_yieldfrom", None), types.GeneratorType):
        gen = gen.gi_yieldfrom
    frame = getattr(gen, "gi_frame", None)
    return frame_position(frame) if frame is not None else (None, None)


def traceback_position(tb: types.TracebackType | None) -> tuple[str | None, int | None]:
    """The last template frame of a traceback Jinja has rewritten (its line is the template's)."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        globals_ = tb.tb_frame.f_globals
        if "__jinja_exception__" in globals_:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        elif "debug_info" in globals_ and "root" in globals_:
            found = (tb.tb_frame.f_code.co_filename, _template_line(globals_["debug_info"], tb.tb_lineno))
        tb = tb.tb_next
    return found


def _refuse(reason: str, frame: types.FrameType | None = None) -> None:
    filename, line = frame_position(frame if frame is not None else sys._getframe(2))
    raise TemplateLimitError(reason, filename, line)


# ---------------------------------------------------------------------------
# the guard of one render

_local = threading.local()


def _current() -> "RenderGuard | None":
    return getattr(_local, "guard", None)


class RenderGuard:
    """Context manager bounding one render (re-entrant: an inner guard defers to the outer)."""

    def __init__(self, limits: RenderLimits = LIMITS):
        self.limits = limits
        self.used = 0
        self.deadline = 0.0
        self._outer = False
        self._saved: list = []

    def __enter__(self) -> "RenderGuard":
        if _current() is not None:
            return self
        self._outer = True
        _local.guard = self
        self.deadline = time.monotonic() + self.limits.seconds
        try:
            self._start_clock()
            self._lower_memory_limit()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        if not self._outer:
            return
        while self._saved:
            undo = self._saved.pop()
            try:
                undo()
            except (OSError, ValueError):  # pragma: no cover - restoring what we set cannot fail
                pass
        _local.guard = None

    # time

    def _start_clock(self) -> None:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            previous = signal.signal(signal.SIGALRM, self._alarm)
            self._saved.append(lambda: signal.signal(signal.SIGALRM, previous))
            signal.setitimer(signal.ITIMER_REAL, self.limits.seconds)
            self._saved.append(lambda: signal.setitimer(signal.ITIMER_REAL, 0))
        else:
            previous_trace = sys.gettrace()
            sys.settrace(self._trace)
            self._saved.append(lambda: sys.settrace(previous_trace))

    def _timeout_reason(self) -> str:
        return f"渲染超过 {self.limits.seconds:g} 秒（模板里可能有过大的循环或无尽的递归）"

    def _alarm(self, signum: int, frame: types.FrameType | None) -> None:
        raise TemplateLimitError(self._timeout_reason(), *frame_position(frame))

    def _trace(self, frame: types.FrameType, event: str, arg: Any):
        return self._trace_lines

    _ticks = 0

    def _trace_lines(self, frame: types.FrameType, event: str, arg: Any):
        self._ticks += 1
        if not self._ticks & 1023 and time.monotonic() > self.deadline:
            raise TemplateLimitError(self._timeout_reason(), *frame_position(frame))
        return self._trace_lines

    def check_time(self, frame: types.FrameType | None = None) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(self._timeout_reason(), *frame_position(frame or sys._getframe(2)))

    # memory

    def _lower_memory_limit(self) -> None:
        if not sys.platform.startswith("linux") or threading.active_count() != 1:
            return
        try:
            import resource

            with open("/proc/self/statm", "rb") as handle:
                in_use = int(handle.read().split()[0]) * resource.getpagesize()
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            wanted = in_use + self.limits.memory
            if hard != resource.RLIM_INFINITY:
                wanted = min(wanted, hard)
            if soft != resource.RLIM_INFINITY and soft <= wanted:
                return
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
            self._saved.append(lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard)))
        except (ImportError, OSError, ValueError):
            return

    # work

    def account(self, size: int) -> None:
        self.used += size
        if self.used > self.limits.budget:
            _refuse(f"运算量超过上限（模板在一次渲染中生成了超过 {self.limits.budget:,} 个字符或项）", sys._getframe(2))


# ---------------------------------------------------------------------------
# sizes


def _size(value: Any) -> int:
    """Characters or items of a value, 1 for anything else."""
    try:
        return max(1, len(value)) if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) else 1
    except TypeError:  # pragma: no cover
        return 1


def _weight(value: Any, limit: int) -> int:
    """What a value may make a built-in function do: a number's magnitude, a string's length,
    a collection's length plus the lengths of the strings and collections in it."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return max(1, min(abs(value), limit * limit))
    if isinstance(value, (str, bytes)):
        return max(1, len(value))
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        total = len(value)
        if total > limit:
            return total
        for item in value.values() if isinstance(value, dict) else value:
            if isinstance(item, (str, bytes, list, tuple, set, frozenset, dict)):
                total += len(item)
                if total > limit * limit:
                    break
        return max(1, total)
    return 1


_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(?:\*|\d{7,})|\{[^{}]*:[^{}]*(?:\d{7,}|\{)")


def check_arguments(name: str, args: tuple, kwargs: dict, limits: RenderLimits = LIMITS, formatting: bool = False) -> None:
    """Refuse a call to a built-in function, method or filter whose result could be huge: a
    number argument beyond `max_value`, a format with a huge width, or arguments whose sizes
    multiply beyond `max_work`."""
    work = 1
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > limits.max_value:
            _refuse(f"{name} 的参数数字过大（{_short(value)}，上限 {limits.max_value:,}）")
        if formatting and isinstance(value, str) and _FORMAT_WIDTH.search(value):
            _refuse(f"{name} 的格式宽度过大")
        work *= _weight(value, limits.max_work)
        if work > limits.max_work:
            _refuse(f"{name} 的参数太大（会生成超过 {limits.max_work:,} 个字符或项）")


def _short(value: int) -> str:
    text = str(value) if value.bit_length() < 200 else f"约 {value.bit_length()} 位二进制"
    return text if len(text) <= 30 else text[:12] + "…"


def check_binop(operator: str, left: Any, right: Any, limits: RenderLimits = LIMITS) -> None:
    """Refuse `*`, `**`, `+`, `%` whose result would be too large, before computing it."""
    check = _BINOP_CHECKS.get(operator)
    if check is not None:
        check(left, right, limits)


def _check_power(left: Any, right: Any, limits: RenderLimits) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if right > 0 and abs(left) > 1 and abs(left).bit_length() * right > limits.max_int_bits:
            _refuse(f"乘方结果过大（{_short(left)} ** {_short(right)}）")


def _check_times(left: Any, right: Any, limits: RenderLimits) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if abs(left).bit_length() + abs(right).bit_length() > limits.max_int_bits:
            _refuse("乘法结果过大")
        return
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(times, int):
            if len(sequence) * times > limits.max_value:
                _refuse(f"重复结果过大（{len(sequence):,} × {_short(times)}，上限 {limits.max_value:,} 个字符或项）")


def _check_plus(left: Any, right: Any, limits: RenderLimits) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if max(abs(left).bit_length(), abs(right).bit_length()) >= limits.max_int_bits:
            _refuse("加法结果过大")
    elif isinstance(left, (str, bytes, list, tuple)) and isinstance(right, (str, bytes, list, tuple)):
        if len(left) + len(right) > limits.max_value:
            _refuse(f"连接结果过大（超过 {limits.max_value:,} 个字符或项）")


def _check_format(left: Any, right: Any, limits: RenderLimits) -> None:
    if isinstance(left, str):
        if _FORMAT_WIDTH.search(left):
            _refuse("格式宽度过大")
        check_arguments("%", (left, *(right if isinstance(right, tuple) else (right,))), {}, limits)


_BINOP_CHECKS = {"**": _check_power, "*": _check_times, "+": _check_plus, "%": _check_format}


def check_result(value: Any, what: str, limits: RenderLimits = LIMITS) -> Any:
    size = _size(value)
    if size > limits.max_value:
        _refuse(f"{what}的结果过大（{size:,} 个字符或项，上限 {limits.max_value:,}）")
    guard = _current()
    if guard is not None:
        guard.account(size)
    return value


def guarded_concat(parts: Any, limits: RenderLimits = LIMITS) -> str:
    """"".join(parts), counting as it goes: template output beyond `max_output` is refused
    while it is produced, not after."""
    out: list[str] = []
    total = 0
    for part in parts:
        total += len(part)
        if total > limits.max_output:
            filename, line = _generator_position(parts) if isinstance(parts, types.GeneratorType) else frame_position(sys._getframe(1))
            raise TemplateLimitError(f"生成的文字超过 {limits.max_output:,} 字", filename, line)
        out.append(part)
    guard = _current()
    if guard is not None:
        guard.account(total)
    return "".join(out)


def guard_function(name: str, func: Any, limits: RenderLimits = LIMITS) -> Any:
    """A filter (or other function) whose arguments and result are checked."""

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        check_arguments(f"过滤器 {name}", args, kwargs, limits, formatting=name == "format")
        return check_result(func(*args, **kwargs), f"过滤器 {name} ")

    return guarded


_BUILTIN_CALLABLES = (types.BuiltinFunctionType, types.BuiltinMethodType, types.MethodWrapperType, types.WrapperDescriptorType, types.MethodDescriptorType)


def is_builtin(func: Any) -> bool:
    return isinstance(func, _BUILTIN_CALLABLES)
