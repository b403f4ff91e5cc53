"""Produce Tests/LanguageModelTests/Fixtures/tokenizer_cases.json.

Run:  python scripts/reference/make_tokenizer_fixture.py
      (reads $EMORL_HOME/SmolLM2-135M-Instruct.Q4_1.gguf, default ~/.cache/emorl)

Output JSON:
  model           GGUF file name
  reference       which tokenizer produced the ids (see below)
  gguf_metadata   tokenizer.ggml.{model,pre,bos/eos/padding/unknown_token_id,add_bos_token,add_space_prefix}
  pre_tokenizer   description of the reference pre-tokenizer
  special_tokens  [{id, content}] control tokens (GGUF token_type 3), matched whole
  transformers_gguf_disagreements  strings on which transformers' GGUF loader differs (with both id lists)
  cases           [{text, ids}]     ids WITHOUT BOS/EOS
  chat            [{messages, text, ids}] text = apply_chat_template(messages,
                  tokenize=False, add_generation_prompt=True); ids = reference
                  encoding of that text (special tokens matched whole).

Which tokenizer is the reference, and why
-----------------------------------------
`AutoTokenizer.from_pretrained(dir, gguf_file=...)` (transformers 5.x) rebuilds
the tokenizer from the GGUF with pre_tokenizer
`ByteLevel(add_prefix_space=False, use_regex=True)` only: the conversion drops
the `Digits(individual_digits=True)` step of SmolLM2's original tokenizer.json
(GGUF `tokenizer.ggml.pre` = "smollm", which llama.cpp implements as "split
every \\p{N} alone, then the GPT-2 regex"). The GGUF merges contain no merge
involving a digit, so most digit strings still come out one digit per token,
but the GPT-2 regex rule `\\s+(?!\\S)` then groups whitespace differently in
front of a digit ("a   1" -> [a, "ĠĠ", "Ġ", 1] instead of [a, "ĠĠĠ", 1]).
So the reference ids here come from a tokenizer built with the `tokenizers`
library directly from the GGUF vocab + merges + token types, with the original
pre-tokenizer Sequence([Digits(individual_digits=True), ByteLevel(...)])
(see common.build_reference_tokenizer). The script cross-checks it against the
transformers GGUF tokenizer and records every string where they differ.
Note: tokenizers' Digits isolates every Unicode *numeric* char (Rust
char::is_numeric: Arabic-Indic, Devanagari, fullwidth digits, superscripts,
vulgar fractions ...), not only ASCII 0-9.
The chat text is rendered by transformers' apply_chat_template with the
template stored in the GGUF (tokenizer.chat_template).
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GGUF_NAME, REPO_ROOT, asset_dir, build_reference_tokenizer, gguf_tokenizer_metadata, gguf_path  # noqa: E402
from tokenizer_strings import CHAT_CASES, all_strings  # noqa: E402

OUT = REPO_ROOT / "Tests/LanguageModelTests/Fixtures/tokenizer_cases.json"


def main():
    from transformers import AutoTokenizer

    ref, reader, control = build_reference_tokenizer(gguf_path())
    hf = AutoTokenizer.from_pretrained(str(asset_dir()), gguf_file=GGUF_NAME)
    hf_pre = str(hf.backend_tokenizer.pre_tokenizer)
    print("transformers GGUF pre_tokenizer:", hf_pre)
    print("reference pre_tokenizer:", ref.pre_tokenizer)

    strings = all_strings()
    cases, disagree = [], []
    for s in strings:
        ids = ref.encode(s, add_special_tokens=False).ids
        hf_ids = hf(s, add_special_tokens=False).input_ids
        if ids != hf_ids:
            disagree.append({"text": s, "reference_ids": ids, "transformers_gguf_ids": hf_ids})
        # round trip: byte-level decoding restores the exact text (special tokens kept)
        dec = ref.decode(ids, skip_special_tokens=False)
        assert dec == s, (s, dec)
        cases.append({"text": s, "ids": ids})

    chat = []
    for msgs in CHAT_CASES:
        text = hf.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
        ids = ref.encode(text, add_special_tokens=False).ids
        hf_ids = hf(text, add_special_tokens=False).input_ids
        if ids != hf_ids:
            disagree.append({"text": text, "reference_ids": ids, "transformers_gguf_ids": hf_ids})
        chat.append({"messages": msgs, "text": text, "ids": ids})

    import tokenizers
    import transformers

    meta = gguf_tokenizer_metadata(reader)
    doc = {
        "model": GGUF_NAME,
        "reference": "tokenizers %s built from GGUF vocab/merges/token_type; pre-tokenizer "
        "Sequence([Digits(individual_digits=True), ByteLevel(add_prefix_space=False, use_regex=True)]); "
        "decoder ByteLevel; no normalizer; no BOS/EOS added" % tokenizers.__version__,
        "transformers_gguf_pre_tokenizer": hf_pre,
        "transformers_version": transformers.__version__,
        "gguf_metadata": meta,
        "bos_id": meta.get("tokenizer.ggml.bos_token_id"),
        "eos_id": meta.get("tokenizer.ggml.eos_token_id"),
        "pad_id": meta.get("tokenizer.ggml.padding_token_id"),
        "vocab_size": len(reader.fields["tokenizer.ggml.tokens"].data),
        "n_merges": len(reader.fields["tokenizer.ggml.merges"].data),
        "special_tokens": [{"id": i, "content": t} for i, t in control],
        "transformers_gguf_disagreements": disagree,
        "cases": cases,
        "chat": chat,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {OUT} : {len(cases)} cases, {len(chat)} chat, {len(disagree)} disagreements with transformers GGUF tokenizer")
    for d in disagree:
        print("  DIFF", repr(d["text"][:60]))


if __name__ == "__main__":
    main()
