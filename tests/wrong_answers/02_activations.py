"""Plausible wrong answers to the exercises of 02_activations.ipynb, each with a fragment of the message its check
cell must then stop with (see NBGRADER.md)."""

WRONG = {
    1: [
        ("def softplus(x, abs_=torch.abs):\n    return torch.log(1 + torch.exp(x))\n", "overflows for large x"),
        ("def softplus(x, abs_=torch.abs):\n"
         "    return torch.maximum(x, torch.zeros_like(x)) + torch.log1p(torch.exp(-abs_(x)))\n",
         "torch.maximum or relu"),
        ("def softplus(x, abs_=torch.abs):\n"
         "    return (x + torch.abs(x)) / 2 + torch.log1p(torch.exp(-torch.abs(x)))\n",
         "does not use its argument abs_"),
        ("with_max = {s: slope_at_0(lambda t, a=a: softplus(t, a)) for s, a in hand_abs.items()}\n", 'is not -1'),
    ],
    2: [
        ("def delu(x, alpha=1.0):\n    return torch.where(x > 0, torch.ones_like(x), torch.exp(x))\n", "factor α"),
        ("def elu(x, alpha=1.0):\n    return torch.where(x > 0, x, alpha * torch.exp(x))\n", "differs from F.elu"),
        ("def one_sided_slopes(alpha, eps=1e-7):\n"
         "    e = torch.tensor(eps, dtype=torch.float64)\n"
         "    central = ((elu(e, alpha) - elu(-e, alpha)) / (2 * e)).item()\n"
         "    return central, central\n", "one-sided finite-difference slopes"),
    ],
    3: [
        ("def tanh_expm1(x):\n    return 2 * torch.sigmoid(2 * x) - 1\n", "loses precision near 0"),
        ("def tanh_expm1(x):\n    e = torch.expm1(2 * x)\n    return e / (e + 2)\n", "overflows at x = ±1e4"),
        ("def tanh_expm1(x):\n"
         "    e = torch.expm1(-2 * x.abs())\n"
         "    return -torch.sign(x) * (e / (e + 2))\n", "the derivative at 0 is 0"),
        ("def tanh_expm1(x):\n"
         "    def negative_side(v):\n"
         "        e = torch.expm1(2 * v)\n"
         "        return e / (e + 2)\n"
         "    return torch.where(x <= 0, negative_side(x), -negative_side(-x))\n", "is nan"),
    ],
    4: [
        ("def softmax_vjp(probs, v):\n    return probs * v\n", "diag(ŷ) v alone"),
        ("def softmax_vjp(probs, v):\n    return probs * (v - v.sum(dim=-1, keepdim=True))\n", "differs from autograd"),
        ("def softmax_vjp(probs, v):\n    return probs * (v - (v * probs).sum())\n", "both rows of z at once"),
    ],
    5: [
        ("J0 = torch.diag(p_row) - p_row * p_row\nevals = torch.linalg.eigvalsh(J0)\n", "torch.outer"),
        ("evec0 = torch.ones(4, dtype=torch.float64)\n", "not a unit vector"),
        ("evals = torch.linalg.eigvalsh(J0).flip(0)\n", "ascending order"),
        ("evec0 = torch.linalg.eigh(J0)[1][:, -1]\n", "eigenvalue 0"),
    ],
}
