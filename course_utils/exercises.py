"""Check cells for the exercises: a student runs one and reads "correct" or one sentence on what is wrong.

Each exercise has an answer cell and, after it, a check cell that works anywhere (Colab, a laptop, nbgrader's
autograder). The check compares the answer with a torch reference, autograd, a property or a hash, never with
the stored solution::

    from course_utils.exercises import exercise

    with exercise(1) as ex:
        ex.mistake(torch.isinf(softplus(big)).any(), "log(1 + e^x) overflows for large x: use the hint's form")
        ex.close(softplus(x), F.softplus(x), "softplus(x) differs from F.softplus(x)")

prints ``Exercise 1: correct.`` when every check holds. The first check that fails stops the cell with
:class:`ExerciseNotDone` (an ``AssertionError``, so nbgrader scores the cell 0), whose whole display in
Jupyter is one line: ``Exercise 1: <what is wrong>``. A name the answer should define but does not (the
untouched notebook) and nbgrader's ``NotImplementedError`` stub give that one line too, not a traceback.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import torch

__all__ = ["ExerciseNotDone", "Exercise", "exercise", "answer_hash"]


class ExerciseNotDone(AssertionError):
    """An exercise's check failed; the message says what is wrong in one sentence."""

    def _render_traceback_(self) -> list[str]:     # IPython shows this instead of a traceback
        return [f"\x1b[31m{self}\x1b[0m"]


class _Failed(Exception):
    pass


def answer_hash(value: object, digits: int = 4) -> str:
    """The first 12 hex digits of the SHA-256 of ``value`` rounded to ``digits`` decimals (a number or a
    sequence of numbers) or of ``str(value)``: a check can compare an answer with it without showing it."""
    def fmt(v: object) -> str:
        if isinstance(v, torch.Tensor):
            v = v.tolist()
        if isinstance(v, (list, tuple)):
            return "[" + ",".join(fmt(x) for x in v) + "]"
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return str(v)
        r = round(float(v), digits)
        return f"{r + 0.0:.{digits}f}"                      # + 0.0: -0.0 and 0.0 hash alike
    return hashlib.sha256(fmt(value).encode()).hexdigest()[:12]


class Exercise:
    """The checks of one exercise; each raises at the first failure (see :func:`exercise`)."""

    def __init__(self, number: int | str):
        self.number = number

    def check(self, condition: object, message: str) -> None:
        """Fail with ``message`` unless ``condition`` is true."""
        if not bool(condition):
            raise _Failed(message)

    def mistake(self, condition: object, message: str) -> None:
        """Fail with ``message`` (it names a classic mistake) when ``condition`` is true."""
        if bool(condition):
            raise _Failed(message)

    def mistake_close(self, actual: object, wrong: object, message: str, **tolerances: float) -> None:
        """Fail with ``message`` (it names a classic mistake) when ``actual`` matches ``wrong``, the value that
        mistake gives (``torch.testing.assert_close``'s test, same shapes only)."""
        actual_t, wrong_t = torch.as_tensor(actual), torch.as_tensor(wrong)
        if actual_t.shape == wrong_t.shape and torch.allclose(
                actual_t.double(), wrong_t.double(), rtol=tolerances.get("rtol", 1.3e-6),
                atol=tolerances.get("atol", 1e-5)):
            raise _Failed(message)

    def close(self, actual: object, expected: object, message: str, **tolerances: float) -> None:
        """Fail with ``message`` and the largest difference unless ``actual`` matches ``expected``
        (``torch.testing.assert_close``; ``rtol``/``atol`` as it takes them)."""
        actual_t, expected_t = torch.as_tensor(actual), torch.as_tensor(expected)
        if actual_t.shape != expected_t.shape:
            raise _Failed(f"{message}: shape {tuple(actual_t.shape)}, expected {tuple(expected_t.shape)}")
        try:
            torch.testing.assert_close(actual_t, expected_t, check_dtype=False, **tolerances)
        except AssertionError:
            gap = (actual_t.double() - expected_t.double()).abs().nan_to_num(float("inf")).max().item()
            raise _Failed(f"{message} (largest difference {gap:.2g})") from None

    def matches(self, value: object, digest: str, message: str, digits: int = 4) -> None:
        """Fail with ``message`` unless :func:`answer_hash` of ``value`` is ``digest``."""
        if answer_hash(value, digits) != digest:
            raise _Failed(message)


def _sentence(text: str) -> str:
    """``text`` ending in a full stop, unless it already ends a sentence."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


@contextmanager
def exercise(number: int | str) -> Iterator[Exercise]:
    """Run an exercise's checks; print ``Exercise N: correct.`` or raise :class:`ExerciseNotDone`."""
    label = f"Exercise {number}"
    try:
        yield Exercise(number)
    except _Failed as e:
        raise ExerciseNotDone(_sentence(f"{label}: {e}")) from None
    except NameError as e:
        name = getattr(e, "name", None) or str(e)
        raise ExerciseNotDone(f"{label}: `{name}` is not defined yet: write your answer in the cell "
                              f"above and run it first.") from None
    except NotImplementedError:
        raise ExerciseNotDone(f"{label}: not answered yet: replace `raise NotImplementedError()` in the "
                              f"answer cell with your code and run it.") from None
    except Exception as e:                                   # the answer itself crashed
        raise ExerciseNotDone(_sentence(f"{label}: your answer raised {type(e).__name__}: {e}")) from None
    sys.stdout.write(f"{label}: correct.\n")                # one write: one stream output in the notebook
