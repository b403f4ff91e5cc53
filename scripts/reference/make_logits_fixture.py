"""Produce Tests/LanguageModelTests/Fixtures/logits_cases.json and
logits_case<i>_last.f32 (i = 0..3).

Run:  python scripts/reference/make_logits_fixture.py
      (reads $EMORL_HOME/SmolLM2-135M-Instruct.Q4_1.gguf, default ~/.cache/emorl)

The model is AutoModelForCausalLM.from_pretrained(dir, gguf_file=..., torch_dtype=float32):
transformers dequantises every Q4_1 / Q8_0 tensor of the GGUF to f32 and runs
the Llama forward in f32 on CPU (2 threads), eval mode, no KV-cache tricks for the
prompt pass. Prompt ids come from the reference tokenizer (common.py, the same
one as tokenizer_cases.json) applied to the chat-template text with
add_generation_prompt=True.

JSON layout:
  model, versions, config (as observed on the loaded transformers model, and the GGUF header values),
  cases: [{
    messages, text, prompt_ids,
    argmax_ids[t]          argmax of logits at position t (predicts token t+1), len = n
    argmax_margin[t]       logit(top1) - logit(top2) at position t (how safe the argmax is)
    next_token_logprob[t]  log_softmax(logits[t])[prompt_ids[t+1]], t = 0..n-2, len = n-1 (natural log)
    last_top5_ids, last_top5_logits   top-5 of the raw logits at the last prompt position
    last_logits_file       name of the binary file: 49152 little-endian float32 raw logits (last position)
    last_logits_sum, last_logits_sumsq   float64 checksums of that file
    greedy_ids (32), greedy_text, greedy_margins (top1-top2 logit margin at each step),
    greedy_safe_prefix_len (number of leading steps with margin >= 0.01; beyond a near-tie an
        engine with slightly different f32 rounding may legitimately diverge):
        pure argmax decoding of exactly 32 new tokens; EOS (2) is NOT suppressed and does
        not stop the loop (if it is the argmax it is emitted and decoding continues);
        no repetition penalty, no sampling. Each step runs the full sequence again
        (no KV cache), so step k's logits = forward(prompt + greedy[:k])[-1].
  }]
"""

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GGUF_NAME, REPO_ROOT, asset_dir, build_reference_tokenizer, gguf_field, gguf_path, limit_threads  # noqa: E402

OUT_DIR = REPO_ROOT / "Tests/LanguageModelTests/Fixtures"
SYSTEM = "You are a counselor. Reply with one short reflection of what the client said."
USERS = [
    "I feel tired.",
    "My wife says I drink too much, but I think I have it under control.",
    "I started a new job last month and I keep worrying that everyone thinks I'm not good enough. "
    "Yesterday my manager asked to see me and I couldn't sleep all night.",
    "Honestly, I don't even know why I'm here. My mother made the appointment because I spend every evening "
    "alone in my room playing games. I go to classes and pass my exams, and I talk to two friends online every "
    "day. I don't see the problem, but she cries about it.",
]
N_NEW = 32


