@testable import Objectives
import Tensors
import Testing

/// WordPiece and basic tokenisation, on a tiny vocabulary and on the real one.
struct WordPieceTokenizerTests {
    static let tiny = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "hello", ",", "!", "cafe", "中", "国", "a"]

    @Test func greedyLongestMatchWithContinuations() throws {
        let tokenizer = try WordPieceTokenizer(tokens: Self.tiny)
        #expect(tokenizer.tokenize("unaffable") == ["un", "##aff", "##able"])
        #expect(tokenizer.tokenize("unaffablex") == ["[UNK]"])
    }

    @Test func basicTokenisation() throws {
        let tokenizer = try WordPieceTokenizer(tokens: Self.tiny)
        #expect(tokenizer.tokenize(" HeLLo,\tCAFÉ!\u{0}\u{200B} ") == ["hello", ",", "cafe", "!"])
        #expect(tokenizer.tokenize("中国") == ["中", "国"])
        #expect(BasicTokenizer().words("Ça  va?\u{2028}Non…") == ["ca", "va", "?", "non", "…"])
    }

    @Test func framesAndTruncates() throws {
        let tokenizer = try WordPieceTokenizer(tokens: Self.tiny, maxLength: 5)
        #expect(tokenizer.encode("") == [2, 3])
        #expect(tokenizer.encode("a a a a a a") == [2, 13, 13, 13, 3])
    }

    @Test func specialTokensInTheTextStaySpecial() throws {
        let tokenizer = try WordPieceTokenizer(tokens: Self.tiny)
        #expect(tokenizer.encode("a[SEP]hello [cls]") == [2, 13, 3, 7, 1, 1, 1, 3])
    }

    @Test func overlongWordIsUnknown() throws {
        let tokenizer = try WordPieceTokenizer(tokens: Self.tiny)
        #expect(tokenizer.tokenize(String(repeating: "a", count: 101)) == ["[UNK]"])
    }

    @Test func missingSpecialTokenIsNamed() {
        #expect(throws: FileError(path: "vocabulary", reason: "vocabulary has no [SEP] token")) {
            try WordPieceTokenizer(tokens: ["[CLS]", "[UNK]"])
        }
    }

    @Test func realVocabulary() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyPath: Assets.encoder.vocabularyPath)
        #expect(tokenizer.tokens.count == 30522)
        #expect(tokenizer.maxLength == 256)
        // Reference: transformers BertTokenizerFast on the same vocab.txt.
        #expect(tokenizer.encode("Héllo, wörld! I feel SO tired of my job...")
            == [101, 7592, 1010, 2088, 999, 1045, 2514, 2061, 5458, 1997, 2026, 3105, 1012, 1012, 1012, 102])
        #expect(tokenizer.encode(String(repeating: "word ", count: 400)).count == 256)
    }
}
