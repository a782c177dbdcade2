"""The exercise check helper: 'correct' on a right answer, one sentence (no traceback) on a wrong one."""

import pytest
import torch

from course_utils.exercises import ExerciseNotDone, answer_hash, exercise


def test_correct_prints(capsys):
    with exercise(1) as ex:
        ex.close(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0]), "wrong values")
        ex.check(True, "never")
        ex.mistake(False, "never")
        ex.mistake_close(torch.tensor([1.0]), torch.tensor([1.1]), "never")
        ex.mistake_close(torch.tensor([1.0]), torch.tensor([1.0, 1.0]), "never")     # other shape: not that mistake
    assert capsys.readouterr().out == "Exercise 1: correct.\n"


@pytest.mark.parametrize("body, message", [
    (lambda ex: ex.close(torch.tensor([1.0, 2.5]), torch.tensor([1.0, 2.0]), "y differs"),
     "Exercise 2: y differs (largest difference 0.5)."),
    (lambda ex: ex.close(torch.zeros(3), torch.zeros(2), "y differs"),
     "Exercise 2: y differs: shape (3,), expected (2,)."),
    (lambda ex: ex.check(False, "the loss must be a scalar"), "Exercise 2: the loss must be a scalar."),
    (lambda ex: ex.check(False, "is the loss a scalar?"), "Exercise 2: is the loss a scalar?"),
    (lambda ex: ex.check(False, "wait for it..."), "Exercise 2: wait for it..."),
    (lambda ex: ex.mistake(True, "softmax was applied before CrossEntropyLoss"),
     "Exercise 2: softmax was applied before CrossEntropyLoss."),
    (lambda ex: ex.mistake_close(torch.tensor([0.5]), torch.tensor([0.5 + 1e-9]), "mean where sum was meant"),
     "Exercise 2: mean where sum was meant."),
    (lambda ex: ex.matches(0.5, answer_hash(0.25), "not the rate"), "Exercise 2: not the rate."),
])
def test_failure_is_one_sentence(body, message, capsys):
    with pytest.raises(ExerciseNotDone) as info:
        with exercise(2) as ex:
            body(ex)
    assert str(info.value) == message
    assert info.value._render_traceback_() == [f"\x1b[31m{message}\x1b[0m"]
    assert capsys.readouterr().out == ""              # no "correct" after a failure


def test_missing_name_and_stub_and_crash():
    with pytest.raises(ExerciseNotDone, match=r"`softplus` is not defined yet"):
        with exercise(3):
            softplus(1)  # noqa: F821
    with pytest.raises(ExerciseNotDone, match=r"not answered yet"):
        with exercise(3):
            raise NotImplementedError()
    with pytest.raises(ExerciseNotDone, match=r"your answer raised RuntimeError"):
        with exercise(3):
            torch.zeros(2) @ torch.zeros(3)


def test_answer_hash_rounds_and_distinguishes():
    assert answer_hash(0.12344) == answer_hash(0.12341) != answer_hash(0.1236)
    assert answer_hash(-0.0) == answer_hash(0.0)
    assert answer_hash(torch.tensor([1.0, 2.0])) == answer_hash([1, 2]) != answer_hash([2, 1])
