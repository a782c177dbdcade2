"""Plausible wrong answers to the exercises of 09_backprop_graph.ipynb, each with a fragment of the message
its check cell must stop with (see NBGRADER.md): {exercise: [(code run after the answer cells, fragment)]}."""

_LOSS = """
logits = [Value(1.0), Value(-0.5), Value(2.0)]
exps = [exp(zi) for zi in logits]
loss = {loss}
loss.backward()
"""
RIGHT_LOSS = "-log(exps[2] / (exps[0] + exps[1] + exps[2]))"


def _log(backward_line: str) -> str:
    # log written with its own closure, the closure's one line given
    return f"""
def log(v):
    out = Value(math.log(v.data), (v,), "log")

    def _backward():
        {backward_line}
    out._backward = _backward
    return out
""" + _LOSS.format(loss=RIGHT_LOSS)


def _bfs(seen: bool, root_grad: bool = True) -> str:
    # a breadth-first walk, with or without its set of nodes already reached, with or without root.grad = 1
    return f"""
def backward_bfs(root):
    root.grad = {1.0 if root_grad else 0.0}
    queue, reached = [root], {{id(root)}}
    while queue:
        v = queue.pop(0)
        v._backward()
        for parent in v._parents:
            if {"id(parent) not in reached" if seen else "True"}:
                reached.add(id(parent))
                queue.append(parent)
"""


KAHN = """
def backward_bfs(root):
    # Kahn's algorithm: a node runs once all of its consumers have passed their share (a valid order)
    order, pending = topological_order(root), {}
    for v in order:
        for parent in v._parents:
            pending[id(parent)] = pending.get(id(parent), 0) + 1
    root.grad, queue = 1.0, [root]
    while queue:
        v = queue.pop(0)
        v._backward()
        for parent in v._parents:
            pending[id(parent)] -= 1
            if pending[id(parent)] == 0:
                queue.append(parent)
"""


def _softmax_ce(forward_return: str, backward_return: str) -> str:
    return f"""
class SoftmaxCE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z, y):
        log_p = torch.log_softmax(z, dim=1)
        ctx.save_for_backward(log_p.exp(), y)
        return {forward_return}

    @staticmethod
    def backward(ctx, grad_out):
        p, y = ctx.saved_tensors
        return {backward_return}
"""


RIGHT_FORWARD, RIGHT_BACKWARD = "-(y * log_p).sum() / z.shape[0]", "grad_out * (p - y) / p.shape[0], None"

WRONG = {
    1: [
        (_log("v.grad += 1 / v.data"), "ignores the upstream gradient"),  # the chain-rule factor forgotten
        (_log("v.grad = out.grad / v.data"), "overwrites v.grad"),  # '=' where '+=' belongs
        ('def log(v):\n    return v._make(math.log(v.data), (v,), (math.log(v.data),), "log")\n'
         + _LOSS.format(loss=RIGHT_LOSS), "differs from autograd's"),  # log's value as its own derivative
        (_LOSS.format(loss="log(exps[2] / (exps[0] + exps[1] + exps[2]))"), "wrong sign"),
        (_LOSS.format(loss="-log(exps[1] / (exps[0] + exps[1] + exps[2]))"), "classes count from 0"),  # off by one
        (_LOSS.format(loss=RIGHT_LOSS).replace("loss.backward()\n", ""), "call loss.backward()"),
    ],
    2: [
        ("backward_bfs = backward", "gives the right gradient 30"),  # the topological order kept
        (KAHN, "gives the right gradient 30"),  # a breadth-first walk that waits for every consumer
        (_bfs(seen=False), "exactly once"),  # every node queued each time it is reached
        (_bfs(seen=True, root_grad=False), "must give autograd's gradients"),  # root.grad left at 0
    ],
    3: [
        (_softmax_ce(RIGHT_FORWARD, "(p - y) / p.shape[0], None"), "ignores grad_out"),  # chain-rule factor
        (_softmax_ce(RIGHT_FORWARD, "grad_out * (p - y), None"), "misses the 1/N"),
        (_softmax_ce("-(y * log_p).sum()", "grad_out * (p - y), None"), "sums over the batch where the mean"),
        (_softmax_ce(RIGHT_FORWARD, "grad_out * (y - p) / p.shape[0], None"), "wrong sign"),
        (_softmax_ce(RIGHT_FORWARD, "grad_out * (p - y) / p.shape[0]"), "incorrect number of gradients"),
    ],
    4: [
        ("rows = torch.func.vjp(g, t0)[1](torch.ones(100))[0]", "one pullback of the all-ones vector"),
        ("column = torch.func.jvp(g, (t0,), (t0,))[1]", "column is not W"),  # the point as the tangent
        ("rows = torch.stack([torch.func.vjp(g, t0)[1](e)[0] for e in torch.eye(100)]).flip(0)",
         "rows differs from autograd's Jacobian"),  # the outputs pulled back in the wrong order
        ("forward_units = forward_units * 2 * 100 * 100", "forward_units is in FLOPs"),
        ("reverse_units = 2.0", "at least 100 evaluations' worth"),  # one pullback counted
    ],
}