def main():
    import torch
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer

    limit_threads()
    torch.manual_seed(0)
    ref_tok, reader, _ = build_reference_tokenizer(gguf_path())
    hf_tok = AutoTokenizer.from_pretrained(str(asset_dir()), gguf_file=GGUF_NAME)
    model = AutoModelForCausalLM.from_pretrained(str(asset_dir()), gguf_file=GGUF_NAME, torch_dtype=torch.float32)
    model.eval()
    cfg = model.config

    # --- hyper-parameter check against the GGUF header and the expected SmolLM2-135M values
    g = lambda k: (lambda v: v.item() if hasattr(v, "item") else v)(gguf_field(reader, k))  # noqa: E731
    gguf_hp = {
        "block_count": g("llama.block_count"),
        "embedding_length": g("llama.embedding_length"),
        "feed_forward_length": g("llama.feed_forward_length"),
        "head_count": g("llama.attention.head_count"),
        "head_count_kv": g("llama.attention.head_count_kv"),
        "rope_freq_base": g("llama.rope.freq_base"),
        "rms_eps": g("llama.attention.layer_norm_rms_epsilon"),
        "vocab_size": g("llama.vocab_size"),
        "context_length": g("llama.context_length"),
        "rope_dimension_count": g("llama.rope.dimension_count"),
        "has_output_weight_tensor": any(t.name == "output.weight" for t in reader.tensors),
        "tensor_types": sorted({t.tensor_type.name for t in reader.tensors}),
    }
    rope_theta = getattr(cfg, "rope_theta", None)
    if rope_theta is None:
        rp = getattr(cfg, "rope_parameters", None) or {}
        rope_theta = rp.get("rope_theta")
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    tied = bool(cfg.tie_word_embeddings) and (
        model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()
    )
    observed = {
        "n_layers": cfg.num_hidden_layers,
        "d_model": cfg.hidden_size,
        "n_heads": cfg.num_attention_heads,
        "n_kv_heads": cfg.num_key_value_heads,
        "head_dim": head_dim,
        "ffn_dim": cfg.intermediate_size,
        "rms_norm_eps": cfg.rms_norm_eps,
        "rope_theta": rope_theta,
        "rope_scaling": getattr(cfg, "rope_scaling", None),
        "vocab_size": cfg.vocab_size,
        "tie_word_embeddings": tied,
        "max_position_embeddings": cfg.max_position_embeddings,
        "hidden_act": cfg.hidden_act,
        "attention_bias": getattr(cfg, "attention_bias", None),
        "mlp_bias": getattr(cfg, "mlp_bias", None),
        "torch_dtype_of_weights": str(model.model.embed_tokens.weight.dtype),
        "n_parameters": sum(p.numel() for p in model.parameters()),
    }
    expect = dict(n_layers=30, d_model=576, n_heads=9, n_kv_heads=3, head_dim=64, ffn_dim=1536, vocab_size=49152)
    for k, v in expect.items():
        assert observed[k] == v, (k, observed[k], v)
    assert abs(observed["rms_norm_eps"] - 1e-5) < 1e-9 and abs(rope_theta - 100000.0) < 1e-3 and tied
    assert gguf_hp["block_count"] == 30 and gguf_hp["head_count_kv"] == 3 and not gguf_hp["has_output_weight_tensor"]
    print("config ok:", observed)

    cases = []
    with torch.no_grad():
        for i, user in enumerate(USERS):
            msgs = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
            text = hf_tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
            ids = ref_tok.encode(text, add_special_tokens=False).ids
            x = torch.tensor([ids])
            logits = model(input_ids=x, use_cache=False).logits[0].float()  # [n, V]
            n = len(ids)
            top2 = torch.topk(logits, 2, dim=-1)
            argmax = top2.indices[:, 0].tolist()
            margin = (top2.values[:, 0] - top2.values[:, 1]).tolist()
            lsm = torch.log_softmax(logits, dim=-1)
            nxt = [float(lsm[t, ids[t + 1]]) for t in range(n - 1)]
            last = logits[-1].contiguous().numpy().astype("<f4")
            fname = f"logits_case{i}_last.f32"
            last.tofile(OUT_DIR / fname)
            t5 = torch.topk(logits[-1], 5)

            seq = list(ids)
            greedy, gmargins = [], []
            for _ in range(N_NEW):
                lg = model(input_ids=torch.tensor([seq]), use_cache=False).logits[0, -1]
                tv = torch.topk(lg, 2)
                nid = int(tv.indices[0])
                greedy.append(nid)
                gmargins.append(float(tv.values[0] - tv.values[1]))
                seq.append(nid)
            gtext = ref_tok.decode(greedy, skip_special_tokens=False)
            # cross-check with HF generate (greedy, KV cache); min_new_tokens would mask EOS, so
            # only compare when EOS was never the argmax
            gen = model.generate(
                input_ids=x, attention_mask=torch.ones_like(x), max_new_tokens=N_NEW, min_new_tokens=N_NEW,
                do_sample=False, repetition_penalty=1.0, num_beams=1, pad_token_id=2,
            )[0, n:].tolist()
            gen_match = gen == greedy
            print(f"case {i}: n={n} last_top5={t5.indices.tolist()} greedy={gtext!r} generate_matches={gen_match}"
                  f" min_margin_greedy={min(gmargins):.4f}")
            cases.append({
                "messages": msgs,
                "text": text,
                "prompt_ids": ids,
                "n_prompt": n,
                "argmax_ids": argmax,
                "argmax_margin": [round(m, 5) for m in margin],
                "next_token_logprob": nxt,
                "mean_next_token_nll": -float(np.mean(nxt)),
                "last_top5_ids": t5.indices.tolist(),
                "last_top5_logits": [float(v) for v in t5.values],
                "last_logits_file": fname,
                "last_logits_count": int(last.size),
                "last_logits_sum": float(last.astype(np.float64).sum()),
                "last_logits_sumsq": float((last.astype(np.float64) ** 2).sum()),
                "greedy_ids": greedy,
                "greedy_text": gtext,
                "greedy_margins": [round(m, 5) for m in gmargins],
                # leading greedy steps whose top1-top2 margin is >= 0.01 logits (robust to f32 noise)
                "greedy_safe_prefix_len": next((k for k, m in enumerate(gmargins) if m < 0.01), N_NEW),
                "hf_generate_kv_cache_ids": gen,
                "hf_generate_matches_greedy": gen_match,
            })

    doc = {
        "model": GGUF_NAME,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "numpy": np.__version__},
        "dtype": "float32 (Q4_1/Q8_0 dequantised to f32 by transformers)",
        "logits_files": "raw little-endian float32, 49152 values, last prompt position",
        "observed_config": observed,
        "gguf_hyperparameters": gguf_hp,
        "system_prompt": SYSTEM,
        "greedy_new_tokens": N_NEW,
        "cases": cases,
    }
    with open(OUT_DIR / "logits_cases.json", "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", OUT_DIR / "logits_cases.json")


if __name__ == "__main__":
    main()
