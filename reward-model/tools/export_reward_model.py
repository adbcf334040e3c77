#!/usr/bin/env python3
"""Export a Hugging Face reward model for quest-stream's Java scorer.

Writes a model directory the scorer loads with `kind=torchscript`:

  model.pt               TorchScript backbone: forward(input_ids int64 [B,T], attention_mask int64 [B,T])
                         -> final hidden states float32 [B,T,H]
  tokenizer.json         the model's tokenizer
  tokenizer_config.json  its chat template and special tokens
  backbone.json          {"id", "pooling", "max_sequence_tokens", "embedding_dim"}
  heads/heads.json       reward heads (attribute names, shapes, temperature, logit scale) + heads/*.f32 tensors
                         (raw little-endian float32, row-major); `reward-model import-weights` turns them into an
                         Avro RewardHeads record for the reward-weights topic
  parity.json            sample conversations with the original model's embeddings, rewards, gating, coefficients
                         and score; `reward-model verify-export` checks the Java scorer against them

Supported sources (run where torch and transformers are installed, with the weights available locally or from the
hub):

  armorm    RLHFlow/ArmoRM-Llama3-8B-v0.1 and QUEST-RM checkpoints built on the same class
            (regression_layer, gating MLP, reward_transform_matrix)
  fsfairx   sfairXC/FsfairX-LLaMA3-RM-v0.1 (a sequence classifier with one reward): one attribute, trivial gating

Example:
  python3 export_reward_model.py armorm RLHFlow/ArmoRM-Llama3-8B-v0.1 out/armorm --dtype bfloat16 --device cuda

Export on the device the model will be served on: the trace records it (backbone.json "traced_on"), and a model
traced on a GPU does not run on a CPU nor the other way round; the Java scorer refuses such a mismatch at load.
"""

import argparse
import json
import os
import re
import struct
import sys

import torch

HEADS_FORMAT = "quest-stream-heads/1"

# Attribute order of ArmoRM-Llama3-8B-v0.1's regression layer, from its model card.
ARMORM_ATTRIBUTES = [
    "helpsteer-helpfulness", "helpsteer-correctness", "helpsteer-coherence", "helpsteer-complexity",
    "helpsteer-verbosity", "ultrafeedback-overall_score", "ultrafeedback-instruction_following",
    "ultrafeedback-truthfulness", "ultrafeedback-honesty", "ultrafeedback-helpfulness", "beavertails-is_safe",
    "prometheus-score", "argilla-overall_quality", "argilla-judge_lm", "code-complexity", "code-style",
    "code-explanation", "code-instruction-following", "code-readability",
]

# Llama-3 tokens "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n": the prompt embedding is read at the
# first of them (the end of the last user turn), as ArmoRM's gating does.
LLAMA3_ASSISTANT_PATTERN = [128009, 128006, 78191, 128007, 271]


class HiddenStates(torch.nn.Module):
    """The transformer body only: token ids in, final-layer hidden states (float32) out."""

    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, input_ids, attention_mask):
        out = self.body(input_ids=input_ids, attention_mask=attention_mask, return_dict=False, use_cache=False)
        return out[0].float()


