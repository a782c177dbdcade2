"""Plausible wrong answers to the exercises of 03_deep_networks.ipynb, each with a fragment of the message its check
cell must then stop with (see NBGRADER.md)."""

WRONG = {
    1: [
        ("first_gain = 1.5**5\n", "off by one"),
        ("saturated_share = 0.531 * 64 * 19 * 256\n", "counts units"),
        ("saturated_share = 1 - saturated_share\n", "the responsive ones"),
        ("first_gain = 16.0\n", "powers of 1.5"),
    ],
    2: [
        ("def leaky_gain(a):\n    return math.sqrt(2 / (1 + a))\n", "α², not α"),
        ("def leaky_factor(var_w, a, depth=30, width=256):\n"
         "    torch.manual_seed(0)\n"
         "    h, m2 = torch.randn(128, width, dtype=torch.float64), []\n"
         "    for _ in range(depth):\n"
         "        h = F.leaky_relu(h @ (torch.randn(width, width, dtype=torch.float64) * math.sqrt(var_w)).T, a)\n"
         "        m2.append(h.pow(2).mean().item())\n"
         "    return m2[-1] / m2[0]\n", "over all the layers"),
        ("def leaky_factor(var_w, a, depth=30, width=256):\n"
         "    torch.manual_seed(0)\n"
         "    h, m2 = torch.randn(128, width, dtype=torch.float64), []\n"
         "    for _ in range(depth):\n"
         "        h = torch.relu(h @ (torch.randn(width, width, dtype=torch.float64) * math.sqrt(var_w)).T)\n"
         "        m2.append(h.pow(2).mean().item())\n"
         "    return (m2[-1] / m2[0]) ** (1 / (depth - 1))\n", "not within 0.05 of 1"),
    ],
    3: [
        ("pair_predicted = 0.5 * 0.5\n", "0.25 is ½ · ½"),
        ("def pair_factor(seed, widths=(256, 512) * 10 + (256,)):\n"
         "    torch.manual_seed(seed)\n"
         "    h, m2 = torch.randn(512, 256, dtype=torch.float64), []\n"
         "    for fan_in, fan_out in zip(widths[:-1], widths[1:], strict=True):\n"
         "        w = torch.randn(fan_out, fan_in, dtype=torch.float64) / math.sqrt(fan_in)\n"
         "        h = torch.relu(h @ w.T)\n"
         "        m2.append(h.pow(2).mean().item())\n"
         "    return (m2[-1] / m2[1]) ** (1 / 9)\n"
         "pair_measured = torch.tensor([pair_factor(s) for s in range(5)]).log().mean().exp().item()\n",
         "fan-in only"),
        ("pair_measured = sum(pair_factor(s) for s in range(5)) / 5\n", "arithmetic mean"),
        ("pair_measured = math.sqrt(pair_measured)\n", "per layer, not per pair"),
    ],
    4: [
        ("zero_hidden, zero_out = nn.Linear(2, 4, dtype=torch.float64), nn.Linear(4, 1, dtype=torch.float64)\n"
         "for p_ in (*zero_hidden.parameters(), *zero_out.parameters()):\n"
         "    nn.init.constant_(p_, 0.0)\n"
         "opt_zero = torch.optim.SGD([*zero_hidden.parameters(), *zero_out.parameters()], lr=0.1)\n"
         "for _ in range(50):\n"
         "    F.mse_loss(zero_out(torch.tanh(zero_hidden(xs_sym))), ys_sym).backward()\n"
         "    opt_zero.step()\n", "not zeroed"),
        ("zero_hidden, zero_out = nn.Linear(2, 4, dtype=torch.float64), nn.Linear(4, 1, dtype=torch.float64)\n"
         "for p_ in (*zero_hidden.parameters(), *zero_out.parameters()):\n"
         "    nn.init.constant_(p_, 0.0)\n"
         "opt_zero = torch.optim.SGD([*zero_hidden.parameters(), *zero_out.parameters()], lr=0.1)\n"
         "for _ in range(49):\n"
         "    opt_zero.zero_grad()\n"
         "    F.mse_loss(zero_out(torch.tanh(zero_hidden(xs_sym))), ys_sym).backward()\n"
         "    opt_zero.step()\n", "off by one"),
        ("zero_hidden, zero_out = nn.Linear(2, 4, dtype=torch.float64), nn.Linear(4, 1, dtype=torch.float64)\n"
         "nn.init.constant_(zero_out.bias, 0.0)\n"
         "opt_zero = torch.optim.SGD([*zero_hidden.parameters(), *zero_out.parameters()], lr=0.1)\n"
         "for _ in range(50):\n"
         "    opt_zero.zero_grad()\n"
         "    F.mse_loss(zero_out(torch.tanh(zero_hidden(xs_sym))), ys_sym).backward()\n"
         "    opt_zero.step()\n", "must start at 0"),
    ],
}
