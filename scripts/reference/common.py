"""Shared helpers for the reference-fixture scripts in scripts/reference/.

Nothing here produces a fixture by itself. It resolves the asset directory
($EMORL_HOME, default ~/.cache/emorl), the repository root, limits torch to
2 threads, and builds the SmolLM2 reference tokenizer from the GGUF file.
"""

import os
from pathlib import Path

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MINILM_DIRNAME = "all-MiniLM-L6-v2"
REPO_ROOT = Path(__file__).resolve().parents[2]


def asset_dir() -> Path:
    return Path(os.environ.get("EMORL_HOME", os.path.expanduser("~/.cache/emorl")))


def gguf_path() -> Path:
    return asset_dir() / GGUF_NAME


def limit_threads():
    import torch

    torch.set_num_threads(2)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass


def gguf_field(reader, key):
    f = reader.fields[key]
    return f.contents()


def gguf_tokenizer_metadata(reader) -> dict:
    keys = [
        "tokenizer.ggml.model",
        "tokenizer.ggml.pre",
        "tokenizer.ggml.bos_token_id",
        "tokenizer.ggml.eos_token_id",
        "tokenizer.ggml.padding_token_id",
        "tokenizer.ggml.unknown_token_id",
        "tokenizer.ggml.add_bos_token",
        "tokenizer.ggml.add_space_prefix",
    ]
    out = {}
    for k in keys:
        if k in reader.fields:
            v = gguf_field(reader, k)
            out[k] = v.item() if hasattr(v, "item") else v
    return out


def build_reference_tokenizer(path: Path):
    """SmolLM2 tokenizer rebuilt with the `tokenizers` library from the GGUF's
    vocab, merges and token types, with the pre-tokenizer of the original
    HuggingFaceTB/SmolLM2 tokenizer.json:
        Sequence([Digits(individual_digits=True),
                  ByteLevel(add_prefix_space=False, use_regex=True)])
    decoder ByteLevel, no normalizer, no post-processor (no BOS/EOS added),
    control tokens (GGUF token_type 3) added as special tokens that match
    whole wherever they appear in the text.
    Returns (tokenizer, reader, control_tokens)."""
    from gguf import GGUFReader
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    reader = GGUFReader(str(path))
    tf = reader.fields["tokenizer.ggml.tokens"]
    tokens = [bytes(tf.parts[i]).decode("utf-8") for i in tf.data]
    mf = reader.fields["tokenizer.ggml.merges"]
    merges = [tuple(bytes(mf.parts[i]).decode("utf-8").split(" ", 1)) for i in mf.data]
    tt = reader.fields["tokenizer.ggml.token_type"]
    types = [int(tt.parts[i][0]) for i in tt.data]
    vocab = {t: i for i, t in enumerate(tokens)}
    assert len(vocab) == len(tokens), "duplicate token strings in GGUF vocab"
    bpe = models.BPE(
        vocab=vocab,
        merges=merges,
        dropout=None,
        continuing_subword_prefix="",
        end_of_word_suffix="",
        fuse_unk=False,
        byte_fallback=False,
    )
    tok = Tokenizer(bpe)
    tok.normalizer = None
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    control = [(i, t) for i, (t, ty) in enumerate(zip(tokens, types)) if ty == 3]
    tok.add_special_tokens(
        [AddedToken(t, special=True, normalized=False, lstrip=False, rstrip=False, single_word=False) for _, t in control]
    )
    for i, t in control:
        assert tok.token_to_id(t) == i
    return tok, reader, control
