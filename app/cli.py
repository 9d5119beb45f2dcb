"""Headless command line over the same core as the window; also the scripting interface.

``completion-playground complete --base-url URL --model M [--prompt TEXT | stdin] ...``
streams text to stdout as it arrives (``--json`` prints one JSON object at the end instead).
The API key comes only from ``$OPENAI_API_KEY``, never from an argument.
``completion-playground detect --base-url URL | --profile NAME [--json]`` prints what kind
of server it is (the sentence, then the kind's id).
``completion-playground batch --data FILE --out RESULTS.jsonl [--prompt TEMPLATE] ...`` runs
the template over every data row (see :func:`add_batch_parser` for its exit codes).

Exit codes: 0 success, 1 API/HTTP error, 2 invalid parameters, 3 network failure or
timeout, 130 interrupted. Errors are one line on stderr; text already received stays on
stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TextIO

from app.core import parameters as registry
from app.core.capabilities import IGNORED_PARAMETERS, ignored_parameters
from app.core.connections import Connections
from app.core.detection import detect
from app.core.endpoint import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    Endpoint,
    InvalidBaseURL,
)
from app.core.errors import CompletionError, UnexpectedError
from app.core.events import ChoiceDelta, Event
from app.core.history import HistoryError, HistoryStore
from app.core.keys import KeyStore, probe_in_background
from app.core.local_model import LocalModelError
from app.core.parameters import ParamType
from app.core.paths import AppPaths
from app.core.presets import Preset, PresetError, PresetStore
from app.core.profiles import Profile, ProfileStore
from app.core.request import CompletionRequest, Prompt, RequestValidationError
from app.core.result import CompletionResult, ResultBuilder
from app.core.run import DEFAULT_OUTPUT_LIMIT
from app.terminal import for_terminal

__all__ = [
    "add_batch_parser",
    "add_complete_parser",
    "add_detect_parser",
    "run_batch",
    "run_complete",
    "run_detect",
]

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_NETWORK = 3
EXIT_INTERRUPTED = 130
KEY_ENV = "OPENAI_API_KEY"


def _add_target(
    p: argparse.ArgumentParser,
    profile_holds: str,
    *,
    required: bool = False,
    example: str = "https://api.openai.com/v1",
) -> None:
    """``--base-url URL | --profile NAME``: where a command sends its requests."""
    target = p.add_mutually_exclusive_group(required=required)
    target.add_argument("--base-url", help=f"e.g. {example}")
    target.add_argument(
        "--profile",
        metavar="NAME",
        help=f"a saved profile ({profile_holds}; 'Local model' starts the built-in model)",
    )


def _terminal_streams(out: TextIO | None, err: TextIO | None) -> tuple[TextIO, TextIO]:
    """The command's output and error streams (default: the process's); on a terminal,
    the control characters of the server's text in them are shown, never obeyed."""
    return for_terminal(out or sys.stdout), for_terminal(err or sys.stderr)


def _add_timeouts(p: argparse.ArgumentParser) -> None:
    """``--timeout`` and ``--connect-timeout``, in seconds (default: the profile's)."""
    p.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=f"read timeout (default: the profile's, else {DEFAULT_READ_TIMEOUT:g})",
    )
    p.add_argument(
        "--connect-timeout",
        type=float,
        metavar="SECONDS",
        help=f"connect timeout (default: the profile's, else {DEFAULT_CONNECT_TIMEOUT:g})",
    )


