#!/usr/bin/env python3
"""Checks and measures the GPU path of an exported TorchScript backbone, on a machine with CUDA, torch and
transformers and no access to a model hub.

1. export: builds two small reward models of the families export_reward_model.py supports, locally and with seeded
   random weights (an ArmoRM-shaped model with its own modeling code, loaded with trust_remote_code, and a Llama
   sequence classifier), and exports each with the tool on the GPU and on the CPU. The tokenizer and chat template
   are the parity fixture's (make_parity_fixture.py), which the Java side reads. Each export directory is written to
   OUT as a .tar.gz for `reward-model verify-export` on the Java side. Then it loads each model.pt the way DJL does
   (torch.jit.load with the target device as map location) on every device here and says where it runs.
2. bench: a Llama-3-8B-shaped backbone (random bfloat16 weights; the speed does not depend on their values), traced
   as the tool traces it, with eager and with SDPA attention. It measures the bf16 GEMM peak of the GPU in the same
   run and prints, for right-padded batches of several shapes, turns/s, tokens/s and the backbone's FLOP/s as a share
   of that peak (median and range of timed repetitions after warm-ups), and whether the SDPA trace holds at lengths
   and paddings other than the traced ones.

Usage: python3 gpu_check.py OUT_DIR [--skip-export] [--skip-bench] [--reps N] [--budget-s S]
"""

import argparse
import json
import os
import statistics
import sys
import tarfile
import tempfile
import time
import traceback

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_reward_model as export  # noqa: E402
import make_parity_fixture as fixture  # noqa: E402

ARMO_MODELING = '''
import types

import torch
from transformers import LlamaModel, LlamaPreTrainedModel


class GatingNetwork(torch.nn.Module):
    def __init__(self, in_features, out_features, hidden_dim, n_hidden, temperature):
        super().__init__()
        self.temperature = temperature
        self.logit_scale = torch.nn.Parameter(torch.ones(1))
        dims = [in_features] + [hidden_dim] * n_hidden + [out_features]
        self.layers = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = torch.nn.functional.linear(x, layer.weight.float(), layer.bias.float())
            if i < len(self.layers) - 1:
                x = torch.relu(x)
        return torch.softmax(x / self.temperature, dim=1) * self.logit_scale.float()[0]


class TinyArmoRM(LlamaPreTrainedModel):
    """ArmoRM's heads on a Llama body: regression on the last token, gating on the token that ends the prompt."""

    def __init__(self, config):
        super().__init__(config)
        self.model = LlamaModel(config)
        k = config.num_objectives
        self.regression_layer = torch.nn.Linear(config.hidden_size, k, bias=False)
        self.gating = GatingNetwork(config.hidden_size, k, config.gating_hidden_dim, config.gating_n_hidden,
                                    config.gating_temperature)
        self.reward_transform_matrix = torch.nn.Parameter(torch.eye(k))
        self.post_init()

    def forward(self, input_ids, attention_mask=None, **kwargs):
        hidden = self.model(input_ids=input_ids, attention_mask=attention_mask, use_cache=False)[0].float()
        # The prompt ends where the last assistant header starts, one token before it (the end of the user turn).
        starts = (input_ids[0] == self.config.header_start_id).nonzero()[:, 0]
        gate_at = int(starts[-1]) - 1
        rewards = hidden[:, -1] @ self.regression_layer.weight.float().T
        gating = self.gating(hidden[:, gate_at])
        score = (gating * (rewards @ self.reward_transform_matrix.float())).sum(dim=1)
        return types.SimpleNamespace(score=score, rewards=rewards, gating_output=gating)
'''


START = time.time()


def log(*args):
    print(*args, flush=True)


def section(name, fn, *args):
    log("\n== %s" % name)
    start = time.time()
    try:
        return fn(*args)
    except Exception:  # report and go on: one run should say as much as it can
        log("FAILED: %s" % name)
        traceback.print_exc(file=sys.stdout)
        return None
    finally:
        log("(%s: %.1f s)" % (name, time.time() - start))


def environment():
    import transformers
    log("torch %s, transformers %s, CUDA %s" % (torch.__version__, transformers.__version__, torch.version.cuda))
    if torch.cuda.is_available():
        p = torch.cuda.get_device_properties(0)
        log("GPU: %s, %d SMs, %.0f GiB" % (p.name, p.multi_processor_count, p.total_memory / 2**30))
    log("CPU threads for torch: %d" % torch.get_num_threads())


def tiny_llama_config(vocab, **extra):
    from transformers import LlamaConfig
    return LlamaConfig(vocab_size=len(vocab), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                       num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
                       pad_token_id=vocab["<pad>"], bos_token_id=vocab["<|begin|>"],
                       eos_token_id=vocab["<|eot|>"], **extra)


