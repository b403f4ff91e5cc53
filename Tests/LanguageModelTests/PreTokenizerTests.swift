import Testing
@testable import LanguageModel

/// The hand-written GPT-2 split pattern and SmolLM's digit isolation.
@Suite struct PreTokenizerTests {
    @Test(arguments: [
        ("Hello world", ["Hello", " world"]),
        ("a   b", ["a", "  ", " b"]),
        ("a   ", ["a", "   "]),
        ("   b", ["  ", " b"]),
        ("Hello\n\nWorld", ["Hello", "\n", "\n", "World"]),
        (" \nx", [" ", "\n", "x"]),
        ("  !!", [" ", " !!"]),
        ("don't DON'T", ["don", "'t", " DON", "'", "T"]),
        ("we'll they're 'sup", ["we", "'ll", " they", "'re", " '", "sup"]),
        ("a  1", ["a", "  ", "1"]),
        ("I've 12 apples", ["I", "'ve", " ", "1", "2", " apples"]),
        ("x\u{3000}y\u{A0}", ["x", "\u{3000}", "y", "\u{A0}"]),
        ("Ⅻ½ éa", ["Ⅻ", "½", " éa"]),
    ])
    func smolLMSplits(text: String, pieces: [String]) throws {
        #expect(try PreTokenizer(name: "smollm").pieces(of: text) == pieces)
    }

    @Test func gpt2KeepsNumbersTogether() throws {
        #expect(try PreTokenizer(name: "gpt2").pieces(of: "I've 12 apples  7") == ["I", "'ve", " 12", " apples", " ", " 7"])
    }

    @Test func piecesJoinBackToTheText() throws {
        let text = "Mixed 42 text,\twith   spaces\u{2003}and\r\nlines 'n' stuff!! 🙂\n\n"
        #expect(try PreTokenizer(name: "smollm").pieces(of: text).joined() == text)
    }
}
