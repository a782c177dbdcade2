"""Plausible wrong answers to the exercises of 08_backprop_by_hand.ipynb, each with a fragment of the message
its check cell must stop with (see NBGRADER.md): {exercise: [(code run after the answer cells, fragment)]}."""


def _tanh(d_o: str, d_h: str, w1: str = "torch.outer(d_h, x)", w2: str = "torch.outer(d_o, h)") -> str:
    # tanh_gradients with one step of the derivation replaced
    return f"""
def tanh_gradients(W1, b1, W2, b2):
    h = torch.tanh(W1 @ x + b1)
    yhat = torch.sigmoid(W2 @ h + b2)
    d_o = {d_o}
    d_h = {d_h}
    return 0.5 * ((y - yhat) ** 2).sum(), {{"W1": {w1}, "b1": d_h, "W2": {w2}, "b2": d_o}}
"""


RIGHT_D_O, RIGHT_D_H = "(yhat - y) * yhat * (1 - yhat)", "(W2.T @ d_o) * (1 - h**2)"


def _weight_grads(zero: bool) -> str:
    # exercise 3's three losses on one network, its gradients zeroed before each backward or not
    return f"""
net = classic_net()


def weight_grads(loss_fn):
    {"net.zero_grad()" if zero else "pass"}
    loss = loss_fn(net(X2), Y2)
    loss.backward()
    return loss.item(), torch.cat([net[0].weight.grad.flatten(), net[2].weight.grad.flatten()])


E_mean, g_mean = weight_grads(nn.MSELoss())
E_sum, g_sum = weight_grads(nn.MSELoss(reduction="sum"))
"""


def _sweep(step: str) -> str:
    # exercise 4's sweep with its step replaced
    return f"""
sweep = {{}}
for lr in RATES:
    p, run = params, [fw]
    for _ in range(SWEEP_STEPS):
        p = {step}
        run.append(forward(p))
    sweep[lr] = [f.E for f in run]
best = min(RATES, key=lambda lr: sweep[lr][-1])
"""


WRONG = {
    1: [
        # the shared biases left fixed (sgd_step's default): the fixed-bias run again
        ("E_shared = [losses[k] for k in AT]", "learn_biases=True"),
        # E recorded before the step of each count: off by one step
        ("""
p_, E_shared = params, []
for k in range(STEPS):
    f_ = forward(p_)
    E_shared += [f_.E] if k + 1 in AT else []
    p_ = sgd_step(p_, backward(p_, f_)[0], learn_biases=True)
""", "before any step"),
        # the per-neuron network with its biases frozen: the fixed-bias run (torch follows it to 1e-12)
        ("E_per_neuron = [losses[k] for k in AT]", "biases frozen"),
        # torch.optim.SGD without zero_grad: gradients accumulate
        ("""
per_neuron, E_per_neuron = classic_net(), []
opt = torch.optim.SGD(per_neuron.parameters(), lr=LR)
for k in range(1, STEPS + 1):
    criterion(per_neuron(X), Y).backward()
    opt.step()
    if k in AT:
        with torch.no_grad():
            E_per_neuron.append(criterion(per_neuron(X), Y).item())
""", "zero_grad()"),
        # the exact fit without the output bias b2 in z_o
        ("w56, w78 = (math.log(t / (1 - t)) / (fw.h1 + fw.h2) for t in (y1, y2))", "not exactly 0.01 and 0.99"),
    ],
    2: [
        (_tanh(RIGHT_D_O, "(W2.T @ d_o) * h * (1 - h)"), "still the sigmoid's h(1 − h)"),
        (_tanh("(yhat - y)", RIGHT_D_H), "the output sigmoid's slope"),
        (_tanh(RIGHT_D_O, "W2.T @ d_o"), "the hidden slope 1 − h²"),
        (_tanh(RIGHT_D_O, "(W2 @ d_o) * (1 - h**2)"), "W2 where its transpose W2ᵀ belongs"),
        (_tanh(RIGHT_D_O, RIGHT_D_H, w1="torch.outer(x, d_h)"), "∂E/∂W1 is transposed"),
        (_tanh(RIGHT_D_O, RIGHT_D_H, w2="torch.outer(h, d_o)"), "∂E/∂W2 is transposed"),
    ],
    3: [
        (_weight_grads(zero=False) + "E_each, g_each = weight_grads(lambda out, t: (0.5 * (t - out) ** 2).sum())",
         "gradients accumulated"),
        (_weight_grads(zero=True) + "E_each, g_each = weight_grads(lambda o, t: (0.5 * (t - o) ** 2).sum(1).mean())",
         "where their sum was meant"),
        (_weight_grads(zero=True) + "E_each, g_each = weight_grads(lambda out, t: ((t - out) ** 2).sum())",
         "misses the ½"),
    ],
    4: [
        (_sweep("sgd_step(p, backward(p, run[-1])[0], lr=lr, learn_biases=True)"), "the biases were learned"),
        (_sweep("sgd_step(p, grads, lr=lr)"), "reuses the first step's gradient"),
        ("""
sweep = {}
for lr in RATES:
    net_ = classic_net(freeze_biases=True)
    opt_ = torch.optim.SGD([q for q in net_.parameters() if q.requires_grad], lr=lr)
    sweep[lr] = [criterion(net_(X), Y).item()]
    for _ in range(SWEEP_STEPS):
        criterion(net_(X), Y).backward()
        opt_.step()
        sweep[lr].append(criterion(net_(X), Y).item())
best = min(RATES, key=lambda lr: sweep[lr][-1])
""", "gradients accumulated across steps"),
    ],
}
