import LanguageModel
import Objectives

/// Builds objectives by name for the subcommands.
enum ObjectiveCatalog {
    /// The objectives named, in order; an unknown name is an error listing the known ones.
    static func make(_ names: [String], policy: LlamaModel, tokenizer: any Tokenizer) throws -> [any Objective] {
        try names.map { name in
            if name.hasPrefix(ExternalObjective.prefix) {
                return ExternalObjective(command: String(name.dropFirst(ExternalObjective.prefix.count)))
            }
            throw UnknownObjectiveError(name: name, known: ["external:<command>"])
        }
    }
}

/// An objective name nobody knows.
struct UnknownObjectiveError: Error, CustomStringConvertible {
    let name: String
    let known: [String]
    var description: String { "unknown objective \"\(name)\": known objectives are \(known.joined(separator: ", "))" }
}