def add_complete_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "complete",
        help="run one completion headlessly (key from $OPENAI_API_KEY)",
        description="Run one completion against an OpenAI-compatible /v1/completions endpoint. "
        f"The API key is read from ${KEY_ENV}.",
    )
    p.add_argument(
        "--preset",
        metavar="FILE",
        help="a preset file (prompt, parameters, profile, model); flags given here override it",
    )
    p.add_argument("--no-history", action="store_true", help="do not record this run")
    _add_target(p, "its URL, key from the keyring, headers, proxy, timeouts")
    p.add_argument("--model", help="model name (default: the profile's default model)")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--prompt", help="prompt text (default: read standard input)")
    src.add_argument(
        "--prompt-json",
        metavar="JSON",
        help="prompt as JSON: a list of strings, token ids, or lists of token ids",
    )
    _add_parameter_flags(p)
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any request field, repeatable; VALUE is parsed as JSON, else taken as a string "
        "(--param top_k=40 --param 'grammar=\"root ::= ...\"')",
    )
    p.add_argument(
        "--no-stream",
        action="store_const",
        const=True,
        default=None,
        help="wait for the whole answer",
    )
    p.add_argument(
        "--max-output",
        type=int,
        metavar="CHARS",
        default=DEFAULT_OUTPUT_LIMIT,
        help="stop the run after this many characters of output, keeping the text "
        f"(default {DEFAULT_OUTPUT_LIMIT:,}; 0 = no limit)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object at the end")
    p.add_argument(
        "--stats", action="store_true", help="print finish reason, usage and timings to stderr"
    )
    _add_timeouts(p)
    return p


def _add_parameter_flags(p: argparse.ArgumentParser) -> None:
    """One flag per registry parameter (``--top-k`` for ``top_k``), typed by the registry."""
    group = p.add_argument_group("parameters (each is sent only when given)")
    for param in registry.PARAMS:
        if param.name == "stream":
            continue  # --no-stream below; streaming is the default
        kind = param.type
        help_text = param.help.replace("%", "%%")
        if kind == ParamType.BOOL:
            group.add_argument(
                param.flag, dest=param.name, action=argparse.BooleanOptionalAction,
                default=None, help=help_text,
            )  # fmt: skip
        elif kind == ParamType.STRING_LIST:
            group.add_argument(
                param.flag, dest=param.name, action="append", default=None, metavar="TEXT",
                help=f"{help_text} (repeat the flag; \\n and \\t are unescaped)",
            )  # fmt: skip
        elif kind == ParamType.INT_LIST:
            group.add_argument(param.flag, dest=param.name, metavar="ID,ID,…", help=help_text)
        elif kind == ParamType.JSON:
            group.add_argument(param.flag, dest=param.name, metavar="JSON", help=help_text)
        else:
            convert = {ParamType.INT: int, ParamType.FLOAT: float}.get(kind, str)
            group.add_argument(param.flag, dest=param.name, type=convert, help=help_text)


def _flag_value(param: registry.Param, value: Any) -> Any:
    """A flag's value as the body carries it; raises _UsageError when it cannot be read."""
    if param.type == ParamType.STRING_LIST:
        return [_unescape(v) for v in value]
    if param.type == ParamType.INT_LIST:
        try:
            return [int(v) for v in str(value).replace(" ", "").split(",") if v]
        except ValueError:
            raise _UsageError(f"{param.flag}: token ids are whole numbers, e.g. 1,2,3") from None
    if param.type == ParamType.JSON:
        try:
            return json.loads(value)
        except ValueError:
            raise _UsageError(f"{param.name} ({param.flag}): not valid JSON") from None
    return value


def _custom_params(items: list[str]) -> dict[str, Any]:
    """``--param NAME=VALUE`` pairs: VALUE as JSON, else as a string."""
    params: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise _UsageError(f"--param {item!r}: use NAME=VALUE")
        params[name.strip()] = registry.parse_cli_value(value)
    return params


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r")


def _prompt(args: argparse.Namespace, stdin: TextIO) -> Prompt:
    if args.prompt is not None:
        return str(args.prompt)
    if args.prompt_json is not None:
        try:
            return json.loads(args.prompt_json)  # type: ignore[no-any-return]
        except json.JSONDecodeError as exc:
            raise RequestValidationError([]) from exc
    if stdin.isatty():
        raise _UsageError("no prompt: pass --prompt TEXT or pipe the prompt on standard input")
    return stdin.read()


class _UsageError(Exception):
    pass


