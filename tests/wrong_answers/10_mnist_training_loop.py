"""Plausible wrong answers to the exercises of 10_mnist_training_loop.ipynb, each with a fragment of the message
its check cell must then stop with (see NBGRADER.md)."""

WRONG = {
    1: [
        ("def train_epoch_with_loss(model, criterion, optimizer, x, y, batch_size, generator):\n"
         "    model.train()\n"
         "    order = torch.randperm(len(x), generator=generator).to(x.device)\n"
         "    means = []\n"
         "    for start in range(0, len(x), batch_size):\n"
         "        batch = order[start : start + batch_size]\n"
         "        optimizer.zero_grad()\n"
         "        loss = criterion(model(x[batch]), y[batch])\n"
         "        loss.backward()\n"
         "        optimizer.step()\n"
         "        means.append(loss.item())\n"
         "    return sum(means) / len(means)\n", "unweighted mean of the batch means"),
        ("def train_epoch_with_loss(model, criterion, optimizer, x, y, batch_size, generator):\n"
         "    model.train()\n"
         "    order = torch.randperm(len(x), generator=generator).to(x.device)\n"
         "    total = 0.0\n"
         "    for start in range(0, len(x), batch_size):\n"
         "        batch = order[start : start + batch_size]\n"
         "        loss = criterion(model(x[batch]), y[batch])\n"
         "        loss.backward()\n"
         "        optimizer.step()\n"
         "        total += loss.item() * len(batch)\n"
         "    return total / len(x)\n", "weights differ from fit's"),
    ],
    2: [
        ("def expected_init_loss(k):\n    return math.log10(k)\n", "base 10"),
        ("def measured_init_loss(k):\n"
         "    torch.manual_seed(SEED)\n"
         "    net = logits_model().to(device)\n"
         "    with torch.no_grad():\n"
         "        return F.cross_entropy(net(x_train[:1000]), torch.randint(0, 10, (1000,)).to(device)).item()\n",
         "about log 10"),
    ],
    3: [
        ("def approx_bce(p, y):\n    return constant + kl(p, y)\n", "square term is missing"),
        ("def approx_bce(p, y):\n    return constant + kl(p, y) - (p**2).sum(dim=1).mean() / 80\n", "within 0.002"),
        ("constant = math.log(2)\n", "within 0.002"),
    ],
    4: [
        ("def floor(k):\n    return 0.0\n", "cannot reach loss 0"),
        ("def floor(k):\n    return math.log(k)\n", "uniform row"),
        ("def floor(k):\n    return math.log(1 + k / math.e)\n", "off by one"),
    ],
}
