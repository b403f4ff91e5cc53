import Testing
@testable import Dashboard

@Suite struct ChartTests {
    let style = Style(foreground: RGB(1, 2, 3))

    /// y = x over 4×4 dots (2 cells): dots (0,3), (1,2), (2,1), (3,0) from the top left.
    @Test func brailleDotsOfADiagonal() {
        let chart = LineChart(series: [ChartSeries(points: (0...3).map { (x: Double($0), y: Double($0)) }, style: style)],
                              xRange: 0...3, glyphs: .braille)
        let canvas = chart.plotted(width: 2, height: 1, yRange: 0...3)
        #expect(canvas.cell(column: 0, row: 0)?.character == "\u{2860}")  // dots 6 (0x20) and 7 (0x40)
        #expect(canvas.cell(column: 1, row: 0)?.character == "\u{280A}")  // dots 2 (0x02) and 4 (0x08)
    }

    @Test func everyBrailleDotHasItsBit() {
        var seen: Set<Character> = []
        for dx in 0..<2 {
            for dy in 0..<4 {
                var canvas = DotCanvas(width: 1, height: 1, glyphs: .braille)
                canvas.set(x: dx, y: dy, series: 0)
                seen.insert(canvas.cell(column: 0, row: 0)!.character)
            }
        }
        #expect(seen == Set("⠁⠂⠄⡀⠈⠐⠠⢀"))
    }

    @Test func lineFillsTheGapsAndTheLastSeriesOwnsTheCell() {
        var canvas = DotCanvas(width: 4, height: 1, glyphs: .braille)
        canvas.line(from: (0, 0), to: (7, 0), series: 0)
        canvas.set(x: 7, y: 3, series: 1)
        for column in 0..<4 { #expect(canvas.cell(column: column, row: 0) != nil) }
        #expect(canvas.cell(column: 3, row: 0)?.series == 1)
        #expect(canvas.cell(column: 0, row: 0)?.series == 0)
    }

    @Test func blockAndAsciiFallbacks() {
        for (glyphs, top, bottom, both) in [(ChartGlyphs.blocks, "▀", "▄", "█"), (.ascii, "'", ".", ":")] as [(ChartGlyphs, Character, Character, Character)] {
            var canvas = DotCanvas(width: 3, height: 1, glyphs: glyphs)
            canvas.set(x: 0, y: 0, series: 0)
            canvas.set(x: 1, y: 1, series: 0)
            canvas.set(x: 2, y: 0, series: 0)
            canvas.set(x: 2, y: 1, series: 0)
            #expect(canvas.cell(column: 0, row: 0)?.character == top)
            #expect(canvas.cell(column: 1, row: 0)?.character == bottom)
            #expect(canvas.cell(column: 2, row: 0)?.character == both)
        }
    }

    @Test func smoothingIsAnExponentialMovingAverage() {
        let smoothed = ChartSeries(points: [(0, 0), (1, 10), (2, 10)], style: style).smoothed(alpha: 0.5)
        #expect(smoothed.points.map(\.y) == [0, 5, 7.5])
    }

    @Test func zoomAndScrollWindow() {
        #expect(LineChart.window(data: 0...400, zoom: 0, scrollBack: 0) == 0...400)
        #expect(LineChart.window(data: 0...400, zoom: 1, scrollBack: 0) == 200...400)
        #expect(LineChart.window(data: 0...400, zoom: 2, scrollBack: 100) == 200...300)
        #expect(LineChart.window(data: 0...400, zoom: 2, scrollBack: 1000) == 0...100, "clamped at the start")
    }

    @Test func yAxisLabelsAndClipping() {
        let grid = CellGrid(size: Size(width: 20, height: 5))
        LineChart(series: [ChartSeries(points: [(0, -1), (10, 1)], style: style)], xRange: 0...10, yRange: -1...1, glyphs: .braille)
            .draw(in: grid.bounds, on: grid, theme: .standard)
        let lines = grid.textDump().split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix(" 1.00"))
        #expect(lines[2].hasPrefix(" 0.00"))
        #expect(lines[4].hasPrefix("-1.00"))
    }
}
