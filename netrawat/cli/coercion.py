"""Option values checked without a pydantic `TypeAdapter` per option, where that changes nothing.

typer 0.29 coerces every option value through a pydantic ``TypeAdapter`` it builds for that
option on first use: for `netrawat backup` that is 17 adapters, pydantic and typer's adapter
module imported, about a sixth of the CPU the command spends before its first connection.
`light_coercion` gives an option a `LightRuntimeParam` instead, which returns what the
adapter would return for the plain values a command line carries (an absent option, a word,
a decimal number within its range, a path, a value a ``parser=`` accepts) and hands any other
value to typer's own adapter, built then: every refusal, and its message, stays typer's.
tests/test_cli_coercion.py holds the two to the same results value by value (it also guards
the typer internals used here: typer is pinned below 0.30).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path, lenient_issubclass, routes_to_path
from typer.core import _TyperParameter

_MISS = object()
"""What a fast path returns for a value it leaves to typer's adapter."""

FastPath = Callable[[Any, _TyperParameter, Context], Any]


@dataclass(frozen=True)
class LightRuntimeParam(RuntimeParam):
    """Plain values directly; anything else (and every error) through typer's own adapter."""

    descriptor: TypeDescriptor
    fast: FastPath

    @cached_property
    def typer_param(self) -> RuntimeParam:
        return build_runtime_param(self.descriptor)

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        done = self.fast(value, param, ctx)
        if done is _MISS:
            return self.typer_param._coerce_value(value, param=param, ctx=ctx)
        return done


def light_coercion(param: Any) -> None:
    """Give an option a `LightRuntimeParam` where its type has a fast path; any other keeps
    typer's, built on first use as before."""
    if not isinstance(param, _TyperParameter) or param._runtime_param is not None:
        return
    fast = _fast_path(param.type_descriptor)
    if fast is not None:
        param._runtime_param = LightRuntimeParam(
            parameter_info=param.type_descriptor.parameter_info,
            annotation=param.type_descriptor.annotation,
            descriptor=param.type_descriptor,
            fast=fast,
        )


def _fast_path(descriptor: TypeDescriptor) -> FastPath | None:
    """The fast path for an option's type, None for a type left wholly to typer (files,
    choices, dates, tuples, ...)."""
    if descriptor.file_annotation is not None:
        return None
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        (item_type,) = get_args(annotation)
        item = _leaf(item_type, descriptor)
        return None if item is None else _list_of(item)
    return _leaf(annotation, descriptor)


def _list_of(item: FastPath) -> FastPath:
    def each(value: Any, param: _TyperParameter, ctx: Context) -> Any:
        if not isinstance(value, (list, tuple)):
            return _MISS
        done = [item(one, param, ctx) for one in value]
        return _MISS if any(one is _MISS for one in done) else done

    return each


def _leaf(annotation: Any, descriptor: TypeDescriptor) -> FastPath | None:
    info = descriptor.parameter_info
    if info.parser is not None:
        return _parsed(info.parser)
    if annotation is str:
        return lambda value, param, ctx: value if type(value) is str else _MISS
    if annotation is bool:
        return lambda value, param, ctx: value if type(value) is bool else _MISS
    if annotation in (int, float) and not info.clamp:
        return _number(annotation, info.min, info.max)
    if lenient_issubclass(annotation, Path) and routes_to_path(annotation, info):
        return _path(annotation, descriptor)
    return None


def _parsed(parser: Callable[[Any], Any]) -> FastPath:
    """The parser's value; a value it refuses goes to typer, which calls it again (parsers
    are pure) and words the refusal."""

    def parse(value: Any, param: _TyperParameter, ctx: Context) -> Any:
        try:
            return parser(value)
        except Exception:
            return _MISS

    return parse


def _number(kind: type[Any], low: float | None, high: float | None) -> FastPath:
    """An int (or float) default as it is, or a word of ASCII digits for an int, when within
    the option's range."""

    def number(value: Any, param: _TyperParameter, ctx: Context) -> Any:
        read: Any = value
        if type(value) is str and kind is int and value.isascii() and value.isdigit():
            try:
                read = int(value)
            except ValueError:  # more digits than int() reads (4300): typer words it
                return _MISS
        if type(read) is not kind:
            return _MISS
        if (low is not None and read < low) or (high is not None and read > high):
            return _MISS
        return read

    return number


def _path(annotation: type[Path], descriptor: TypeDescriptor) -> FastPath | None:
    """A word as the option's path type, after typer's own checks (exists, file_okay, ...),
    which raise typer's usage errors. typer turns the word into a path before its checks;
    they read the same either way, except ``-`` (allow_dash), left to typer."""
    info = descriptor.parameter_info
    path_type: type[Any] = info.path_type or annotation
    if info.allow_dash or not lenient_issubclass(path_type, Path):
        return None

    def path(value: Any, param: _TyperParameter, ctx: Context) -> Any:
        if type(value) is not str or not value:
            return _MISS
        try:
            done: Any = coerce_cli_path(value, info, path_type=None, param=param, ctx=ctx)
        except BadParameter:
            raise
        except Exception:  # e.g. a NUL byte: typer words it
            return _MISS
        return done if isinstance(done, path_type) else path_type(done)

    return path
