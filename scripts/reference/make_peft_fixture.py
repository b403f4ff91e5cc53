"""Produce Tests/TrainingTests/Fixtures/{peft_adapter/, peft_gradients.safetensors,
peft_gradient_case.json}.

Run:  python scripts/reference/make_peft_fixture.py
      (reads $EMORL_HOME/SmolLM2-135M-Instruct.Q4_1.gguf, default ~/.cache/emorl)

What it does
  * base model: AutoModelForCausalLM.from_pretrained(dir, gguf_file=..., dtype=float32)
    (GGUF Q4_1/Q8_0 dequantised to f32), eval mode (no dropout anywhere).
  * peft LoraConfig(r=8, lora_alpha=32, lora_dropout=0.0, bias="none",
    target_modules=[q,k,v,o,gate,up,down]_proj, layers_to_transform=[26,27,28,29]),
    i.e. the top 4 of the 30 blocks. peft's forward per adapted Linear:
        y = W x + (alpha / r) * B (A x),  alpha/r = 4,  A: [r, in], B: [out, r]
  * deterministic NON-zero init: torch.manual_seed(0), then for every LoRA
    parameter in model.named_parameters() order: normal_(mean=0, std=0.02)
    (so B != 0 and every gradient is non-trivial).
  * model.save_pretrained(peft_adapter/) -> adapter_config.json + adapter_model.safetensors
    exactly as peft writes them.
  * one sequence = chat prompt ids (reference tokenizer, add_generation_prompt=True)
    + fixed response ids (ending in <|im_end|>); logits from one forward pass;
    loss = - sum_{t = response_start}^{n-1} log_softmax(logits[t-1])[ids[t]]   (SUM, f32)
    loss.backward(); every LoRA gradient saved to peft_gradients.safetensors under the
    same key names as adapter_model.safetensors (f32).
  * sanity check of the gradient: central difference of the loss (eps = 1e-2, f32)
    along the unit gradient direction and along one random unit direction in
    LoRA-parameter space, vs <grad, d> from autograd.
  * determinism: the script re-executes itself with PYTHONHASHSEED=0 because peft
    stores target_modules as a Python set (its order in adapter_config.json follows
    the string hash seed). base_model_name_or_path is set to the GGUF file name
    (instead of the local asset path), and the model-card README.md that
    save_pretrained also writes is removed.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GGUF_NAME, REPO_ROOT, asset_dir, build_reference_tokenizer, gguf_path, limit_threads  # noqa: E402

OUT = REPO_ROOT / "Tests/TrainingTests/Fixtures"
SYSTEM = "You are a counselor. Reply with one short reflection of what the client said."
USER = "I keep promising myself I'll go running in the morning, but when the alarm rings I just switch it off."
RESPONSE = "It sounds like part of you really wants to run, and another part wants to rest.<|im_end|>"
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
LAYERS = [26, 27, 28, 29]


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable] + sys.argv)
    import peft
    import safetensors
    import torch
    import transformers
    from peft import LoraConfig, get_peft_model
    from safetensors.torch import load_file, save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    limit_threads()
    ref_tok, _, _ = build_reference_tokenizer(gguf_path())
    hf_tok = AutoTokenizer.from_pretrained(str(asset_dir()), gguf_file=GGUF_NAME)
    base = AutoModelForCausalLM.from_pretrained(str(asset_dir()), gguf_file=GGUF_NAME, dtype=torch.float32)
    base.eval()
    base.config._name_or_path = GGUF_NAME
    base.name_or_path = GGUF_NAME

    cfg = LoraConfig(
        r=8, lora_alpha=32, lora_dropout=0.0, bias="none", task_type="CAUSAL_LM",
        target_modules=TARGETS, layers_to_transform=LAYERS,
    )
    model = get_peft_model(base, cfg)
    model.eval()

    torch.manual_seed(0)
    init_order = []
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_" in name:
                p.normal_(mean=0.0, std=0.02)
                init_order.append(name)
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable == init_order, "only LoRA parameters may be trainable"
    assert len(trainable) == 2 * len(TARGETS) * len(LAYERS)

    adapter_dir = OUT / "peft_adapter"
    adapter_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(adapter_dir))
    (adapter_dir / "README.md").unlink(missing_ok=True)
    saved = load_file(str(adapter_dir / "adapter_model.safetensors"))
    saved_names = sorted(saved.keys())

    # map in-memory parameter names to the names peft saves
    def saved_name(n):
        return n.replace(".default", "")

    name_map = {n: saved_name(n) for n in trainable}
    assert sorted(name_map.values()) == saved_names, (sorted(name_map.values())[:3], saved_names[:3])
    params = dict(model.named_parameters())
    for n, s in name_map.items():
        assert torch.equal(params[n].detach(), saved[s]), n

    msgs = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}]
    prompt_text = hf_tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
    prompt_ids = ref_tok.encode(prompt_text, add_special_tokens=False).ids
    resp_ids = ref_tok.encode(RESPONSE, add_special_tokens=False).ids
    ids = prompt_ids + resp_ids
    start = len(prompt_ids)

    x = torch.tensor([ids])
    logits = model(input_ids=x, use_cache=False).logits[0].float()
    lsm = torch.log_softmax(logits, dim=-1)
    tgt = torch.tensor(ids[start:])
    token_lp = lsm[start - 1 : len(ids) - 1].gather(1, tgt[:, None])[:, 0]
    loss = -token_lp.sum()
    model.zero_grad(set_to_none=True)
    loss.backward()

    grads = {name_map[n]: params[n].grad.detach().contiguous().float() for n in trainable}
    for k, g in grads.items():
        assert g.abs().sum() > 0, k
    save_file(grads, str(OUT / "peft_gradients.safetensors"))

    def loss_at(delta_scale, direction):
        with torch.no_grad():
            for n in trainable:
                params[n].add_(direction[n], alpha=delta_scale)
            lp = torch.log_softmax(model(input_ids=x, use_cache=False).logits[0].float(), dim=-1)
            val = float(-lp[start - 1 : len(ids) - 1].gather(1, tgt[:, None]).sum())
            for n in trainable:
                params[n].add_(direction[n], alpha=-delta_scale)
        return val

    checks = []
    gnorm = torch.sqrt(sum((params[n].grad.double() ** 2).sum() for n in trainable)).float()
    gen = torch.Generator().manual_seed(1)
    rnd = {n: torch.randn(params[n].shape, generator=gen) for n in trainable}
    rnorm = torch.sqrt(sum((d.double() ** 2).sum() for d in rnd.values())).float()
    for label, direction, tol in [
        ("unit gradient direction", {n: params[n].grad.detach() / gnorm for n in trainable}, 0.01),
        ("unit random direction (Generator seed 1, randn per tensor in init_order)",
         {n: d / rnorm for n, d in rnd.items()}, 0.25),
    ]:
        eps = 1e-2
        fd = (loss_at(eps, direction) - loss_at(-eps, direction)) / (2 * eps)
        analytic = float(sum((params[n].grad.double() * direction[n].double()).sum() for n in trainable))
        print(f"directional derivative along {label}: finite difference {fd:.5f} vs autograd {analytic:.5f}")
        assert abs(fd - analytic) <= tol * abs(analytic) + 2e-3, (fd, analytic)
        checks.append({"direction": label, "eps": eps, "finite_difference": fd, "autograd": analytic})

    # the same sequence through the base model alone (adapter disabled), for reference
    with torch.no_grad(), model.disable_adapter():
        bl = torch.log_softmax(model(input_ids=x, use_cache=False).logits[0].float(), dim=-1)
        base_loss = float(-bl[start - 1 : len(ids) - 1].gather(1, tgt[:, None]).sum())

    tensors = []
    for s in saved_names:
        tensors.append({
            "name": s,
            "shape": list(saved[s].shape),
            "dtype": str(saved[s].dtype).replace("torch.", ""),
            "param_l2": float(saved[s].double().norm()),
            "grad_l2": float(grads[s].double().norm()),
            "grad_sum": float(grads[s].double().sum()),
        })
    with open(adapter_dir / "adapter_config.json") as f:
        adapter_cfg = json.load(f)

    doc = {
        "model": GGUF_NAME,
        "versions": {"peft": peft.__version__, "transformers": transformers.__version__,
                     "torch": torch.__version__, "safetensors": safetensors.__version__},
        "lora_config": {
            "r": 8, "lora_alpha": 32, "scaling": 32 / 8, "lora_dropout": 0.0, "bias": "none",
            "target_modules": TARGETS, "layers_to_transform": LAYERS, "use_rslora": False, "use_dora": False,
            "forward": "y = W x + (lora_alpha / r) * B (A x); A = lora_A.weight [r, in], B = lora_B.weight [out, r]",
        },
        "adapter_config_json_as_written": adapter_cfg,
        "init": "torch.manual_seed(0); for each LoRA parameter in model.named_parameters() order: normal_(0, 0.02)",
        "init_order": [name_map[n] for n in init_order],
        "in_memory_name_example": trainable[0],
        "saved_names_include_default": any(".default" in s for s in saved_names),
        "saved_name_pattern": "base_model.model.model.layers.{L}.{self_attn|mlp}.{proj}.lora_{A|B}.weight",
        "lora_A_shape": "[r, in_features] e.g. q_proj [8, 576], down_proj [8, 1536]",
        "lora_B_shape": "[out_features, r] e.g. k_proj [192, 8], gate_proj [1536, 8]",
        "messages": msgs,
        "prompt_text": prompt_text,
        "response_text": RESPONSE,
        "ids": ids,
        "response_start": start,
        "n_tokens": len(ids),
        "n_response_tokens": len(ids) - start,
        "loss_definition": "loss = -sum_{t=response_start}^{n-1} log_softmax(logits[t-1])[ids[t]] (natural log, sum not mean, f32)",
        "loss": loss.item(),
        "response_token_logprobs": token_lp.detach().tolist(),
        "loss_base_model_adapter_disabled": base_loss,
        "gradients_file": "peft_gradients.safetensors (f32, same keys as peft_adapter/adapter_model.safetensors)",
        "directional_derivative_checks": checks,
        "tensors": tensors,
    }
    with open(OUT / "peft_gradient_case.json", "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("loss", loss.item(), "base loss", base_loss, "n", len(ids), "start", start)
    print("saved names e.g.", saved_names[:2], "include .default:", doc["saved_names_include_default"])


if __name__ == "__main__":
    main()
