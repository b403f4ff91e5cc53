import Foundation
import LanguageModel
import Tensors

/// LoRA adapters on disk in PEFT's layout, so Python tooling can load ours and we can load theirs.
///
/// A folder holds `adapter_config.json` and `adapter_model.safetensors` with one F32 tensor per factor, named
/// `base_model.model.model.layers.{i}.{self_attn|mlp}.{proj}.lora_A.weight` `[r, in]` and `….lora_B.weight` `[out, r]`.
/// q_proj and k_proj lora_B rows are stored in Hugging Face's RoPE order (see `RotaryRowOrder`). Each file is written
/// atomically (temporary file, then rename); loading checks every name, shape and setting against the model.
public enum PEFTAdapter {
    public static let configFile = "adapter_config.json"
    public static let weightsFile = "adapter_model.safetensors"

    /// PEFT's saved name of a projection factor ("A" or "B") in a block.
    public static func tensorName(block: Int, projection: Projection, factor: String) -> String {
        "base_model.model.model.layers.\(block).\(projection.modulePath).lora_\(factor).weight"
    }

    /// Writes `adapter` (laid out for `model`) into `directory`, creating it if needed.
    public static func save(_ adapter: LoRAAdapter, model: LlamaConfig, to directory: URL, baseModel: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let tensors = namedTensors(adapter.parameters, layout: adapter, model: model).mapValues(SafeTensorsWriter.Tensor.init)
        try SafeTensorsWriter.write(tensors, metadata: ["format": "pt"], to: directory.appendingPathComponent(weightsFile).path)
        let json = try PEFTAdapterConfig(lora: adapter.config, baseModel: baseModel).json()
        try AtomicFile.write(to: directory.appendingPathComponent(configFile).path) { try $0.append(contentsOf: Array(json)) }
    }

    /// A flat buffer laid out like `layout.parameters` (the parameters, or their gradients) as PEFT-named tensors,
    /// rows in PEFT's order.
    public static func namedTensors(_ values: [Float], layout: LoRAAdapter, model: LlamaConfig) -> [String: Matrix] {
        precondition(values.count == layout.parameters.count, "\(values.count) values for an adapter of \(layout.parameters.count)")
        var tensors: [String: Matrix] = [:]
        let r = layout.config.rank
        for slot in layout.slots {
            let a = Matrix(rows: r, cols: slot.inWidth, values: Array(values[slot.aOffset..<(slot.aOffset + r * slot.inWidth)]))
            var b = Matrix(rows: slot.outWidth, cols: r, values: Array(values[slot.bOffset..<(slot.bOffset + r * slot.outWidth)]))
            if RotaryRowOrder.applies(to: slot.projection) { b = reorderRows(b, headWidth: model.headWidth, toHuggingFace: true) }
            tensors[tensorName(block: slot.block, projection: slot.projection, factor: "A")] = a
            tensors[tensorName(block: slot.block, projection: slot.projection, factor: "B")] = b
        }
        return tensors
    }

    /// Reads the adapter in `directory` for `model`, checking the config and every tensor's name and shape.
    public static func load(from directory: URL, model: LlamaConfig) throws -> LoRAAdapter {
        let configURL = directory.appendingPathComponent(configFile), weightsPath = directory.appendingPathComponent(weightsFile).path
        guard let data = FileManager.default.contents(atPath: configURL.path) else {
            throw FileError(path: configURL.path, reason: "cannot be read: not a PEFT adapter folder, or missing")
        }
        let config = try PEFTAdapterConfig(json: data, path: configURL.path, blockCount: model.blockCount).lora
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(path: weightsPath) } catch let error as SafeTensorsError {
            throw FileError(path: weightsPath, reason: error.description)
        }
        var adapter = LoRAAdapter(config: config, model: model)
        var expected = Set<String>()
        for slot in adapter.slots {
            for (factor, shape, offset) in [("A", [config.rank, slot.inWidth], slot.aOffset), ("B", [slot.outWidth, config.rank], slot.bOffset)] {
                let name = tensorName(block: slot.block, projection: slot.projection, factor: factor)
                expected.insert(name)
                guard let info = file.tensors[name] else {
                    throw FileError(path: weightsPath, reason: "tensor \(name) is missing (adapter_config.json says it is adapted)")
                }
                guard info.shape == shape else {
                    throw FileError(path: weightsPath, reason: "tensor \(name) is \(info.shape), this model needs \(shape): an adapter for another model or rank")
                }
                var values: [Float]
                do { values = try file.floats(name) } catch let error as SafeTensorsError {
                    throw FileError(path: weightsPath, reason: error.description)
                }
                if factor == "B" && RotaryRowOrder.applies(to: slot.projection) {
                    values = reorderRows(Matrix(rows: shape[0], cols: shape[1], values: values), headWidth: model.headWidth,
                                         toHuggingFace: false).values
                }
                adapter.parameters.replaceSubrange(offset..<(offset + values.count), with: values)
            }
        }
        if let extra = file.tensorNames.first(where: { !expected.contains($0) }) {
            throw FileError(path: weightsPath, reason: "unexpected tensor \(extra): not covered by adapter_config.json")
        }
        return adapter
    }

    /// B `[out, r]` with rows moved between GGUF order and Hugging Face order.
    private static func reorderRows(_ b: Matrix, headWidth: Int, toHuggingFace: Bool) -> Matrix {
        var out = b
        for row in 0..<b.rows {
            let hf = RotaryRowOrder.huggingFaceRow(ofGGUFRow: row, headWidth: headWidth)
            let (from, to) = toHuggingFace ? (row, hf) : (hf, row)
            out.values.replaceSubrange((to * b.cols)..<((to + 1) * b.cols), with: b.values[(from * b.cols)..<((from + 1) * b.cols)])
        }
        return out
    }
}
