import CCurses

/// The ncurses `Screen`: the real terminal. Only the UI thread may use it (ncurses is not thread-safe).
///
/// `init` takes over the terminal (raw keys so ctrl-c arrives as a key, mouse with drag reports);
/// `close()`, deinit, `exit` and the fatal signals give it back (see `TerminalRestorer`).
public final class CursesScreen: Screen {
    public private(set) var size: Size
    public let supportsUnicode: Bool
    /// The colour depth styles are mapped to.
    public let depth: ColorDepth
    /// Colour pairs allocated so far, by (foreground, background) colour number (-1 = default).
    private var pairs: [PairKey: Int32] = [:]
    private let maxPairs: Int

    private struct PairKey: Hashable {
        var foreground: Int
        var background: Int
    }

    // MARK: - Lifecycle

    /// Takes over the terminal; `environment` decides the colour depth (`NO_COLOR`, `COLORTERM`, `TERM`).
    public init(environment: [String: String]) {
        setlocale(LC_ALL, "")
        supportsUnicode = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().filter { $0 != "-" } == "UTF8"
        initscr()
        TerminalRestorer.arm()
        raw()
        noecho()
        nonl()
        keypad(emorl_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(emorl_colors())
        }
        depth = ColorDepth.detect(environment: environment, terminalColors: colors)
        maxPairs = Int(emorl_color_pairs())
        mousemask(emorl_all_mouse_events() | emorl_report_mouse_position(), nil)
        mouseinterval(0)
        TerminalRestorer.mouseTrackingOn.withCString { _ = write(STDOUT_FILENO, $0, strlen($0)) }
        size = Size(width: 0, height: 0)
        updateSize()
    }

    /// Gives the terminal back; drawing afterwards is undefined.
    public func close() { TerminalRestorer.restore() }

    deinit { TerminalRestorer.restore() }

    private func updateSize() {
        var rows: Int32 = 0, columns: Int32 = 0
        emorl_size(&rows, &columns)
        size = Size(width: Int(columns), height: Int(rows))
    }

    // MARK: - Screen

    public func put(_ text: String, x: Int, y: Int, style: Style) {
        guard y >= 0, y < size.height, x < size.width else { return }
        var text = supportsUnicode ? text : CursesScreen.ascii(text)
        var x = x
        while x < 0, let first = text.first {
            x += TextWidth.of(first)
            text.removeFirst()
        }
        let visible = TextWidth.prefix(of: text, fitting: size.width - x)
        guard !visible.isEmpty else { return }
        apply(style)
        var wide = visible.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        // The bottom-right cell makes ncurses scroll the line; an error there is expected and harmless.
        _ = mvaddwstr(Int32(y), Int32(x), wide)
    }

    public func clear(style: Style) {
        apply(style)
        let blank = String(repeating: " ", count: size.width)
        for y in 0..<size.height { _ = mvaddstr(Int32(y), 0, blank) }
    }

    public func flush() { refresh() }

    // MARK: - Input

    /// The next input, waiting up to `timeoutMilliseconds` (negative: forever); nil when none came.
    public func readEvent(timeoutMilliseconds: Int32) -> InputEvent? {
        timeout(timeoutMilliseconds)
        var character: wint_t = 0
        let result = get_wch(&character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES { return special(Int32(character)) }
        return ordinary(UInt32(character))
    }

    private func special(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_RESIZE: updateSize(); return .resize
        case KEY_MOUSE: return mouse()
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_SLEFT: return .key(.shiftLeft)
        case KEY_SRIGHT: return .key(.shiftRight)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        default: return nil
        }
    }

    private func ordinary(_ code: UInt32) -> InputEvent? {
        switch code {
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.control(Character(Unicode.Scalar(code + 96)!)))
        default: return Unicode.Scalar(code).map { .key(.character(Character($0))) }
        }
    }

    private func mouse() -> InputEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = event.bstate
        let kind: MouseEvent.Kind
        if state & emorl_button1_pressed() != 0 { kind = .press }
        else if state & emorl_button1_released() != 0 { kind = .release }
        else if state & emorl_button4_pressed() != 0 { kind = .scrollUp }
        else if state & emorl_button5_pressed() != 0 { kind = .scrollDown }
        else if state & emorl_report_mouse_position() != 0 { kind = .drag }
        else { return nil }
        return .mouse(MouseEvent(kind: kind, x: Int(event.x), y: Int(event.y)))
    }

    // MARK: - Styles

    /// Sets the ncurses attributes and colour pair for `style` at this screen's depth.
    private func apply(_ style: Style) {
        var attributes = style.attributes
        if depth == .monochrome { attributes.formUnion(style.monochrome) }
        var bits = emorl_a_normal()
        if attributes.contains(.bold) { bits |= emorl_a_bold() }
        if attributes.contains(.dim) { bits |= emorl_a_dim() }
        if attributes.contains(.underline) { bits |= emorl_a_underline() }
        if attributes.contains(.reverse) { bits |= emorl_a_reverse() }
        _ = emorl_attr_set(bits, pair(for: style))
    }

    /// The colour pair for the style's colours, allocated on first use (0, the default, when out of pairs).
    private func pair(for style: Style) -> Int32 {
        guard depth != .monochrome else { return 0 }
        let key = PairKey(foreground: style.foreground.flatMap(depth.colorNumber) ?? -1,
                          background: style.background.flatMap(depth.colorNumber) ?? -1)
        if let pair = pairs[key] { return pair }
        let number = Int32(pairs.count + 1)
        guard Int(number) < maxPairs, init_extended_pair(number, Int32(key.foreground), Int32(key.background)) == OK else { return 0 }
        pairs[key] = number
        return number
    }

    /// `text` with common typographic characters spelled in ASCII and anything else as `?`.
    static func ascii(_ text: String) -> String {
        String(text.flatMap { character -> String in
            if character.isASCII { return String(character) }
            switch character {
            case "…": return "..."
            case "×": return "x"
            case "·": return "|"
            case "–", "—": return "-"
            default: return String(repeating: "?", count: max(1, TextWidth.of(character)))
            }
        })
    }
}
