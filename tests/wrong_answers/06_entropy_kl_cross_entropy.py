"""Plausible wrong answers to the exercises of 06_entropy_kl_cross_entropy.ipynb, each with a fragment of the message
its check cell must then stop with (see NBGRADER.md)."""

WRONG = {
    1: [
        ("mu_f, s_f, mu_r, s_r = mu_r, s_r, mu_f, s_f\n", "argument order"),
        ("s_f = 3.0  # sqrt(3^2): the peaks' own spread forgotten\n", "does not minimise D_KL(p || q)"),
        ("q_unnormalised = torch.exp(-0.5 * ((x_grid - M[..., None]) / S[..., None]) ** 2)\n"
         "i_r = divmod(int(kl(q_unnormalised, p_two).argmin()), len(stds))\n"
         "mu_r, s_r = means[i_r[0]].item(), stds[i_r[1]].item()\n", "does not minimise D_KL(q || p)"),
        ("mu_f, s_f = torch.tensor(mu_f), torch.tensor(s_f)\n", "must be numbers"),
    ],
    2: [
        ("def hessian_by_hand(w):\n    return X_lr.T @ X_lr / len(y_lr)\n", "forgets the factor S"),
        ("def gradient_by_hand(w):\n    return X_lr.T @ (torch.sigmoid(X_lr @ w) - y_lr)\n", "divide by N"),
        ("def gradient_by_hand(w):\n    return X_lr.T @ (y_lr - torch.sigmoid(X_lr @ w)) / len(y_lr)\n", "wrong sign"),
        ("def hessian_by_hand(w):\n"
         "    s = torch.sigmoid(X_lr @ w) * (1 - torch.sigmoid(X_lr @ w))\n"
         "    return X_lr.T @ (s[:, None] * X_lr)\n", "sums over the samples"),
        ("def hessian_by_hand(w):\n"
         "    s = torch.sigmoid(X_lr @ w) * (1 - torch.sigmoid(X_lr @ w))\n"
         "    return (X_lr.T @ (s[:, None] * X_lr) / len(y_lr)).float().double()\n", "differs from torch.autograd"),
        ("smallest = 0.0\n", "not the smallest eigenvalue"),
    ],
    3: [
        ("soft_target = (1 - eps_ls) * F.one_hot(y, K).float() + eps_ls\n", "spread ε over the K classes"),
        ("def mixed_ce(z, y, eps):\n"
         "    return (1 - eps) * F.cross_entropy(z, y) + eps * F.cross_entropy(z, torch.ones_like(z))\n",
         "entries 1, not 1 / K"),
        ("def mixed_ce(z, y, eps):\n    return F.cross_entropy(z, y, label_smoothing=eps)\n", "uses label_smoothing"),
        ("def mixed_ce(z, y, eps):\n"
         "    k = z.shape[1]\n"
         "    return F.cross_entropy(z, (1 - eps) * F.one_hot(y, k).to(z.dtype) + eps / k)\n", "smoothed target"),
        ("def mixed_ce(z, y, eps):\n    return F.cross_entropy(z, y)\n", "mixed_ce(z, y, eps) differs"),
        ("def mixed_ce(z, y, eps):\n    return torch.tensor(1.1574)\n", "mixed_ce(z, y, eps) differs"),
        ("floor = 0.0\n", "cannot reach 0"),
        ("floor = math.log(K)\n", "uniform prediction"),
        ("floor = entropy(soft_target[0].double()).item() / 2\n", "not the smallest value Adam finds"),
    ],
    4: [
        ("def huffman_lengths(probs):\n    return [3] * len(probs)\n", "fixed-length"),
        ("def huffman_lengths(probs):\n    return [math.ceil(-math.log2(p_i)) for p_i in probs]\n", "Shannon"),
        ("_right = huffman_lengths\n"
         "def huffman_lengths(probs):\n"
         "    return _right([1 - p_i for p_i in probs])  # merges the most likely pair each time\n", "not the optimum"),
        ("def huffman_lengths(probs):\n"
         "    heap = [(p_i, i, [i]) for i, p_i in enumerate(probs)]\n"
         "    heapq.heapify(heap)\n"
         "    lengths, counter = [0] * len(probs), len(probs)\n"
         "    while len(heap) > 1:\n"
         "        (p_a, _, group_a), (p_b, _, group_b) = heapq.heappop(heap), heapq.heappop(heap)\n"
         "        for i in group_a:  # only one of the two merged groups lengthened\n"
         "            lengths[i] += 1\n"
         "        heapq.heappush(heap, (p_a + p_b, counter, group_a + group_b))\n"
         "        counter += 1\n"
         "    return lengths\n", "positive integer length"),
        ("best = 1.0\n", "ignores Kraft"),
    ],
}
