import Testing
@testable import Dashboard

@Suite struct KeyTableTests {
    let table = KeyTable.standard

    @Test func noTwoBindingsClashInOneContext() {
        let clashes = table.clashes()
        #expect(clashes.isEmpty, "\(clashes.map { "\($0.0.label): \($0.1.action) vs \($0.2.action) in \($0.2.context)" })")
    }

    @Test func clashesAreFound() {
        let bad = KeyTable(bindings: [
            Binding(keys: [.character("q")], action: .quit, description: "quit", context: .global, barLabel: nil),
            Binding(keys: [.character("q")], action: .startSearch, description: "oops", context: .search, barLabel: nil),
        ])
        #expect(bad.clashes().count == 1)
    }

    @Test func helpListsEveryBinding() {
        let lines = HelpOverlay.lines(of: table)
        for binding in table.bindings {
            #expect(lines.contains(.binding(keys: binding.keyLabel, description: binding.description)))
        }
        #expect(lines.count == table.bindings.count + Set(table.bindings.map(\.context)).count)
    }

    @Test func everyActionHasAKey() {
        let bound = Set(table.bindings.map(\.action))
        #expect(Set(Action.allCases).subtracting(bound).isEmpty)
    }

    @Test func arrowsComeWithVimKeys() {
        let pairs: [(Key, Character)] = [(.left, "h"), (.down, "j"), (.up, "k"), (.right, "l")]
        for binding in table.bindings {
            for (arrow, vim) in pairs where binding.keys.contains(arrow) {
                #expect(binding.keys.contains(.character(vim)), "\(binding.action) in \(binding.context)")
            }
        }
    }

    @Test func conventions() {
        for context in [KeyContext.training, .weights, .reflection, .search] {
            #expect(table.action(for: .character("q"), in: context) == .quit)
            #expect(table.action(for: .control("c"), in: context) == .quit)
            #expect(table.action(for: .character("?"), in: context) == .toggleHelp)
            #expect(table.action(for: .escape, in: context) == .back)
            #expect(table.action(for: .tab, in: context) == .focusNext)
            #expect(table.action(for: .backTab, in: context) == .focusPrevious)
            #expect(table.action(for: .character("t"), in: context) == .cycleTheme)
        }
        #expect(table.action(for: .character("q"), in: .textEntry) == nil, "q types itself")
        #expect(table.action(for: .control("c"), in: .textEntry) == .quit)
        #expect(table.action(for: .character("l"), in: .weights) == .increaseWeight)
        #expect(table.action(for: .character("L"), in: .weights) == .increaseWeightLarge)
        #expect(table.action(for: .character("q"), in: .help) == .toggleHelp)
    }

    @Test func bottomBarFollowsTheContext() {
        var state = SampleStates.rich()
        state.focus = .search
        #expect(table.barBindings(in: state.keyContext).map(\.action).prefix(3) == [.startSearch, .cancelSearch, .applyBestWeights])
        state.entry = TextEntry(target: .statement)
        #expect(table.barBindings(in: state.keyContext).map(\.action) == [.submit, .back])
        state.question = "Quit?"
        #expect(state.keyContext == .confirm)
    }
}