def trace_backbone(body, example_len, device):
    """Traces the body with a batch of two (one padded) so the graph carries the attention mask path."""
    module = HiddenStates(body).eval()
    ids = torch.ones((2, example_len), dtype=torch.long, device=device)
    mask = torch.ones((2, example_len), dtype=torch.long, device=device)
    mask[1, example_len // 2:] = 0
    with torch.no_grad():
        traced = torch.jit.trace(module, (ids, mask), check_trace=False, strict=False)
    return traced


def write_tensor(heads_dir, name, tensor):
    t = tensor.detach().to(torch.float32).cpu().contiguous()
    path = os.path.join(heads_dir, name + ".f32")
    with open(path, "wb") as f:
        f.write(struct.pack("<%df" % t.numel(), *t.flatten().tolist()))
    return {"file": name + ".f32", "shape": list(t.shape)}


def write_heads(out_dir, *, model_name, version, backbone_id, pooling, attribute_names, regression, gating_layers,
                temperature, logit_scale, transform, scale_min=0.0, scale_max=1.0):
    """Writes heads/heads.json and the tensors.

    regression: [K, H]; gating_layers: list of (weight [out, in], bias [out], "relu" | "identity");
    transform: [K, K] with coefficients = gating @ transform^T, i.e. score = sum_k r_k * sum_j T[k, j] g_j.
    """
    heads_dir = os.path.join(out_dir, "heads")
    os.makedirs(heads_dir, exist_ok=True)
    k = len(attribute_names)
    if tuple(regression.shape)[0] != k or tuple(transform.shape) != (k, k):
        raise ValueError("regression must be [K, H] and transform [K, K] for K=%d attributes" % k)
    layers = []
    for i, (w, b, activation) in enumerate(gating_layers):
        layers.append({
            "weight": write_tensor(heads_dir, "gating.%d.weight" % i, w),
            "bias": write_tensor(heads_dir, "gating.%d.bias" % i, b),
            "activation": activation,
        })
    spec = {
        "format": HEADS_FORMAT,
        "model_name": model_name,
        "version": version,
        "backbone_id": backbone_id,
        "embedding_dim": int(regression.shape[1]),
        "pooling": pooling,
        "attribute_names": list(attribute_names),
        "scale_min": scale_min,
        "scale_max": scale_max,
        "temperature": float(temperature),
        "logit_scale": float(logit_scale),
        "regression": write_tensor(heads_dir, "regression", regression),
        "transform": write_tensor(heads_dir, "transform", transform),
        "gating_layers": layers,
    }
    with open(os.path.join(heads_dir, "heads.json"), "w") as f:
        json.dump(spec, f, indent=1)


def write_backbone_json(out_dir, backbone_id, pooling, max_sequence_tokens, embedding_dim, traced_on=None):
    """traced_on: the device the trace was taken on ("cpu", "cuda:0"). A trace records the device of the tensors the
    model makes itself (rotary positions, masks), so it runs there only; the Java side checks it at load."""
    spec = {"id": backbone_id, "pooling": pooling, "max_sequence_tokens": max_sequence_tokens,
            "embedding_dim": embedding_dim}
    if traced_on is not None:
        spec["traced_on"] = traced_on
    with open(os.path.join(out_dir, "backbone.json"), "w") as f:
        json.dump(spec, f, indent=1)


def heads_forward(prompt, response, regression, gating_layers, temperature, logit_scale, transform):
    """Reference heads in PyTorch (float32): the math the Java scorer must reproduce."""
    rewards = response @ regression.T
    x = prompt
    for w, b, activation in gating_layers:
        x = x @ w.T + b
        if activation == "relu":
            x = torch.relu(x)
    gating = torch.softmax(x / temperature, dim=-1) * logit_scale
    coefficients = gating @ transform.T
    score = (rewards * coefficients).sum(-1)
    return rewards, gating, coefficients, score


MACRO = re.compile(r"\{\{(char|user)\}\}|<(BOT|USER)>", re.IGNORECASE)


def substitute_macros(text, character_name, user_name):
    """Mirror of io.queststream.model.text.RoleplayMacros: {{char}}/<BOT> and {{user}}/<USER>, any case."""
    char = (character_name or "").strip() or "Assistant"
    user = (user_name or "").strip() or "User"

    def name(m):
        macro = (m.group(1) or m.group(2)).lower()
        return char if macro in ("char", "bot") else user

    return MACRO.sub(name, text)


def macros_of(turn):
    character = turn.get("character")
    character_name = character.get("name") if character else None
    return lambda text: substitute_macros(text, character_name, turn.get("user_name"))


def system_prompt(character, macros):
    """Mirror of io.queststream.model.text.SystemPrompt."""
    if character is None:
        return None
    lines = []
    if character.get("name", "").strip():
        lines.append("You are %s." % character["name"].strip())
    if character.get("persona", "").strip():
        lines.append("Persona: " + macros(character["persona"].strip()))
    if character.get("scenario", "").strip():
        lines.append("Scenario: " + macros(character["scenario"].strip()))
    return "\n".join(lines) if lines else None


def messages_of(turn):
    """The context messages of a turn as the Java side builds them: card, then history, macros substituted."""
    macros = macros_of(turn)
    msgs = []
    s = system_prompt(turn.get("character"), macros)
    if s is not None:
        msgs.append({"role": "system", "content": s})
    msgs += [{"role": m["role"], "content": macros(m["text"])} for m in turn["history"]]
    return msgs


def response_of(turn):
    return {"role": "assistant", "content": macros_of(turn)(turn["response"])}


def parity_record(turn, ids, context_end, prompt_end, prompt_emb, response_emb, heads_out):
    rewards, gating, coefficients, score = heads_out
    record = dict(turn)
    record.update({
        "input_ids": [int(i) for i in ids],
        "context_end": context_end,
        "prompt_end": prompt_end,
        "prompt_embedding": prompt_emb.tolist(),
        "response_embedding": response_emb.tolist(),
        "rewards": rewards.tolist(),
        "gating": gating.tolist(),
        "coefficients": coefficients.tolist(),
        "score": float(score),
    })
    return record


SAMPLE_TURNS = [
    {"turn_id": "sample-1",
     "character": {"character_id": "mira", "name": "Mira",
                   "persona": "A sardonic starship mechanic who hides kindness behind sarcasm.",
                   "scenario": "The ship's engine died near a nebula."},
     "history": [{"role": "user", "text": "The engine just died. Can you fix it?"}],
     "response": "Of course it did. Hand me the hydrospanner and stop touching things."},
    {"turn_id": "sample-2",
     "character": {"character_id": "mira", "name": "Mira",
                   "persona": "A sardonic starship mechanic who hides kindness behind sarcasm.",
                   "scenario": "The ship's engine died near a nebula."},
     "history": [{"role": "user", "text": "The engine just died. Can you fix it?"},
                 {"role": "assistant", "text": "Of course it did. Hand me the hydrospanner."},
                 {"role": "user", "text": "How long will it take?"}],
     "response": "Dunno."},
]


def chat_ids(tokenizer, messages, add_generation_prompt=False):
    """Token ids of a rendered conversation as a flat list, whatever the transformers version returns (a list in
    4.x, a BatchEncoding where return_dict defaults to true)."""
    out = tokenizer.apply_chat_template(messages, tokenize=True, add_generation_prompt=add_generation_prompt,
                                        return_dict=False)
    if hasattr(out, "keys"):
        out = out["input_ids"]
    if hasattr(out, "tolist"):
        out = out.tolist()
    if out and isinstance(out[0], list):
        out = out[0]
    return [int(i) for i in out]


def dtype_argument(torch_dtype):
    """from_pretrained's dtype keyword: `dtype` from transformers 4.56 on, `torch_dtype` before."""
    import transformers
    major, minor = (int(p) for p in re.findall(r"\d+", transformers.__version__)[:2])
    return {"dtype": torch_dtype} if (major, minor) >= (4, 56) else {"torch_dtype": torch_dtype}


def load_reward_model(source, dtype, device, attn_implementation):
    from transformers import AutoModelForSequenceClassification
    return AutoModelForSequenceClassification.from_pretrained(
        source, trust_remote_code=True, attn_implementation=attn_implementation,
        **dtype_argument(getattr(torch, dtype))).to(device).eval()


def right_padded(rows, device):
    """Token id rows as one batch padded on the right with id 0, and its attention mask: how DjlBackbone feeds it."""
    width = max(len(r) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = 1
    return ids.to(device), mask.to(device)


def check_padded_batch(traced, body, rows, device):
    """Runs the rows as one right-padded batch, as the Java side feeds the backbone: the trace must give what the
    model gives on that batch. The batch against each row alone is printed as well; in bfloat16 it differs by the
    rounding of differently shaped matrix products, which the model itself shows too, so it is not a check."""
    ids, mask = right_padded(rows, device)
    valid = mask.bool().cpu()
    with torch.no_grad():
        batch = traced(ids, mask).float().cpu()
        model = HiddenStates(body)(ids, mask).float().cpu()
        drift = float((batch - model)[valid].abs().max() / model[valid].abs().max())
        alone = 0.0
        for i, r in enumerate(rows):
            one = traced(ids[i:i + 1, :len(r)], mask[i:i + 1, :len(r)]).float().cpu()[0]
            alone = max(alone, float((batch[i, :len(r)] - one).abs().max() / one.abs().max()))
    print("padded batch of %d rows (lengths %s): trace against model %.2e, against each row alone %.2e (relative)"
          % (len(rows), [len(r) for r in rows], drift, alone))
    if drift > 1e-2:
        raise SystemExit("the traced backbone handles a padded batch differently from the model (%.3g)" % drift)


def export_hf(kind, source, out_dir, dtype, device, max_sequence_tokens, attributes, model_name, backbone_id,
              attn_implementation="sdpa"):
    from transformers import AutoTokenizer

    os.makedirs(out_dir, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(source)
    # SDPA traces into a graph that holds at every length and padding for Llama (the Java side always passes a mask,
    # so the trace keeps the masked path) and runs 1.1-2.5x faster than eager attention on an H200
    # (docs/benchmarks.md); the checks below run the traced graph at other lengths than the trace's and as a padded
    # batch, so a kernel choice that bakes a shape in is caught here.
    model = load_reward_model(source, dtype, device, attn_implementation)
    body = model.model
    hidden = model.config.hidden_size

    if kind == "armorm":
        names = attributes or getattr(model.config, "attribute_names", None) or ARMORM_ATTRIBUTES
        regression = model.regression_layer.weight.float()
        layers = list(model.gating.layers)
        gating = [(l.weight.float(), l.bias.float() if l.bias is not None else torch.zeros(l.out_features),
                   "relu" if i < len(layers) - 1 else "identity") for i, l in enumerate(layers)]
        temperature = float(model.gating.temperature)
        logit_scale = float(model.gating.logit_scale.detach()[0])
        # ArmoRM: score = sum_j g_j (r @ M)_j = sum_k r_k sum_j M[k, j] g_j, so our T is M itself.
        transform = model.reward_transform_matrix.float()
    elif kind == "fsfairx":
        names = attributes or ["preference"]
        regression = model.score.weight.float()
        # One objective: softmax over one logit is 1, so the score is the single reward.
        gating = [(torch.zeros(1, hidden), torch.zeros(1), "identity")]
        temperature, logit_scale = 1.0, 1.0
        transform = torch.eye(1)
    else:
        raise ValueError("unknown model kind " + kind)
    if len(names) != regression.shape[0]:
        raise ValueError("%d attribute names for %d regression rows" % (len(names), regression.shape[0]))

    traced = trace_backbone(body, 32, device)
    traced.save(os.path.join(out_dir, "model.pt"))
    tokenizer.save_pretrained(out_dir)
    backbone_id = backbone_id or source
    traced_on = str(next(body.parameters()).device)
    write_backbone_json(out_dir, backbone_id, "last_token", max_sequence_tokens, hidden, traced_on)
    cpu = lambda t: t.detach().float().cpu()
    gating_cpu = [(cpu(w), cpu(b), a) for w, b, a in gating]
    write_heads(out_dir, model_name=model_name or os.path.basename(source.rstrip("/")), version=1,
                backbone_id=backbone_id, pooling="last_token", attribute_names=names, regression=cpu(regression),
                gating_layers=gating_cpu, temperature=temperature, logit_scale=logit_scale,
                transform=cpu(transform))

    records = []
    for turn in SAMPLE_TURNS:
        msgs = messages_of(turn)
        context = chat_ids(tokenizer, msgs)
        prompt = chat_ids(tokenizer, msgs, add_generation_prompt=True)
        full = chat_ids(tokenizer, msgs + [response_of(turn)])
        ids = torch.tensor([full], device=device)
        with torch.no_grad():
            states = traced(ids, torch.ones_like(ids))[0].float().cpu()
            eager = HiddenStates(body)(ids, torch.ones_like(ids))[0].float().cpu()
            original = model(ids) if kind == "fsfairx" else None
        drift = float((states - eager).abs().max())
        if drift > 1e-2:
            raise SystemExit("%s: the traced backbone differs from the model by %.3g at length %d; it does not "
                             "generalise beyond the traced shape" % (turn["turn_id"], drift, len(full)))
        context_end, prompt_end = len(context), len(prompt)
        if full[context_end - 1:context_end + 4] != LLAMA3_ASSISTANT_PATTERN and kind == "armorm":
            print("warning: %s does not end its prompt with the Llama-3 assistant header" % turn["turn_id"],
                  file=sys.stderr)
        p, r = states[context_end - 1], states[len(full) - 1]
        out = heads_forward(p, r, cpu(regression), gating_cpu, temperature, logit_scale, cpu(transform))
        if original is not None:
            print("%s: exported score %.6f, original %.6f" % (turn["turn_id"], float(out[3]),
                                                               float(original.logits[0, 0])))
        elif kind == "armorm":
            with torch.no_grad():
                o = model(ids)
            print("%s: exported score %.6f, original %.6f" % (turn["turn_id"], float(out[3]), float(o.score[0])))
        records.append(parity_record(turn, full, context_end, prompt_end, p, r, out))
    check_padded_batch(traced, body, [r["input_ids"] for r in records] + [records[0]["input_ids"] * 3], device)
    with open(os.path.join(out_dir, "parity.json"), "w") as f:
        json.dump({"backbone_id": backbone_id, "pooling": "last_token", "turns": records}, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["armorm", "fsfairx"], help="reward model family")
    parser.add_argument("source", help="hub id or local directory of the model")
    parser.add_argument("out", help="output directory")
    parser.add_argument("--dtype", default="bfloat16", help="float32 | bfloat16 | float16 (default bfloat16)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--max-sequence-tokens", type=int, default=4096)
    parser.add_argument("--attributes", nargs="*", help="attribute names, in regression-row order")
    parser.add_argument("--model-name", help="RewardHeads.model_name (default: the source's last path part)")
    parser.add_argument("--backbone-id", help="backbone id the heads are bound to (default: the source)")
    parser.add_argument("--attn-implementation", default="sdpa",
                        help="attention kernels traced into the backbone: sdpa (default) | eager")
    a = parser.parse_args()
    export_hf(a.kind, a.source, a.out, a.dtype, a.device, a.max_sequence_tokens, a.attributes, a.model_name,
              a.backbone_id, a.attn_implementation)


if __name__ == "__main__":
    main()
