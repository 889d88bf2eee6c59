/// At most `limit` requests in flight to one judge target (its `concurrency:`), the rest waiting in order. Judge
/// requests are made inside the model's case tasks, so the run's own concurrency bounds them too; this bounds them per
/// judge, for a judge served by a small local server or a provider with a low limit.
actor RequestLimiter {
    let limit: Int
    private var inFlight = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID: UInt64 = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a slot, waiting for one when all are taken. False when the task was cancelled while waiting (no slot
    /// is held then).
    func acquire() async -> Bool {
        if inFlight < limit {
            inFlight += 1
            return true
        }
        let id = nextID
        nextID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: false)
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Gives a slot back: to the first waiter, if any.
    func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            waiters.removeFirst().continuation.resume(returning: true)
        }
    }

    /// Requests waiting for a slot.
    var waiting: Int { waiters.count }

    private func cancel(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }
}
