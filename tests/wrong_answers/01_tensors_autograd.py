"""Plausible wrong answers to the exercises of 01_tensors_autograd.ipynb, each with a fragment of the message
its check cell must then stop with (see NBGRADER.md)."""

WRONG = {
    1: [
        ("def sq_dists(A, B):\n    return torch.cdist(A, B)\n", "not its square"),
        ("def sq_dists(A, B):\n    return ((A[:, None] - B[None]) ** 2).sum(dim=1)\n", "rows of B (dim 1)"),
        ("def sq_dists(A, B):\n    return (A[:, None] - B[None]).sum(dim=2) ** 2\n", "differs from torch.cdist"),
    ],
    2: [
        ("def pick(P, y):\n    return P[:, y]\n", "whole columns"),
        ("def zero_picked(P, y):\n    Q = P\n    Q[torch.arange(len(y)), y] = 0.0\n    return Q\n",
         "changed P itself"),
        ("def zero_picked(P, y):\n    Q = P.clone()\n    Q[y, torch.arange(len(y))] = 0.0\n    return Q\n",
         "indices are swapped"),
    ],
    3: [
        ("w_shared = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)\n"
         "def grad_w(pieces, reduce):\n"
         "    for idx in pieces:\n"
         "        reduce((w_shared * x_data[idx] - y_data[idx]) ** 2).backward()\n"
         "    return w_shared.grad.clone()\n", "a second call"),
        ("def grad_w(pieces, reduce):\n"
         "    w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)\n"
         "    for idx in pieces:\n"
         "        w.grad = None\n"
         "        reduce((w * x_data[idx] - y_data[idx]) ** 2).backward()\n"
         "    return w.grad\n", "only the last piece"),
        ("def grad_w(pieces, reduce):\n"
         "    w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)\n"
         "    for idx in pieces:\n"
         "        torch.sum((w * x_data[idx] - y_data[idx]) ** 2).backward()\n"
         "    return w.grad\n", "with torch.mean"),
    ],
    4: [
        ("w0 = torch.zeros((), dtype=torch.float64, requires_grad=True)\n"
         "opt0 = torch.optim.SGD([w0], lr=0.1)\n"
         "for _ in range(100):\n"
         "    F.mse_loss(w0 * x_data, y_data).backward()\n"
         "    opt0.step()\n", "never zeroed"),
        ("w0_star, gap = w_star, 0.0\n", "line with a bias"),
        ("gap = w_star - w0_star\n", "wrong sign"),
        ("w0_star = ((x_data * y_data).mean() / (x_data**2).sum()).item()\n", "not the minimiser"),
    ],
}
