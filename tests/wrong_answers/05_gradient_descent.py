"""Plausible wrong answers to the exercises of 05_gradient_descent.ipynb, each with a fragment of the message its
check cell must then stop with (see NBGRADER.md)."""

WRONG = {
    1: [
        ("eta_crit = 2 / min(lam_w, lam_c)\n", "smaller curvature"),
        ("eta_crit = 1 / max(lam_w, lam_c)\n", "overshooting starts"),
        ("loss_below = loss_above\n", "not the minimum"),
    ],
    2: [
        ("pred = max(abs(1 - 0.05 * lam_w), abs(1 - 0.05 * lam_c))\n", "square the factor"),
        ("pred = min((1 - 0.05 * lam_w) ** 2, (1 - 0.05 * lam_c) ** 2)\n", "the larger of the two"),
        ("meas = (gap[100] / gap[10]).item() ** (1 / 100)\n", "the exponent"),
    ],
    3: [
        ("apart['SGD'] = 0.0\n", "the defaults are 1"),
        ("apart['Adam'] = 0.43\n", "Adam runs end"),
    ],
    4: [
        ("var_half = torch.stack([per_point[torch.randint(0, M, (half,), generator=gen)].mean()\n"
         "                        for _ in range(1000)]).var().item()\n", "with replacement"),
        ("with_repl = every_once.clone()\n", "no spread"),
    ],
    5: [
        ("steps_untuned = (untuned < 1e-8).nonzero()[0].item()\n", "off by one"),
        ("steps_untuned = 939\n", "not the number of steps"),
    ],
    6: [
        ("def line_cauchy(theta):\n    return (0.5 * torch.log1p(residuals(theta) ** 2)).sum(dim=-1)\n",
         "averaged over"),
        ("violations = {name: (t[:, 0] * fn(p) + (1 - t[:, 0]) * fn(q) - fn(t * p + (1 - t) * q) > 1e-9).sum().item()\n"
         "              for name, fn in [('MSE', line_mse), ('MAE', line_mae), ('Cauchy', line_cauchy)]}\n",
         "chords above the graph"),
    ],
    7: [
        ("lin = trajectory(torch.optim.SGD, lambda th: g_const @ th, start, 200, lr=0.01, momentum=beta_m,\n"
         "                 dampening=beta_m)\n"
         "long_run = ((lin[-1] - lin[-2]).norm() / (0.01 * g_const.norm())).item()\n", "dampened"),
        ("bound = 2 / lam\n", "plain gradient descent's bound"),
    ],
    8: [
        ("path = trajectory(torch.optim.Adam, line_mse10, theta0, 20, lr=0.1)\n"
         "at_20[\"(w', c)\"] = eff_lr(path[19] - path[18], path[18])\n", "about 0.78"),
        ("at_20[\"(w', c)\"] = at_20[\"(w, c)\"]\n", "mapped back"),
    ],
}
