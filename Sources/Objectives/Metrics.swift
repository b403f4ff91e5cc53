/// Agreement measures between scores and human labels, as the scorer cards report them.
public enum Metrics {
    /// Area under the ROC curve: the probability that a random positive outscores a random negative (ties count ½).
    public static func auroc(positives: [Double], negatives: [Double]) -> Double {
        precondition(!positives.isEmpty && !negatives.isEmpty, "AUROC needs at least one positive and one negative")
        let ranks = averageRanks(positives + negatives)
        let positiveRankSum = ranks.prefix(positives.count).reduce(0, +)
        let n = Double(positives.count), m = Double(negatives.count)
        return (positiveRankSum - n * (n + 1) / 2) / (n * m)
    }

    /// Spearman's rank correlation (Pearson on average ranks, so ties are handled).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count && x.count >= 2, "Spearman needs two equal-length lists of 2 or more")
        return pearson(averageRanks(x), averageRanks(y))
    }

    /// Pearson's correlation; 0 when either list is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }

    /// The fraction of predictions equal to the labels.
    public static func accuracy(predicted: [Int], actual: [Int]) -> Double {
        precondition(predicted.count == actual.count && !actual.isEmpty)
        return Double(zip(predicted, actual).filter { $0 == $1 }.count) / Double(actual.count)
    }

    /// The unweighted mean over classes `0..<classes` of F1 (a class never predicted nor present scores 0).
    public static func macroF1(predicted: [Int], actual: [Int], classes: Int) -> Double {
        precondition(predicted.count == actual.count && !actual.isEmpty)
        var total = 0.0
        for k in 0..<classes {
            let truePositives = Double(zip(predicted, actual).filter { $0 == k && $1 == k }.count)
            let predictedK = Double(predicted.filter { $0 == k }.count), actualK = Double(actual.filter { $0 == k }.count)
            total += predictedK + actualK > 0 ? 2 * truePositives / (predictedK + actualK) : 0
        }
        return total / Double(classes)
    }

    /// 1-based ranks, ties given the mean of the ranks they span.
    static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            let rank = Double(start + end + 1) / 2
            for i in start..<end { ranks[order[i]] = rank }
            start = end
        }
        return ranks
    }
}
