import Foundation
import LanguageModel
import Tensors

/// The fields of PEFT's `adapter_config.json` that define a LoRA adapter, read strictly and written as PEFT writes them.
struct PEFTAdapterConfig {
    var lora: LoRAConfig
    var baseModel: String

    /// The JSON object PEFT's `LoraConfig.from_pretrained` reads (keys sorted, pretty-printed).
    func json() throws -> Data {
        let object: [String: Any] = [
            "alpha_pattern": [String: Any](), "base_model_name_or_path": baseModel, "bias": "none", "fan_in_fan_out": false,
            "inference_mode": true, "init_lora_weights": true, "layers_pattern": NSNull(), "layers_to_transform": lora.blocks,
            "lora_alpha": Self.decimal(lora.alpha), "lora_dropout": Self.decimal(lora.dropout), "modules_to_save": NSNull(),
            "peft_type": "LORA", "r": lora.rank, "rank_pattern": [String: Any](), "revision": NSNull(),
            "target_modules": lora.projections.map(\.rawValue), "task_type": "CAUSAL_LM", "use_dora": false, "use_rslora": false,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    init(lora: LoRAConfig, baseModel: String) {
        self.lora = lora
        self.baseModel = baseModel
    }

    /// Reads `adapter_config.json`, refusing what this engine cannot apply exactly (DoRA, rsLoRA, per-module ranks, …).
    /// `blockCount` resolves a missing `layers_to_transform` (every block) and bounds the listed ones.
    init(json data: Data, path: String, blockCount: Int) throws {
        func fail(_ reason: String) -> FileError { FileError(path: path, reason: reason) }
        guard let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any] else {
            throw fail("not a JSON object")
        }
        guard fields["peft_type"] as? String == "LORA" else {
            throw fail("peft_type is \(fields["peft_type"].map { "\($0)" } ?? "missing"), expected \"LORA\"")
        }
        guard let rank = fields["r"] as? Int, rank > 0 else { throw fail("\"r\" must be a positive integer") }
        guard let alpha = (fields["lora_alpha"] as? NSNumber)?.floatValue else { throw fail("\"lora_alpha\" must be a number") }
        let dropout = (fields["lora_dropout"] as? NSNumber)?.floatValue ?? 0
        guard dropout >= 0 && dropout < 1 else { throw fail("\"lora_dropout\" \(dropout) outside [0, 1)") }
        for (key, supported) in [("use_dora", false), ("use_rslora", false), ("fan_in_fan_out", false)] {
            if let value = fields[key] as? Bool, value != supported { throw fail("\"\(key)\": \(value) is not supported") }
        }
        if let bias = fields["bias"] as? String, bias != "none" { throw fail("\"bias\": \"\(bias)\" is not supported (only \"none\")") }
        for key in ["rank_pattern", "alpha_pattern"] {
            if let pattern = fields[key] as? [String: Any], !pattern.isEmpty { throw fail("\"\(key)\" (per-module ranks) is not supported") }
        }
        if let modules = fields["modules_to_save"], !(modules is NSNull) { throw fail("\"modules_to_save\" is not supported") }

        guard let targets = fields["target_modules"] as? [String] else {
            throw fail("\"target_modules\" must be a list of projection names (a regular expression is not supported)")
        }
        for target in targets where Projection(rawValue: target) == nil {
            throw fail("target module \"\(target)\" is not a llama projection (\(Projection.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let blocks: [Int]
        switch fields["layers_to_transform"] {
        case nil, is NSNull: blocks = Array(0..<blockCount)
        case let layer as Int: blocks = [layer]
        case let layers as [Int]: blocks = layers
        default: throw fail("\"layers_to_transform\" must be null, an integer or a list of integers")
        }
        guard !blocks.isEmpty, Set(blocks).count == blocks.count else { throw fail("\"layers_to_transform\" \(blocks) is empty or repeats a layer") }
        if let outside = blocks.first(where: { $0 < 0 || $0 >= blockCount }) {
            throw fail("adapts layer \(outside) but the model has \(blockCount) blocks: an adapter for another model")
        }
        lora = LoRAConfig(rank: rank, alpha: alpha, dropout: dropout,
                          projections: Projection.allCases.filter { targets.contains($0.rawValue) }, blocks: blocks)
        baseModel = fields["base_model_name_or_path"] as? String ?? ""
    }

    /// A Float as the decimal it prints as (0.05, not 0.0500000007), integral values as integers.
    private static func decimal(_ value: Float) -> Any {
        value == value.rounded() ? Int(value) as Any : Double("\(value)")! as Any
    }
}
