import Foundation

/// The paper's comparison table: per method, each objective's mean test score, their mean, distinct-2 and
/// response length, and the training it took, as mean ± std over the seeds the method was trained with.
public struct EvaluationTable: Sendable, Codable, Equatable {
    /// One method on one seed.
    public struct Run: Sendable, Codable, Equatable {
        public var seed: Int?
        /// Per objective, in the table's order: the mean score over the test prompts.
        public var objectiveMeans: [Double]
        public var distinct2: Double
        public var meanLength: Double
        /// Training prompts consumed and wall seconds (summed over the adapters the method combines).
        public var dataPoints: Int
        public var trainingSeconds: Double

        public init(seed: Int?, objectiveMeans: [Double], distinct2: Double, meanLength: Double, dataPoints: Int, trainingSeconds: Double) {
            self.seed = seed
            self.objectiveMeans = objectiveMeans
            self.distinct2 = distinct2
            self.meanLength = meanLength
            self.dataPoints = dataPoints
            self.trainingSeconds = trainingSeconds
        }

        public var mean: Double { objectiveMeans.reduce(0, +) / Double(objectiveMeans.count) }
    }

    /// A method's runs, and what is missing for the seeds it lacks.
    public struct Row: Sendable, Codable, Equatable {
        public var method: String
        public var runs: [Run]
        public var missing: [String]

        public init(method: String, runs: [Run], missing: [String] = []) {
            self.method = method
            self.runs = runs
            self.missing = missing
        }
    }

    public var objectives: [String]
    public var rows: [Row]

    public init(objectives: [String], rows: [Row]) {
        self.objectives = objectives
        self.rows = rows
    }

    /// Mean and sample standard deviation (0 for one value).
    static func summary(_ values: [Double]) -> (mean: Double, std: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        return (mean, (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot())
    }

    /// The columns of a row with runs, formatted: per objective, mean, distinct-2, length, data points, seconds.
    func cells(_ row: Row, digits: Int, separator: String) -> [String] {
        func cell(_ values: [Double], _ digits: Int) -> String {
            let (mean, std) = Self.summary(values)
            return String(format: "%.\(digits)f", mean) + separator + String(format: "%.\(digits)f", std)
        }
        var out = objectives.indices.map { i in cell(row.runs.map { $0.objectiveMeans[i] }, digits) }
        out.append(cell(row.runs.map(\.mean), digits))
        out.append(cell(row.runs.map(\.distinct2), digits))
        out.append(cell(row.runs.map(\.meanLength), 1))
        out.append(cell(row.runs.map { Double($0.dataPoints) }, 0))
        out.append(cell(row.runs.map(\.trainingSeconds), 0))
        return out
    }

    var header: [String] { objectives + ["mean", "distinct-2", "length", "data points", "training s"] }

    /// A Markdown table: mean ± std over seeds (n seeds per row), methods with no run listed below it.
    public var markdown: String {
        var lines = ["| method | n | " + header.joined(separator: " | ") + " |",
                     "|---|---:|" + header.map { _ in "---:" }.joined(separator: "|") + "|"]
        for row in rows where !row.runs.isEmpty {
            lines.append("| \(row.method) | \(row.runs.count) | " + cells(row, digits: 3, separator: " ± ").joined(separator: " | ") + " |")
        }
        let missing = rows.flatMap { row in row.missing.map { "- \(row.method): \($0)" } }
        if !missing.isEmpty { lines += ["", "Not evaluated (missing inputs):"] + missing }
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV: one line per method with each figure's mean and std in two columns.
    public var csv: String {
        let columns = ["method", "seeds"] + header.flatMap { ["\($0) mean", "\($0) std"] }
        var lines = [columns.map(Self.quoted).joined(separator: ",")]
        for row in rows where !row.runs.isEmpty {
            let figures = cells(row, digits: 4, separator: ",")
            lines.append(([Self.quoted(row.method), "\(row.runs.count)"] + figures).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quoted(_ field: String) -> String {
        field.contains(where: { ",\"\n".contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    /// Distinct-2: distinct word bigrams over all bigrams of `responses` (0 when there are none).
    public static func distinct2(_ responses: [String]) -> Double {
        var all = 0
        var seen = Set<String>()
        for response in responses {
            let words = response.lowercased().split(whereSeparator: \.isWhitespace)
            guard words.count > 1 else { continue }
            for i in 1..<words.count {
                seen.insert(words[i - 1] + " " + words[i])
                all += 1
            }
        }
        return all == 0 ? 0 : Double(seen.count) / Double(all)
    }
}