def _load_preset(args: argparse.Namespace) -> Preset | None:
    if not args.preset:
        return None
    try:
        return PresetStore.read(Path(args.preset))
    except PresetError as exc:
        raise _UsageError(f"--preset {exc}") from None


def build_request(
    args: argparse.Namespace, stdin: TextIO, preset: Preset | None = None
) -> CompletionRequest:
    """The request described by the arguments over the preset's (validated)."""
    base: dict[str, Any] = dict(preset.parameters) if preset else {}
    if preset is not None and args.prompt is None and args.prompt_json is None:
        prompt: Prompt = preset.prompt
    else:
        try:
            prompt = _prompt(args, stdin)
        except RequestValidationError:
            raise _UsageError("--prompt-json: not valid JSON") from None
    given: dict[str, Any] = {}
    for param in registry.PARAMS:
        value = getattr(args, param.name, None)
        if value is not None and param.name != "stream":
            given[param.name] = _flag_value(param, value)
    if args.no_stream:
        given["stream"] = False
    given.update(_custom_params(args.param))
    base.update(given)
    request = CompletionRequest(model=args.model, prompt=prompt, params=base)
    request.validate()
    return request


def _open_history(args: argparse.Namespace, err: TextIO) -> HistoryStore | None:
    """The same history as the window's, unless ``--no-history`` (a problem is a note)."""
    if args.no_history:
        return None
    try:
        return HistoryStore(AppPaths.resolve(getattr(args, "config_dir", None)).history_file)
    except HistoryError as exc:
        err.write(f"note: {exc}\n")
        return None


def _stats_line(result: CompletionResult) -> str:
    parts = []
    for choice in result.ordered_choices:
        parts.append(f"choice {choice.index}: finish_reason={choice.finish_reason or '-'}")
    if result.usage:
        parts.append(
            "usage: " + ", ".join(f"{k}={v}" for k, v in result.usage.items() if isinstance(v, int))
        )
    else:
        parts.append("usage: not reported")
    ttft = result.timings.time_to_first_token
    tps = result.tokens_per_second
    total = result.timings.total
    if ttft is not None:
        parts.append(f"first token {ttft * 1000:.0f} ms")
    if tps is not None:
        parts.append(f"{tps:.1f} tokens/s")
    if total is not None:
        parts.append(f"total {total:.2f} s")
    return "; ".join(parts)


def _preset_and_profile(args: argparse.Namespace, err: TextIO) -> tuple[Preset | None, Profile]:
    """The preset and profile the command line names; ``args.model`` filled in from the
    preset or else the profile's default model when it was not given."""
    preset = _load_preset(args)
    profile = _load_profile(args, err, preset)
    if not args.model and preset is not None and preset.model:
        args.model = preset.model
    if not args.model:
        if not profile.default_model:
            raise _UsageError("--model is required (the profile has no default model)")
        args.model = profile.default_model
    return preset, profile


def _load_profile(args: argparse.Namespace, err: TextIO, preset: Preset | None) -> Profile:
    """The profile named by ``--profile`` (or the preset), an ad-hoc one for ``--base-url``,
    else the current profile (as in the window)."""
    if args.profile is None and args.base_url is None and preset is not None:
        args.profile = preset.profile
    if args.base_url is not None:
        profile = Profile(name="command line", base_url=args.base_url)
    else:
        loaded = ProfileStore(AppPaths.resolve(getattr(args, "config_dir", None)).config_dir).load()
        if loaded.problem:
            err.write(f"note: {loaded.problem}\n")
        # No --profile: the profile the window has chosen (a fresh config: the built-in
        # local model, no key, no network).
        found = loaded.current_profile if args.profile is None else loaded.find(args.profile)
        if found is None:
            names = ", ".join(repr(p.name) for p in loaded.profiles)
            raise _UsageError(f"no profile named {args.profile!r} (profiles: {names})")
        profile = found
    if args.timeout is not None:
        profile.read_timeout = args.timeout
    if args.connect_timeout is not None:
        profile.connect_timeout = args.connect_timeout
    return profile


