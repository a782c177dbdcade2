"""Plausible wrong answers to the exercises of 04_regression_losses.ipynb, each with a fragment of the message its
check cell must then stop with (see NBGRADER.md)."""

WRONG = {
    1: [
        ("def gaussian_nll(s):\n"
         "    return (r_fit**2 / (2 * s**2) + torch.log(s * math.sqrt(2 * math.pi))).sum()\n", "sums over the points"),
        ("def gaussian_nll(s):\n    return (r_fit**2 / (2 * s**2)).mean()\n", "differs from the mean"),
        ("s_at_min = s_grid[torch.stack([gaussian_nll(s) for s in s_grid]).argmax()].item()\n", "s_at_min is not"),
    ],
    2: [
        ("huber_fits = {}\n"
         "losses_ = [lambda a, t: huber(a, t, delta=d) for d in deltas]\n"
         "for d, fn in zip(deltas, losses_):\n"
         "    huber_fits[d] = fit_line(fn, x_pts, y_pts, steps=200)[0]\n", "loop's last δ"),
        ("largest = (w_mse * x_pts + b_mse - y_pts).abs().mean().item()\n", "not the largest |r|"),
        ("huber_fits = {d: fit_line(lambda a, t, d=d: huber(a, t, delta=d), x_pts, y_pts, steps=50)[0]\n"
         "              for d in deltas}\n",
         "not its minimum"),
    ],
    3: [
        ("def logcosh_constant(targets, iters=200):\n"
         "    lo, hi = targets.min().item(), targets.max().item()\n"
         "    for _ in range(iters):\n"
         "        mid = (lo + hi) / 2\n"
         "        lo, hi = (mid, hi) if torch.tanh(mid - targets).sum() > 0 else (lo, mid)\n"
         "    return (lo + hi) / 2\n", "wrong half"),
        ("def logcosh_constant(targets, iters=200):\n    return targets.mean().item()\n", "returns the mean"),
        ("def logcosh_constant(targets, iters=200):\n    return targets.median().item()\n", "is not zero"),
    ],
    4: [
        ("fit_beta10 = fit_line(lambda a, t: smooth_l1(a, t, beta=1.0), x_pts, y10, lr=1.0)[0]\n", "not the original"),
        ("fit_beta10 = fit_line(lambda a, t: smooth_l1(a, t, beta=10.0), x_pts, y_pts, lr=1.0)[0]\n", "multiply y_pts"),
        ("fit_beta1 = tuple(10 * v for v in fits['SmoothL1'])\n", "is β = 1 used"),
    ],
    5: [
        ("def pinball(c, targets, tau):\n"
         "    diff = c[:, None] - targets[None, :]\n"
         "    return torch.maximum(tau * diff, (tau - 1) * diff).mean(dim=1)\n", "wrong sign"),
        ("def pinball(c, targets, tau):\n"
         "    diff = targets[None, :] - c[:, None]\n"
         "    return torch.maximum(tau * diff, (tau - 1) * diff).sum(dim=1)\n", "differs from the formula"),
        ("c_91 = y_clean.sort().values[53].item()\n", "off by one"),
    ],
}