def write_tokenizer(directory, vocab):
    with open(os.path.join(directory, "tokenizer.json"), "w") as f:
        json.dump(fixture.tokenizer_json(vocab), f)
    with open(os.path.join(directory, "tokenizer_config.json"), "w") as f:
        json.dump({"bos_token": "<|begin|>", "eos_token": "<|eot|>", "unk_token": "<unk>", "pad_token": "<pad>",
                   "tokenizer_class": "PreTrainedTokenizerFast", "chat_template": fixture.CHAT_TEMPLATE}, f)


def make_sources(root):
    """Two local model directories with seeded random weights; returns {kind: directory}."""
    from transformers import LlamaForSequenceClassification
    vocab = fixture.build_vocab()
    for turn in export.SAMPLE_TURNS:
        for message in export.messages_of(turn) + [export.response_of(turn)]:
            for word in [message["role"]] + fixture.WORD.findall(message["content"]):
                vocab.setdefault(word, len(vocab))
    vocab["<pad>"] = len(vocab)  # never in a turn: the sequence classifier finds the last token before it
    torch.manual_seed(11)
    sources = {}

    fsfairx = os.path.join(root, "tiny-fsfairx")
    LlamaForSequenceClassification(tiny_llama_config(vocab, num_labels=1)).save_pretrained(fsfairx)
    write_tokenizer(fsfairx, vocab)
    sources["fsfairx"] = fsfairx

    armorm = os.path.join(root, "tiny-armorm")
    os.makedirs(armorm)
    with open(os.path.join(armorm, "modeling_tiny_armorm.py"), "w") as f:
        f.write(ARMO_MODELING)
    sys.path.insert(0, armorm)
    import modeling_tiny_armorm  # noqa: E402
    config = tiny_llama_config(vocab, num_objectives=6, gating_hidden_dim=32, gating_n_hidden=2,
                               gating_temperature=10.0, header_start_id=vocab["<|start|>"])
    config.auto_map = {"AutoModelForSequenceClassification": "modeling_tiny_armorm.TinyArmoRM"}
    config.architectures = ["TinyArmoRM"]
    model = modeling_tiny_armorm.TinyArmoRM(config)
    with torch.no_grad():
        model.reward_transform_matrix.add_(0.1 * torch.randn(6, 6))
        model.gating.logit_scale.fill_(1.7)
    model.save_pretrained(armorm)
    write_tokenizer(armorm, vocab)
    sources["armorm"] = armorm
    log("sources: %s (vocab %d)" % (", ".join(sorted(sources)), len(vocab)))
    return sources


def pack(directory, out_dir, name):
    path = os.path.join(out_dir, name + ".tar.gz")
    with tarfile.open(path, "w:gz") as tar:
        tar.add(directory, arcname=name)
    log("wrote %s (%d bytes)" % (path, os.path.getsize(path)))


def check_devices(export_dir):
    """model.pt loaded as DJL loads it (torch.jit.load with the target device as map location) on every device here,
    run on a right-padded batch; says where it runs and where it fails."""
    traced_on = json.load(open(os.path.join(export_dir, "backbone.json"))).get("traced_on")
    rows = [t["input_ids"] for t in json.load(open(os.path.join(export_dir, "parity.json")))["turns"]]
    ids, mask = export.right_padded(rows, "cpu")
    for device in (["cuda"] if torch.cuda.is_available() else []) + ["cpu"]:
        try:
            module = torch.jit.load(os.path.join(export_dir, "model.pt"), map_location=device)
            with torch.no_grad():
                module(ids.to(device), mask.to(device))
            outcome = "runs"
        except Exception as e:  # the point is to see which devices fail
            outcome = "fails: " + str(e).strip().splitlines()[-1][:160]
        log("  %s (traced on %s): on %s it %s" % (os.path.basename(export_dir), traced_on, device, outcome))


EXPORTS = [("armorm", "bfloat16", "cuda"), ("armorm", "bfloat16", "cpu"), ("armorm", "float32", "cpu"),
           ("fsfairx", "bfloat16", "cuda"), ("fsfairx", "bfloat16", "cpu")]


def export_all(out_dir):
    root = tempfile.mkdtemp()
    sources = make_sources(root)
    for kind, dtype, device in EXPORTS:
        if device == "cuda" and not torch.cuda.is_available():
            continue
        name = "export-%s-%s-%s" % (kind, dtype, device)
        target = os.path.join(root, name)
        log("-- %s" % name)
        try:
            export.export_hf(kind, sources[kind], target, dtype, device, 1024,
                             fixture.ATTRIBUTES if kind == "armorm" else None, "tiny-" + kind,
                             "quest-stream/tiny-" + kind)
            log("  files: %s" % sorted(os.listdir(target)))
            pack(target, out_dir, name)
            check_devices(target)
        except BaseException:
            log("FAILED: %s" % name)
            traceback.print_exc(file=sys.stdout)


def cuda_time(fn, warmups, reps):
    for _ in range(warmups):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end) / 1000.0)
    return times