async def _note_insecure_keyring(connections: Connections, profile: Profile, err: TextIO) -> None:
    if profile.key_ref and not connections.keys.environment_key():
        status = await probe_in_background(connections.keys)
        if not status.secure:
            err.write(f"note: {status.describe()} Set ${KEY_ENV} to pass a key.\n")


def _tty_progress(err: TextIO) -> Callable[[str], None]:
    """Progress lines (starting the local model) only when stderr is a terminal."""

    def progress(message: str) -> None:
        if err.isatty():
            err.write(message + "\n")

    return progress


async def _endpoint(connections: Connections, profile: Profile, err: TextIO) -> Endpoint:
    await _note_insecure_keyring(connections, profile, err)
    return await connections.endpoint_for(profile, _tty_progress(err))


async def _complete(
    args: argparse.Namespace,
    profile: Profile,
    request: CompletionRequest,
    out: TextIO,
    err: TextIO,
) -> int:
    """One run through the core's :class:`~app.core.runs.Runner` (as the window's)."""
    from app.core.runs import Runner, prepare

    connections = Connections(KeyStore())
    plan = prepare(profile, request)
    request = plan.request
    if plan.dropped:
        err.write(
            f"note: not sent (profile {profile.name!r} rejected them before): "
            f"{', '.join(plan.dropped)}\n"
        )
    history = _open_history(args, err)
    try:
        await _note_insecure_keyring(connections, profile, err)
        live = not args.json and request.choice_count == 1
        wrote_text = False

        def on_event(event: Event) -> None:
            nonlocal wrote_text
            if live and isinstance(event, ChoiceDelta) and event.text:
                out.write(event.text)
                out.flush()
                wrote_text = True

        builder = ResultBuilder(request.choice_count, streamed=request.stream)
        outcome = None
        try:
            outcome = await Runner(connections, history).run(
                plan,
                builder=builder,
                on_event=on_event,
                on_progress=_tty_progress(err),
                output_limit=max(0, args.max_output) or None,
            )
            result = outcome.result
        except asyncio.CancelledError:  # Ctrl+C: the Runner kept what arrived in history
            result = builder.result
        if isinstance(result.error, LocalModelError):
            tail = (
                f" Last server output: {result.error.log_tail[-1]}" if result.error.log_tail else ""
            )
            err.write(f"error: {result.error.user_message()}{tail}\n")
            return result.error.exit_code
        notes = [str(note) for note in result.notes()]
        ignored = ignored_parameters(request, result)
        if ignored:
            notes.append(str(IGNORED_PARAMETERS(names=", ".join(ignored))))
        if args.json:
            data = result.to_json()
            data["notes"] = notes
            data["ignored_parameters"] = ignored
            out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        elif not live:
            for choice in result.ordered_choices:
                out.write(
                    f"=== choice {choice.index} ({choice.finish_reason or 'unfinished'}) ===\n"
                )
                out.write(choice.text + "\n")
        elif wrote_text:
            out.write("\n")
        out.flush()
        if outcome is not None and outcome.history_problem is not None:
            notes.append(str(outcome.history_problem))
        for note in notes:
            err.write(f"note: {note}\n")
        if args.stats:
            err.write(_stats_line(result) + "\n")
        if result.cancelled:
            err.write("Interrupted; the text received so far is above.\n")
            return EXIT_INTERRUPTED
        if result.error is not None:
            err.write(f"error: {result.error.user_message()}\n")
            return result.error.exit_code
        return EXIT_OK
    finally:
        await connections.aclose()
        if history is not None:
            history.close()


