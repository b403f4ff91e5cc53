/// One line on a chart: points in data coordinates and the style to draw them in.
public struct ChartSeries: Sendable {
    public var points: [(x: Double, y: Double)]
    public var style: Style

    public init(points: [(x: Double, y: Double)], style: Style) {
        self.points = points
        self.style = style
    }

    /// The series smoothed by an exponential moving average (`alpha` weight on the newest point).
    public func smoothed(alpha: Double) -> ChartSeries {
        var average: Double?
        let points = points.map { point in
            let next = average.map { $0 + alpha * (point.y - $0) } ?? point.y
            average = next
            return (x: point.x, y: next)
        }
        return ChartSeries(points: points, style: style)
    }
}

/// A line chart of several series over a window of time, with y-axis labels.
public struct LineChart {
    public var series: [ChartSeries]
    /// The x range shown (see `window`).
    public var xRange: ClosedRange<Double>
    /// The y range shown; nil fits the visible points.
    public var yRange: ClosedRange<Double>?
    public var glyphs: ChartGlyphs

    public init(series: [ChartSeries], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>? = nil, glyphs: ChartGlyphs) {
        self.series = series
        self.xRange = xRange
        self.yRange = yRange
        self.glyphs = glyphs
    }

    // MARK: - Time window

    /// The x window for data spanning `data`: `zoom` halves the span per level, `scrollBack` moves
    /// the window's end back from the newest x (both clamped so the window stays on the data).
    public static func window(data: ClosedRange<Double>, zoom: Int, scrollBack: Double) -> ClosedRange<Double> {
        let fullSpan = max(data.upperBound - data.lowerBound, 1)
        let span = fullSpan / Double(1 << min(max(zoom, 0), 20))
        let end = min(data.upperBound, max(data.lowerBound + span, data.upperBound - max(0, scrollBack)))
        return (end - span)...end
    }

    /// The y range that fits the points of all series inside `xRange`, padded by 5 %.
    public func fittedYRange() -> ClosedRange<Double> {
        if let yRange { return yRange }
        let ys = series.flatMap { $0.points.filter { xRange.contains($0.x) }.map(\.y) }
        guard let low = ys.min(), let high = ys.max() else { return 0...1 }
        let pad = high > low ? (high - low) * 0.05 : 0.05
        return (low - pad)...(high + pad)
    }

    // MARK: - Drawing

    /// Draws the axis labels on the left and the series right of them.
    public func draw(in rect: Rect, on screen: Screen, theme: Theme) {
        guard rect.width >= 8, rect.height >= 2 else { return }
        let y = fittedYRange()
        let labels = [y.upperBound, (y.lowerBound + y.upperBound) / 2, y.lowerBound].map(LineChart.label)
        let labelWidth = labels.map { TextWidth.of($0) }.max()! + 1
        let (axis, plot) = rect.splitLeft(labelWidth)
        let rows = rect.height >= 5 ? [0, (rect.height - 1) / 2, rect.height - 1] : [0, rect.height - 1]
        for (row, text) in zip(rows, rows.count == 3 ? labels : [labels[0], labels[2]]) {
            screen.put(TextWidth.padded(text, to: labelWidth - 1, alignRight: true), x: axis.x, y: axis.y + row, style: theme.muted)
        }
        let canvas = plotted(width: plot.width, height: plot.height, yRange: y)
        for row in 0..<plot.height {
            for column in 0..<plot.width {
                guard let (character, owner) = canvas.cell(column: column, row: row) else { continue }
                screen.put(String(character), x: plot.x + column, y: plot.y + row, style: series[owner].style)
            }
        }
    }

    /// The canvas with every series drawn as connected dots, later series on top.
    public func plotted(width: Int, height: Int, yRange y: ClosedRange<Double>) -> DotCanvas {
        var canvas = DotCanvas(width: width, height: height, glyphs: glyphs)
        let xSpan = max(xRange.upperBound - xRange.lowerBound, .leastNonzeroMagnitude)
        let ySpan = max(y.upperBound - y.lowerBound, .leastNonzeroMagnitude)
        func dot(_ p: (x: Double, y: Double)) -> (x: Int, y: Int) {
            let fx = (p.x - xRange.lowerBound) / xSpan, fy = (y.upperBound - p.y) / ySpan
            return (Int((fx * Double(canvas.dotWidth - 1)).rounded()), Int((fy * Double(canvas.dotHeight - 1)).rounded()))
        }
        for (index, line) in series.enumerated() {
            let visible = line.points.indices.filter { i in
                xRange.contains(line.points[i].x)
                    || (i + 1 < line.points.count && line.points[i + 1].x >= xRange.lowerBound && line.points[i].x < xRange.lowerBound)
                    || (i > 0 && line.points[i - 1].x <= xRange.upperBound && line.points[i].x > xRange.upperBound)
            }
            var previous: (x: Int, y: Int)?
            for i in visible {
                let here = dot(line.points[i])
                if let previous { canvas.line(from: previous, to: here, series: index) } else { canvas.set(x: here.x, y: here.y, series: index) }
                previous = here
            }
        }
        return canvas
    }

    /// A short axis label: two decimals for small magnitudes, fewer for large ones.
    static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        let digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2
        return Format.fixed(value, digits: digits)
    }
}
