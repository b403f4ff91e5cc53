import Ensemble
/// What a mouse click at a cell lands on.
public enum HitTarget: Hashable, Sendable {
    /// Somewhere in a panel that is not a control: focus it.
    case panel(Panel)
    /// An objective's row or slider label: select it.
    case objective(Int)
    /// Slider `index`'s track: set the weight to `value`.
    case slider(index: Int, value: Double)
    /// An aggregation mode name: switch to it.
    case aggregation(AggregationMode)
    /// A button, a bottom-bar item, or a click that stands for a key: do `action`.
    case button(Action)
}

/// A clickable region and what a click on it means (which may depend on where it lands; nil: nothing).
struct Control {
    var rect: Rect
    var target: (Point) -> HitTarget?

    init(rect: Rect, target: HitTarget) {
        self.rect = rect
        self.target = { _ in target }
    }

    init(rect: Rect, target: @escaping (Point) -> HitTarget?) {
        self.rect = rect
        self.target = target
    }
}

/// A panel of the dashboard: it knows its controls and draws itself, from one geometry.
protocol PanelView {
    /// The clickable regions, front to back.
    var controls: [Control] { get }
    /// Draws the panel.
    func draw(on screen: Screen, theme: Theme)
}
