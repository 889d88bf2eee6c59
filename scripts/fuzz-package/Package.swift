// swift-tools-version: 6.1
// libFuzzer targets for evalgate's readers of untrusted bytes: opt-in, built apart from the main package
// (scripts/fuzz builds it with -sanitize=fuzzer into .build-fuzz). Not part of `swift build` or `swift test`.
import PackageDescription

let package = Package(
    name: "evalgate-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "evalgate", path: "../..")],
    targets: [
        .executableTarget(
            name: "EvalgateFuzz",
            dependencies: [
                .product(name: "Transport", package: "evalgate"),
                .product(name: "EvalCore", package: "evalgate"),
                .product(name: "EvalRunner", package: "evalgate"),
                .product(name: "Reporting", package: "evalgate"),
                .product(name: "Scoring", package: "evalgate"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
