"""Plausible wrong answers to the exercises of 11_mnist_losses_used_right.ipynb, each with a fragment of the message
its check cell must then stop with (see NBGRADER.md)."""

WRONG = {
    1: [
        ("best = {name: min(by_rate, key=by_rate.get) for name, by_rate in tuned.items()}\n", "lowest validation"),
        ("scores = {name: [short(name, best[name], s) for s in (0, 1, 2)] for name in GRID}\n", "tuning run itself"),
        ("apart_at_50_steps = sum(scores['CrossEntropyLoss']) > sum(scores['BCEWithLogitsLoss'])\n", "not the means"),
    ],
    2: [
        ("def p_by_counting(n):\n"
         "    ranks = set(range(2 * n))\n"
         "    picks = list(combinations(range(2 * n), n))\n"
         "    return sum(max(p) < min(ranks - set(p)) for p in picks) / len(picks)\n", "one order only"),
        ("def p_by_counting(n):\n    return 2 / math.comb(2 * n, n) if n < 4 else 2 / math.comb(2 * n, n - 1)\n",
         "p_by_counting(4) is not"),
    ],
    3: [
        ("def cosine_grad(z, y):\n"
         "    length = z.norm(dim=1, keepdim=True)\n"
         "    cos = z.gather(1, y[:, None]) / length\n"
         "    return -(F.one_hot(y, z.shape[1]).to(z.dtype) - cos * z / length) / length\n", "N times autograd's"),
        ("def cosine_grad(z, y):\n"
         "    return -F.one_hot(y, z.shape[1]).to(z.dtype) / z.norm(dim=1, keepdim=True) / len(z)\n",
         "a term is missing"),
        ("ratios = {k: (cosine_grad(z, y).norm() / cosine_grad(k * z, y).norm()).item() for k in (3, 10)}\n",
         "ratios[3] is not"),
    ],
    4: [
        ("def kl_batchmean(z, y):\n"
         "    return F.kl_div(torch.softmax(z, dim=1), F.one_hot(y, z.shape[1]).to(z.dtype), reduction='batchmean')\n",
         "log-probabilities"),
        ("def kl_mean(z, y):\n"
         "    t = F.one_hot(y, z.shape[1]).to(z.dtype)\n"
         "    return F.kl_div(torch.log_softmax(z, dim=1), t, reduction='batchmean')\n", "also divides by the 10"),
    ],
}
