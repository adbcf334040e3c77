"""Reference for stage 2 made with PyTorch: the gating MLP trained with the Bradley-Terry loss, AdamW and a cosine
schedule, scoring exactly as at inference (g = beta*softmax(MLP(h_p)/tau), coeffs = g @ T^T, s = sum(r*coeffs)).
Dropout is 0 so the run is deterministic; batches are fixed and written out so the Java trainer replays them.
Writes trainer/src/test/resources/reference/gating.json.

Run with Debian's python3 (python3-torch): /usr/bin/python3 trainer/tools/gating_reference.py
"""
import json
import os

import torch

torch.manual_seed(3)
D, H, LAYERS, K = 6, 8, 3, 3
TAU, LR, WD, STEPS, BATCH = 10.0, 0.05, 0.01, 15, 5
N_PROMPTS, N_PAIRS = 7, 12

layers = []
size = D
for _ in range(LAYERS):
    layers += [torch.nn.Linear(size, H), torch.nn.ReLU(), torch.nn.Dropout(0.0)]
    size = H
layers.append(torch.nn.Linear(size, K))
mlp = torch.nn.Sequential(*layers)
beta = torch.nn.Parameter(torch.tensor(1.0))
linears = [m for m in mlp if isinstance(m, torch.nn.Linear)]
init = [{"weight": l.weight.detach().tolist(), "bias": l.bias.detach().tolist()} for l in linears]

prompts = torch.randn(N_PROMPTS, D)
chosen_prompt = torch.randint(0, N_PROMPTS, (N_PAIRS,))
rejected_prompt = chosen_prompt.clone()
rejected_prompt[::3] = torch.randint(0, N_PROMPTS, (len(rejected_prompt[::3]),))
r_chosen = torch.rand(N_PAIRS, K) * 4 - 1
r_rejected = torch.rand(N_PAIRS, K) * 4 - 1
weights = torch.rand(N_PAIRS) + 0.5
T = torch.eye(K) - 0.2 * torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.5]])
batches = torch.randint(0, N_PAIRS, (STEPS, BATCH))


def score(prompt, rewards):
    gating = beta * torch.softmax(mlp(prompt) / TAU, dim=-1)
    coeffs = gating @ T.T
    return (rewards * coeffs).sum(-1)


opt = torch.optim.AdamW(list(mlp.parameters()) + [beta], lr=LR, weight_decay=WD)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=STEPS)
losses = []
for step in range(STEPS):
    b = batches[step]
    s_c = score(prompts[chosen_prompt[b]], r_chosen[b])
    s_r = score(prompts[rejected_prompt[b]], r_rejected[b])
    w = weights[b]
    loss = (w * -torch.nn.functional.logsigmoid(s_c - s_r)).sum() / w.sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    losses.append(loss.item())

out = {
    "dim": D, "hidden": H, "hidden_layers": LAYERS, "attributes": K, "tau": TAU, "lr": LR, "weight_decay": WD,
    "steps": STEPS, "init": init, "beta_init": 1.0, "prompts": prompts.tolist(),
    "chosen_prompt": chosen_prompt.tolist(), "rejected_prompt": rejected_prompt.tolist(),
    "chosen_rewards": r_chosen.tolist(), "rejected_rewards": r_rejected.tolist(), "weights": weights.tolist(),
    "transform": T.tolist(), "batches": batches.tolist(), "losses": losses,
    "final": [{"weight": l.weight.detach().tolist(), "bias": l.bias.detach().tolist()} for l in linears],
    "final_beta": beta.item(),
}
here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "..", "src", "test", "resources", "reference", "gating.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path), "loss", losses[0], "->", losses[-1], "beta", beta.item())
