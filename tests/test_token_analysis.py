"""Token units, run statistics and the branch tree (pure core)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from app.core.branches import BranchTree, ForkError
from app.core.events import ChoiceDelta
from app.core.logprobs import TokenLogprob
from app.core.request import CompletionRequest
from app.core.result import ResultBuilder
from app.core.token_stats import alternatives, run_stats, token_entropy
from app.core.token_units import UnitIndex, align


def tok(text: str, lp: float | None = -0.5, top=()) -> TokenLogprob:
    return TokenLogprob(text, lp, tuple(top))


def test_align_plain_tokens():
    units = align("Hello world", [tok("Hello"), tok(" world")])
    assert [(u.start, u.end, u.first, u.last) for u in units] == [(0, 5, 0, 1), (5, 11, 1, 2)]
    index = UnitIndex(units)
    assert index.at(0) == 0 and index.at(7) == 1 and index.at(11) is None


def test_align_groups_byte_tokens_and_multiplies_probabilities():
    units = align("好!", [tok("bytes:\\xe5", -0.2), tok("bytes:\\xa5\\xbd", -0.3), tok("!")])
    assert [(u.start, u.end, u.size) for u in units] == [(0, 1, 2), (1, 2, 1)]
    assert math.isclose(units[0].logprob, -0.5)


def test_align_trailing_partial_tokens():
    units = align("ab好", [tok("a"), tok("b"), tok("\ufffd"), tok("\ufffd")])
    assert units[-1].start == 2 and units[-1].end == 3 and units[-1].size == 2


@given(st.lists(st.text(min_size=1, max_size=4), max_size=30))
def test_align_is_ordered_and_inside_the_text(parts):
    text = "".join(parts)
    units = align(text, [tok(p) for p in parts])
    assert len(units) == len(parts)
    pos = 0
    for unit in units:
        assert pos <= unit.start < unit.end <= len(text)
        pos = unit.end


@given(st.lists(st.text(min_size=1, max_size=4), max_size=30),
       st.lists(st.none() | st.floats(-20, 0), min_size=30, max_size=30))  # fmt: skip
def test_align_of_whole_tokens_is_the_same_counted_at_once_or_token_by_token(parts, logprobs):
    text = "".join(parts)
    tokens = [tok(p, lp) for p, lp in zip(parts, logprobs, strict=False)]
    fast = align(text, tokens)  # every token is its own piece of the text: counted at once
    # An empty token (no unit of its own) sends the same tokens the token-by-token way.
    slow = align(text, [*tokens, tok("")])
    assert fast == slow
    assert [text[u.start : u.end] for u in fast] == parts
    assert [(u.first, u.last, u.logprob) for u in fast] == [
        (i, i + 1, t.logprob) for i, t in enumerate(tokens)
    ]


@given(st.text(max_size=40), st.lists(st.text(max_size=3), max_size=20))
def test_align_never_fails_on_garbage(text, tokens):
    units = align(text, [tok(t) for t in tokens])
    ends = [u.end for u in units]
    assert ends == sorted(ends) and all(e <= len(text) for e in ends)


def test_stats_perplexity_entropy_lowest():
    tokens = [
        tok("a", None),
        tok("b", math.log(0.5), [("b", math.log(0.5)), ("c", math.log(0.5))]),
        tok("c", math.log(0.25), [("d", math.log(0.5)), ("c", math.log(0.25))]),
    ]
    stats = run_stats(tokens)
    mean = (math.log(0.5) + math.log(0.25)) / 2
    assert math.isclose(stats.mean_logprob, mean)
    assert math.isclose(stats.perplexity, math.exp(-mean))
    assert math.isclose(token_entropy(tokens[1]), math.log(2))
    assert stats.lowest[0][1] == "c"
    assert "perplexity" in stats.summary()
    pairs, covered = alternatives(tokens[2])
    assert pairs[0] == ("d", 0.5) and math.isclose(covered, 0.75)


def test_stats_without_logprobs():
    assert run_stats([tok("a", None)]).perplexity is None
    assert run_stats([tok("a", -math.inf)]).perplexity == math.exp(100)


def make_tree(prompt="P:", echo=None) -> BranchTree:
    request = CompletionRequest(model="m", prompt=prompt, n=2, logprobs=2, echo=echo)
    builder = ResultBuilder(2)
    builder.apply(ChoiceDelta(0, "AB", (tok("A"), tok("B")), "length"))
    builder.apply(ChoiceDelta(1, "CD", (tok("C"), tok("D")), "length"))
    return BranchTree(request, builder.finish())


def test_fork_builds_prompt_and_keeps_original():
    tree = make_tree()
    root = tree.roots[0]
    unit = align(root.text, root.tokens)[1]
    branch, request = tree.fork(root.id, unit, "X", 0.25)
    assert request.prompt == "P:AX" and request.n is None and request.echo is None
    assert branch.prefix == "AX" and branch.prefix_tokens[-1].token == "X"
    assert math.isclose(branch.prefix_tokens[-1].logprob, math.log(0.25))
    assert tree.roots[0].text == "AB"  # untouched
    assert tree.children(root.id) == [branch]
    # A fork of the fork.
    builder = ResultBuilder()
    builder.apply(ChoiceDelta(0, "YZ", (tok("Y"), tok("Z")), "length"))
    branch.result = builder.finish()
    assert branch.text == "AXYZ"
    unit = align(branch.text, branch.tokens)[3]
    deeper, request = tree.fork(branch.id, unit, "Q", 0.1)
    assert request.prompt == "P:AXYQ" and tree.path(deeper.id) == [root.id, branch.id, deeper.id]


def test_fork_with_echo_uses_the_echoed_text():
    tree = make_tree(echo=True)
    _, request = tree.fork(0, align("AB", [tok("A"), tok("B")])[1], "X", 0.5)
    assert request.prompt == "AX"


def test_token_prompts_cannot_be_forked():
    request = CompletionRequest(model="m", prompt=[1, 2])
    tree = BranchTree(request, ResultBuilder().finish())
    try:
        tree.fork(0, align("", [])[0] if align("", []) else None, "x", 0.5)  # type: ignore[arg-type]
    except ForkError as exc:
        assert "text prompt" in str(exc)
    else:
        raise AssertionError("expected ForkError")
