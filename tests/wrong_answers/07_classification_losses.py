"""Plausible wrong answers to the exercises of 07_classification_losses.ipynb, each with a fragment of the message
its check cell must then stop with (see NBGRADER.md)."""

WRONG = {
    1: [
        ("fixed_multiclass = buggy_multiclass\n", "softmax before CrossEntropyLoss"),
        ("def fixed_multiclass(logits, target):\n"
         "    return nn.NLLLoss()(torch.log(torch.softmax(logits, dim=1)), target)\n", "the log of a probability"),
        ("def fixed_kl(logits, target_probs):\n"
         "    return nn.KLDivLoss(reduction='batchmean')(torch.softmax(logits, dim=1), target_probs)\n",
         "takes log-probabilities"),
        ("def fixed_kl(logits, target_probs):\n"
         "    return nn.KLDivLoss(reduction='batchmean')(torch.log(target_probs), torch.softmax(logits, dim=1))\n",
         "swaps KLDivLoss's arguments"),
        ("def fixed_kl(logits, target_probs):\n"
         "    return nn.KLDivLoss()(torch.log_softmax(logits, dim=1), target_probs)\n", "reduction 'mean'"),
        ("def fixed_kl(logits, target_probs):\n"
         "    return nn.KLDivLoss(reduction='batchmean')(torch.log(torch.softmax(logits, dim=1)), target_probs)\n",
         "the log of a probability"),
        ("fixed_one_vs_rest = buggy_one_vs_rest\n", "softmax before BCEWithLogitsLoss"),
        ("def fixed_one_vs_rest(logits, targets):\n    return nn.BCELoss()(torch.sigmoid(logits), targets)\n",
         "clamps the loss at 100"),
        ("floor_ce = 0.0\n", "floor_ce is 0"),
        ("floor_kl = 0.0\n", "floor_kl is not the buggy loss"),
        ("floor_bce = math.log(2)\n", "floor_bce is not the buggy loss"),
        ("shrink = 1 / shrink\n", "upside down"),
        ("shrink = 10.0\n", "shrink is not"),
        ("init_factors = (10, 10, 10)\n", "averages over all N K entries"),
        ("init_factors = (100, 100, 100)\n", "init_factors are not"),
    ],
    2: [
        ("def bce_with_logits_stable(z, y):\n    return torch.log(1 + torch.exp(z)) - y * z\n", "overflows"),
        ("def bce_with_logits_stable(z, y):\n"
         "    return z.clamp(min=0) - y * z + torch.log(1 + torch.exp(-z.abs()))\n", "torch.log1p"),
        ("def bce_with_logits_stable(z, y):\n"
         "    z, y = z.float(), y.float()\n"
         "    return z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))\n", "float32 where float64"),
        ("def bce_with_logits_stable(z, y):\n"
         "    return z.clamp(min=0) + y * z + torch.log1p(torch.exp(-z.abs()))\n", "differs from BCEWithLogitsLoss"),
    ],
    3: [
        ("def calibrate(q, w):\n    return w * q / (w * q + 1 - q)\n", "multiplies the odds"),
        ("def calibrate(q, w):\n    return q / w\n", "divides the probability"),
        ("def calibrate(q, w):\n    return q / (q + w)\n", "does not divide the odds"),
    ],
    4: [
        ("hard_neg = torch.where(~eye, dist, math.inf).argmin(1)\n", "negative has its anchor's class"),
        ("hard_pos = torch.where(same, dist, math.inf).argmin(1)\n", "positive is its anchor itself"),
        ("hard_pos = torch.where(same & ~eye, dist, math.inf).argmin(1)\n", "not the farthest positive"),
        ("def mine_random(generator):\n"
         "    pick = lambda mask, n: torch.stack([torch.nonzero(mask[i])[torch.randint(0, n, (), generator=generator)]\n"  # noqa: E501
         "                                        .squeeze() for i in range(32)])\n"
         "    return pick(same & ~eye, 7), pick(~eye, 24)\n"
         "rand_pos, rand_neg = mine_random(torch.Generator().manual_seed(0))\n", "random negative has its anchor's class"),  # noqa: E501
        ("rand_pos, rand_neg = hard_pos, hard_neg\n", "are not mine_random"),
        ("def mine_random(generator):\n    return hard_pos, hard_neg\n"
         "rand_pos, rand_neg = mine_random(None)\n", "same triplets for every generator"),
        ("def mine_random(generator):\n"
         "    pos = torch.where(same & ~eye, dist, math.inf).argmin(1)\n"
         "    neg = torch.where(~same, dist, -math.inf).argmax(1)\n"
         "    return pos, neg\n"
         "rand_pos, rand_neg = mine_random(None)\n", "same triplets for every generator"),
        ("def mine_random(generator):\n"
         "    pos = torch.stack([torch.nonzero(same[i] & ~eye[i])[torch.randint(0, 7, (), generator=generator)].squeeze()\n"  # noqa: E501
         "                       for i in range(32)])\n"
         "    return pos, torch.where(~same, dist, -math.inf).argmax(1)\n"
         "rand_pos, rand_neg = mine_random(torch.Generator().manual_seed(0))\n", "not the expected share"),
        ("active_share = {k: 1 - v for k, v in active_share.items()}\n", "share of its triplets"),
        ("expected_random = active_share['random']\n", "expected_random is not the mean"),
        ("anchor_grads = {k: -v for k, v in anchor_grads.items()}\n", "differs from autograd"),
    ],
}