def run_complete(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run the ``complete`` command; returns the process exit code."""
    stdin = stdin or sys.stdin
    out, err = _terminal_streams(out, err)
    try:
        preset, profile = _preset_and_profile(args, err)
        request = build_request(args, stdin, preset)
        if not profile.is_local_model:
            Endpoint(base_url=profile.base_url)  # validates the URL early
    except (RequestValidationError, InvalidBaseURL, _UsageError) as exc:
        err.write(f"error: invalid parameters: {exc}\n")
        return EXIT_USAGE
    return _run(_complete(args, profile, request, out, err), out, err)


# -- detect ---------------------------------------------------------------------------------


def add_detect_parser(subparsers: Any) -> argparse.ArgumentParser:
    """``detect --base-url URL | --profile NAME [--json]``: what kind of server it is."""
    p = subparsers.add_parser(
        "detect",
        help="ask a server what kind it is (llama.cpp, vLLM, Ollama…)",
        description="Ask an OpenAI-compatible server what it is, from each server kind's own "
        "probe endpoint, and print the sentence and the kind's id. The API key is read from "
        f"${KEY_ENV} (or the profile's keyring entry). Exit 3 when the server cannot be "
        "reached.",
    )
    _add_target(
        p, "its URL, key, headers, proxy, timeouts", required=True,
        example="http://127.0.0.1:8080/v1",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help='print {"kind", "version", "message"}')
    _add_timeouts(p)
    return p


async def _detect(args: argparse.Namespace, profile: Profile, out: TextIO, err: TextIO) -> int:
    connections = Connections(KeyStore())
    try:
        try:
            endpoint = await _endpoint(connections, profile, err)
            detection = await detect(await connections.client(profile), endpoint)
        except LocalModelError as exc:
            tail = f" Last server output: {exc.log_tail[-1]}" if exc.log_tail else ""
            err.write(f"error: {exc.user_message()}{tail}\n")
            return EXIT_API
        except CompletionError as exc:
            err.write(f"error: {exc.user_message()}\n")
            return exc.exit_code
        if args.json:
            data = {
                "kind": detection.kind,
                "version": detection.version,
                "message": str(detection.message),
            }
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            out.write(f"{detection.message}\n{detection.kind}\n")
        out.flush()
        return EXIT_OK
    finally:
        await connections.aclose()


def run_detect(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the ``detect`` command; returns the process exit code."""
    out, err = _terminal_streams(out, err)
    try:
        profile = _load_profile(args, err, None)
        if not profile.is_local_model:
            Endpoint(base_url=profile.base_url)  # validates the URL early
    except (InvalidBaseURL, _UsageError) as exc:
        err.write(f"error: invalid parameters: {exc}\n")
        return EXIT_USAGE
    return _run(_detect(args, profile, out, err), out, err)


# -- batch ----------------------------------------------------------------------------------


def add_batch_parser(subparsers: Any) -> argparse.ArgumentParser:
    """``batch --data FILE --out RESULTS.jsonl``: one prompt template over every data row."""
    from app.core.batch import FORMATS, MATCH_MODES, MAX_CONCURRENCY
    from app.core.batch.spec import DEFAULT_CONCURRENCY

    p = subparsers.add_parser(
        "batch",
        help="run a prompt template over every row of a CSV, TSV or JSON Lines file",
        description="Fill the prompt's {{column}} placeholders (and the suffix's) from each row "
        "of a data file, run the completions concurrently and write one JSON line per row "
        "(its values, the prompt sent, the choices, usage, timings, cost, pass/fail, the "
        "error if it failed). Progress goes to stderr. Exit 0 when every row succeeded, 1 "
        "when any failed (all rows are still written), 2 for invalid input (nothing sent), "
        f"130 when interrupted. The API key is read from ${KEY_ENV}.",
    )
    p.add_argument(
        "--data", required=True, metavar="FILE", help="rows: .csv, .tsv or .jsonl (UTF-8)"
    )
    p.add_argument(
        "--format", choices=FORMATS, help="the data's format (default: by its extension)"
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="RESULTS.jsonl",
        help="where to write the results ('-': stdout)",
    )
    p.add_argument(
        "--preset",
        metavar="FILE",
        help="a preset file (prompt template, parameters, profile, model); flags override it",
    )
    p.add_argument("--no-history", action="store_true", help="do not record the runs")
    _add_target(p, "its URL, key, headers, proxy, timeouts, prices")
    p.add_argument("--model", help="model name (default: the profile's default model)")
    p.add_argument(
        "--prompt",
        help="the prompt template with {{column}} placeholders (default: the preset's, "
        "else standard input)",
    )
    _add_parameter_flags(p)
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any request field, repeatable; VALUE is parsed as JSON, else taken as a string",
    )
    p.add_argument(
        "--no-stream", action="store_const", const=True, default=None, help="wait for whole answers"
    )
    p.add_argument(
        "--max-output",
        type=int,
        metavar="CHARS",
        default=DEFAULT_OUTPUT_LIMIT,
        help=f"stop a row's run after this many characters (default {DEFAULT_OUTPUT_LIMIT:,}; "
        "0 = no limit)",
    )
    p.add_argument(
        "--concurrency",
        type=int,
        metavar="N",
        default=DEFAULT_CONCURRENCY,
        help=f"requests in flight at once (1-{MAX_CONCURRENCY}, default {DEFAULT_CONCURRENCY})",
    )
    p.add_argument("--expected", metavar="COLUMN", help="the column holding the expected output")
    p.add_argument(
        "--match",
        choices=MATCH_MODES,
        default="exact",
        help="how the output is checked against --expected (default: exact, trimmed)",
    )
    p.add_argument(
        "--loglik",
        action="store_true",
        help="also score the expected text's log-likelihood (needs echo + logprobs)",
    )
    _add_timeouts(p)
    p.set_defaults(prompt_json=None)
    return p


