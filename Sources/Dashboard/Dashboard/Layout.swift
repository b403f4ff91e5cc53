/// Where the panels go on a terminal of a given size.
///
/// ```
/// error banner (a row, only when there is an error)
/// training    (3/5 wide, half high) | weights (N + 4 rows)
/// reflection  (3/5 wide, the rest)  | search  (the rest)
/// bottom bar  (a row)
/// ```
/// While comparing, the reflection spans the whole bottom half and search is hidden.
public struct Layout: Hashable, Sendable {
    /// The smallest terminal the dashboard draws in; below it the too-small notice shows.
    public static let minimum = Size(width: 80, height: 24)

    public let size: Size
    public let banner: Rect
    public let training: Rect
    public let weights: Rect
    public let reflection: Rect
    public let search: Rect
    public let bottomBar: Rect

    /// The layout for `size`, `objectives` sliders, an optional banner row and compare mode.
    public init(size: Size, objectives: Int, banner: Bool = false, comparing: Bool = false) {
        self.size = size
        let screen = Rect(size: size)
        let (body, bar) = screen.splitBottom(1)
        let (bannerRow, panels) = body.splitTop(banner ? 1 : 0)
        self.banner = bannerRow
        bottomBar = bar
        let weightsHeight = min(objectives, 5) + 4
        let leftWidth = panels.width * 3 / 5
        if comparing {
            let topHeight = max(weightsHeight, panels.height / 2)
            let (top, bottom) = panels.splitTop(topHeight)
            (training, weights) = top.splitLeft(leftWidth)
            reflection = bottom
            search = Rect(x: bottom.x, y: bottom.maxY, width: 0, height: 0)
        } else {
            let (left, right) = panels.splitLeft(leftWidth)
            (training, reflection) = left.splitTop((left.height + 1) / 2)
            (weights, search) = right.splitTop(weightsHeight)
        }
    }

    /// Whether the terminal is below the minimum size.
    public var isTooSmall: Bool { size.width < Layout.minimum.width || size.height < Layout.minimum.height }

    /// The rectangle of `panel` (empty when hidden).
    public func rect(of panel: Panel) -> Rect {
        switch panel {
        case .training: training
        case .weights: weights
        case .reflection: reflection
        case .search: search
        }
    }

    /// Every region that is shown, panels first, for overlap checks.
    public var regions: [Rect] {
        (Panel.allCases.map(rect(of:)) + [banner, bottomBar]).filter { !$0.isEmpty }
    }
}
