/// The dashboard's view: draws a `DashboardState` into a `Screen` and tells what a click hits,
/// both from the same `Layout` and panel geometry.
public enum Dashboard {
    // MARK: - Rendering

    /// Draws a whole frame of `state` (or the too-small notice) and flushes the screen.
    public static func render(_ state: DashboardState, theme: Theme, keys: KeyTable = .standard, on screen: Screen) {
        let layout = layout(of: state, size: screen.size)
        if layout.isTooSmall {
            TooSmallNotice(needed: Layout.minimum).draw(on: screen, theme: theme)
        } else {
            screen.clear(style: theme.text)
            for view in views(state, layout: layout, keys: keys) { view.draw(on: screen, theme: theme) }
            if let message = state.errorBanner { drawBanner(message, in: layout.banner, on: screen, theme: theme) }
            for overlay in overlays(state, layout: layout, keys: keys) { overlay.draw(on: screen, theme: theme) }
        }
        screen.flush()
    }

    /// The layout `state` is drawn in on a screen of `size`.
    public static func layout(of state: DashboardState, size: Size) -> Layout {
        Layout(size: size, objectives: state.objectives.count, banner: state.errorBanner != nil,
               comparing: state.reflection.comparison != nil)
    }

    private static func drawBanner(_ message: String, in rect: Rect, on screen: Screen, theme: Theme) {
        let style = theme.bad.with(.reverse)
        screen.fill(rect, style: style)
        screen.put(TextWidth.truncated(" ! \(message)  (esc dismisses)", to: rect.width), x: rect.x, y: rect.y, style: style)
    }

    // MARK: - Hit testing

    /// What a click at (x, y) hits: a control of the topmost overlay, the bottom bar, the banner,
    /// a panel's control, or the panel itself; nil for nothing (or a too-small terminal).
    public static func hitTest(x: Int, y: Int, state: DashboardState, size: Size, keys: KeyTable = .standard) -> HitTarget? {
        let layout = layout(of: state, size: size)
        guard !layout.isTooSmall else { return nil }
        let point = Point(x: x, y: y)
        let overlays = overlays(state, layout: layout, keys: keys)
        if let top = overlays.last {
            return top.controls.first { $0.rect.contains(x: x, y: y) }?.target(point)
        }
        if layout.banner.contains(x: x, y: y) { return .button(.back) }
        for view in views(state, layout: layout, keys: keys) {
            if let control = view.controls.first(where: { $0.rect.contains(x: x, y: y) }), let target = control.target(point) {
                return target
            }
        }
        return Panel.allCases.first { layout.rect(of: $0).contains(x: x, y: y) }.map(HitTarget.panel)
    }

    /// The weight slider `index` would take with the mouse at column `x` (for drags that leave the track).
    public static func sliderValue(index: Int, x: Int, state: DashboardState, size: Size) -> Double? {
        let layout = layout(of: state, size: size)
        guard !layout.isTooSmall, state.objectives.indices.contains(index) else { return nil }
        return WeightsPanel(state: state, rect: layout.weights).slider(index).value(atColumn: x)
    }

    // MARK: - Views

    /// The panels and the bottom bar, in drawing order.
    private static func views(_ state: DashboardState, layout: Layout, keys: KeyTable) -> [PanelView] {
        var views: [PanelView] = [
            TrainingPanel(state: state, rect: layout.training),
            WeightsPanel(state: state, rect: layout.weights),
            ReflectionPanel(state: state, rect: layout.reflection),
        ]
        if !layout.search.isEmpty { views.append(SearchPanel(state: state, rect: layout.search)) }
        views.append(BottomBar(table: keys, context: state.keyContext, rect: layout.bottomBar))
        return views
    }

    /// The overlays shown, bottom to top.
    private static func overlays(_ state: DashboardState, layout: Layout, keys: KeyTable) -> [PanelView] {
        var overlays: [PanelView] = []
        if state.helpVisible { overlays.append(HelpOverlay(table: keys, scroll: state.helpScroll, screenRect: Rect(size: layout.size))) }
        if let question = state.question { overlays.append(QuestionDialog(question: question, screenRect: Rect(size: layout.size))) }
        return overlays
    }
}