def gemm_peak(reps):
    n = 8192
    a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    times = cuda_time(lambda: a @ b, 3, reps)
    flops = 2 * n ** 3
    peak = flops / statistics.median(times)
    log("bf16 GEMM %d^3: %.0f TFLOP/s median (%.0f-%.0f) over %d products"
        % (n, peak / 1e12, flops / max(times) / 1e12, flops / min(times) / 1e12, reps))
    return peak


def llama3_8b_body(attn):
    from transformers import LlamaConfig, LlamaModel
    config = LlamaConfig(vocab_size=128256, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                         num_attention_heads=32, num_key_value_heads=8, max_position_embeddings=8192,
                         rms_norm_eps=1e-5, attn_implementation=attn)
    torch.set_default_dtype(torch.bfloat16)
    try:
        with torch.device("cuda"):
            body = LlamaModel(config).eval()
    finally:
        torch.set_default_dtype(torch.float32)
    return body, config


def set_attention(body, attn):
    if hasattr(body, "set_attn_implementation"):
        body.set_attn_implementation(attn)
    else:
        body.config._attn_implementation = attn


def forward_flops(config, rows, length):
    """Dense FLOPs of one forward over a padded batch: the matmuls of every layer, attention over the full square."""
    h, f, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    kv = h * config.num_key_value_heads // config.num_attention_heads
    per_token = layers * 2 * (h * h * 2 + h * kv * 2 + 3 * h * f)
    attention = layers * 2 * 2 * length * length * h
    return rows * (length * per_token + attention)


def padded_batch(rows, length, vocab):
    """Right-padded like DjlBackbone: row i holds length - 37 * i tokens (at least half the length)."""
    ids = torch.randint(1, vocab, (rows, length), device="cuda")
    mask = torch.ones_like(ids)
    for i in range(rows):
        mask[i, max(length // 2, length - 37 * i):] = 0
    return ids * mask, mask


def bench(reps, budget_s):
    peak = gemm_peak(reps)
    body, config = llama3_8b_body("eager")
    params = sum(p.numel() for p in body.parameters())
    log("backbone: Llama-3-8B shape, %.2f B parameters, bfloat16, random weights" % (params / 1e9))
    traced = {}
    for attn in ("eager", "sdpa"):
        set_attention(body, attn)
        start = time.time()
        traced[attn] = export.trace_backbone(body, 32, "cuda")
        log("traced with %s attention in %.1f s" % (attn, time.time() - start))

    # Does each trace hold beyond the traced shape? Compare with the untraced body at a new length and padding.
    ids, mask = padded_batch(3, 700, config.vocab_size)
    with torch.no_grad():
        for attn in ("eager", "sdpa"):
            set_attention(body, attn)
            reference = export.HiddenStates(body)(ids, mask)
            got = traced[attn](ids, mask)
            valid = mask.bool()
            rel = float((got - reference)[valid].abs().max() / reference[valid].abs().max())
            log("trace (%s) at 3 x 700 with padding against the untraced body: max relative difference %.2e"
                % (attn, rel))
        rel = float((traced["sdpa"](ids, mask) - traced["eager"](ids, mask))[mask.bool()].abs().max()
                    / traced["eager"](ids, mask)[mask.bool()].abs().max())
        log("sdpa trace against eager trace: max relative difference %.2e" % rel)

    shapes = [(1, 512), (8, 512), (32, 512), (8, 1024), (16, 1024), (4, 2048), (2, 4096)]
    log("\nrows x padded length | attention | turns/s median (range) | tokens/s | TFLOP/s | share of GEMM peak")
    for rows, length in shapes:
        if time.time() - START > budget_s:
            log("time budget of %d s spent: the remaining shapes are skipped" % budget_s)
            break
        ids, mask = padded_batch(rows, length, config.vocab_size)
        flops = forward_flops(config, rows, length)
        for attn in ("eager", "sdpa"):
            module = traced[attn]
            with torch.no_grad():
                times = cuda_time(lambda: module(ids, mask), 2, reps)
            med = statistics.median(times)
            log("%4d x %4d | %-5s | %8.1f (%.1f-%.1f) | %9.0f | %6.0f | %5.1f%%"
                % (rows, length, attn, rows / med, rows / max(times), rows / min(times), rows * length / med,
                   flops / med / 1e12, 100 * flops / med / peak))
        del ids, mask
        torch.cuda.empty_cache()
    log("peak GPU memory allocated: %.1f GiB" % (torch.cuda.max_memory_allocated() / 2**30))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="directory for the export archives")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-bench", action="store_true")
    parser.add_argument("--reps", type=int, default=7, help="timed repetitions per shape (default 7)")
    parser.add_argument("--budget-s", type=int, default=400, help="start no new bench shape after this many seconds")
    a = parser.parse_args()
    os.makedirs(a.out, exist_ok=True)
    section("environment", environment)
    if not a.skip_export:
        section("export", export_all, a.out)
    if not a.skip_bench:
        if torch.cuda.is_available():
            section("bench", bench, a.reps, a.budget_s)
        else:
            log("\n== bench: no CUDA device, skipped")


if __name__ == "__main__":
    main()
