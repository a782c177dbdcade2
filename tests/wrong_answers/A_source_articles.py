"""Plausible wrong answers to the exercises of A_source_articles.ipynb, each with a fragment of the message its check
cell must then stop with (see NBGRADER.md)."""

WRONG = {
    1: [
        ("kl_normalised = xor_kl.clone()\n", "not divided by their sums"),
        ("kl_normalised = (torch.xlogy(normalised, normalised) - torch.xlogy(normalised, xor_labels)).sum(-1)\n",
         "arguments are swapped"),
        ("kl_normalised = -torch.log((xor_labels * xor_outputs / xor_outputs.sum(0, keepdim=True)).sum(-1))\n",
         "column sums"),
        ("kl_normalised = -torch.log((xor_labels * normalised.float()).sum(-1)).double()\n", "differs from D_KL"),
    ],
    2: [
        ("from_comment = -(math.log(QUOTED_COMMENT[0]) + math.log(QUOTED_COMMENT[1]))\n", "sums the two terms"),
        ("from_comment = -(math.log10(QUOTED_COMMENT[0]) + math.log10(QUOTED_COMMENT[1])) / 2\n", "log10"),
        ("from_code = (-(torch.log(probs[0, 1]) + torch.log(probs[1, 2])) / 2).item()\n", "targets [1, 2]"),
        ("from_code = (-(torch.log(probs[0, 0]) + torch.log(probs[1, 1]))).item()\n", "not CrossEntropyLoss"),
    ],
    3: [
        ("smallest = 2049\n", "float16"),
        ("smallest = 2**24 + 3\n", "smaller non-negative integer"),
        ("smallest = 2**24\n", "leaves smallest unchanged"),
        ("smallest = float(2**24 + 1)\n", "must be an int"),
    ],
    4: [
        ("weights_only = nn.BCEWithLogitsLoss()(x_s @ w_s, y_s).item()\n", "small run's own weights"),
        ("standard_error = per_sample.std().item()\n", "divide by √N"),
        ("mixed = nn.BCEWithLogitsLoss()(x_s @ w_s, y_s).item()\n", "mixed is not"),
        ("labels_only = nn.BCEWithLogitsLoss()(x_s @ w_b, y_b[:3000]).item()\n", "labels_only is not"),
        ("same_inputs = torch.equal(w_s, w_b)\n", "same_inputs"),
    ],
}