class _BatchProgressLine:
    """Progress on stderr: one line rewritten in place on a terminal, else a line a second."""

    def __init__(self, err: TextIO, clock: Any = None) -> None:
        import time

        self.err: TextIO = getattr(err, "raw", err)  # its "\r" rewrites the line: not shown
        self.tty = err.isatty()
        self.clock = clock or time.monotonic
        self.last = -1.0
        self.width = 0
        self.shown = ""

    @staticmethod
    def text(progress: Any) -> str:
        parts = [f"batch: {progress.done}/{progress.total} rows"]
        if progress.failed:
            parts.append(f"{progress.failed} failed")
        if progress.retrying:
            parts.append(f"{progress.retrying} waiting after HTTP 429")
        if progress.rows_per_second:
            parts.append(f"{progress.rows_per_second:.1f} rows/s")
        if progress.eta is not None and progress.done < progress.total:
            parts.append(f"about {math.ceil(progress.eta)} s left")
        return " · ".join(parts)

    def update(self, progress: Any) -> None:
        now = self.clock()
        if now - self.last < (0.1 if self.tty else 1.0):
            return
        self.last = now
        self.show(progress)

    def show(self, progress: Any) -> None:
        line = self.text(progress)
        if line == self.shown:
            return
        self.shown = line
        if self.tty:
            self.err.write("\r" + line.ljust(self.width))
            self.width = len(line)
        else:
            self.err.write(line + "\n")
        self.err.flush()

    def finish(self, progress: Any) -> None:
        self.show(progress)
        if self.tty and self.shown:
            self.err.write("\n")


def _batch_summary(summary: Any) -> str:
    parts = [f"{summary.ok} ok, {summary.failed} failed"]
    if summary.checked:
        parts.append(f"passed {summary.passed}/{summary.checked} ({summary.pass_rate:.1%})")
    if summary.mean_latency is not None:
        parts.append(f"latency mean {summary.mean_latency:.2f} s, p95 {summary.p95_latency:.2f} s")
    approx = "≈" if summary.tokens_estimated else ""
    parts.append(f"tokens {approx}{summary.total_tokens}")
    if summary.cost is not None:
        parts.append(f"cost {approx}{summary.cost:.6g} {summary.currency}")
    if summary.mean_loglik is not None:
        parts.append(f"mean log-likelihood {summary.mean_loglik:.3f}")
    return "; ".join(parts)


