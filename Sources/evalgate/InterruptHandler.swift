import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into one call of `onInterrupt` (a clean stop); a second signal exits at once with 130.
final class InterruptHandler {
    private let sources: [any DispatchSourceSignal]

    init(message: String, onInterrupt: @escaping @Sendable () -> Void) {
        let fired = Once()
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if fired.happenedBefore() {
                    FileHandle.standardError.write(Data("evalgate: interrupted again; stopping now\n".utf8))
                    exit(130)
                }
                FileHandle.standardError.write(Data("\nevalgate: \(message)\n".utf8))
                onInterrupt()
            }
            source.resume()
            return source
        }
    }

    /// Stops listening and gives SIGINT and SIGTERM back their default action.
    func stop() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// True from the second call on.
    private final class Once: Sendable {
        private let flag = Atomic<Bool>(false)
        func happenedBefore() -> Bool { flag.exchange(true, ordering: .relaxed) }
    }
}
