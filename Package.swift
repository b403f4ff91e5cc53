// swift-tools-version:6.0
import PackageDescription

/// Modules follow DESIGN.md §3; dependencies only point down this list.
let package = Package(
    name: "emorl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "emorl", targets: ["emorl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CCurses", path: "Sources/CCurses"),

        // MARK: - Core
        .target(name: "Tensors", dependencies: ["CBLAS"]),
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "LanguageModel", dependencies: ["Tensors", "CKernels"]),
        .target(name: "Objectives", dependencies: ["Tensors", "LanguageModel", "Corpus"]),
        .target(name: "Corpus"),
        .target(name: "Training", dependencies: ["Tensors", "LanguageModel", "Objectives", "Corpus"]),
        .target(name: "Ensemble", dependencies: ["Tensors", "LanguageModel", "Objectives", "Corpus", "Training"]),
        .target(name: "Dashboard", dependencies: ["CCurses", "Tensors", "LanguageModel", "Objectives", "Corpus", "Training", "Ensemble"]),

        // MARK: - Executable
        .executableTarget(name: "emorl", dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            "Tensors", "LanguageModel", "Objectives", "Corpus", "Training", "Ensemble", "Dashboard",
        ]),

        // MARK: - Tests
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "LanguageModelTests", dependencies: ["LanguageModel", "Tensors"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ObjectivesTests", dependencies: ["Objectives", "LanguageModel", "Tensors", "Corpus"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "LanguageModel", "Tensors"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EnsembleTests", dependencies: ["Ensemble", "Training", "LanguageModel"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Objectives"], resources: [.copy("Snapshots")]),
        .testTarget(name: "CLITests", dependencies: ["emorl", "LanguageModel", "Tensors", "Training"]),
    ]
)