async def _batch(
    args: argparse.Namespace, batch: Any, profile: Profile, out: TextIO, err: TextIO
) -> int:
    from app.core.batch import cell_record, jsonl_text
    from app.core.runs import Runner

    connections = Connections(KeyStore())
    history = _open_history(args, err)
    printer = _BatchProgressLine(err)
    interrupted = False
    try:
        try:
            await batch.run(Runner(connections, history), {profile.name: profile},
                            on_progress=printer.update)  # fmt: skip
        except asyncio.CancelledError:
            interrupted = True
        progress = batch.progress()
        printer.finish(progress)
        text = jsonl_text(cell_record(batch, cell) for cell in batch.cells)
        if args.out == "-":
            out.write(text)
            out.flush()
        else:
            from app.core.atomic import atomic_write_text

            try:
                atomic_write_text(Path(args.out), text)
            except OSError as exc:
                err.write(f"error: {args.out}: cannot be written ({exc.strerror or exc})\n")
                return EXIT_API
        for summary in batch.summary():
            err.write(f"{_batch_summary(summary)}\n")
        problems = {c.outcome.history_problem for c in batch.cells if c.outcome is not None}
        for problem in sorted(str(p) for p in problems if p is not None):
            err.write(f"note: {problem}\n")
    finally:
        await connections.aclose()
        if history is not None:
            history.close()
    if interrupted:
        err.write(f"Interrupted; {progress.done} of {progress.total} rows were run.\n")
        return EXIT_INTERRUPTED
    return EXIT_API if progress.failed else EXIT_OK


def run_batch(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run the ``batch`` command; returns the process exit code."""
    from app.core.batch import BatchInputError, BatchRun, BatchSpec, DataError, load_data
    from app.core.compare import CompareTarget

    stdin = stdin or sys.stdin
    out, err = _terminal_streams(out, err)
    try:
        preset, profile = _preset_and_profile(args, err)
        request = build_request(args, stdin, preset)
        if not isinstance(request.prompt, str):
            raise _UsageError("the batch prompt must be text with {{column}} placeholders")
        if not profile.is_local_model:
            Endpoint(base_url=profile.base_url)  # validates the URL early
        if args.out != "-" and not Path(args.out).absolute().parent.is_dir():
            raise _UsageError(f"--out {args.out}: its folder does not exist")
        data = load_data(args.data, args.format)
        spec = BatchSpec(
            prompt=request.prompt,
            parameters=request.parameters(),
            variants=[CompareTarget(profile.name, request.model)],
            data_path=str(args.data),
            data_format=args.format,
            expected_column=args.expected,
            match=args.match,
            loglik=args.loglik,
            concurrency=args.concurrency,
        )
        batch = BatchRun(spec, data, output_limit=max(0, args.max_output) or None)
    except (RequestValidationError, InvalidBaseURL, _UsageError) as exc:
        err.write(f"error: invalid parameters: {exc}\n")
        return EXIT_USAGE
    except DataError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_USAGE
    except BatchInputError as exc:
        for note in exc.notes:
            err.write(f"note: {note}\n")
        for error in exc.errors:
            err.write(f"error: {error}\n")
        return EXIT_USAGE
    for note in batch.notes:
        err.write(f"note: {note}\n")
    return _run(_batch(args, batch, profile, out, err), out, err)


def _run(command: Coroutine[Any, Any, int], out: TextIO, err: TextIO) -> int:
    """Run a command's coroutine to its exit code: Ctrl+C is "Interrupted." (exit 130), and
    anything unforeseen one sentence (exit 1), never a traceback."""
    try:
        return asyncio.run(command)
    except KeyboardInterrupt:
        out.flush()
        err.write("\nInterrupted.\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        err.write(f"error: {UnexpectedError(exc).user_message()}\n")
        return EXIT_API


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``python -m app.cli`` (the ``complete`` command only)."""
    parser = argparse.ArgumentParser(prog="completion-playground")
    sub = parser.add_subparsers(dest="command", required=True)
    add_complete_parser(sub)
    args = parser.parse_args(argv)
    return run_complete(args)


if __name__ == "__main__":
    raise SystemExit(main())
