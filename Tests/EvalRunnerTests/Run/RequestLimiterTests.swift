@testable import EvalRunner
import Testing

@Suite("RequestLimiter: at most N judge requests in flight, waiters in order, cancellation frees a waiter")
struct RequestLimiterTests {
    /// Waits (yielding, never sleeping) until `limiter` has `count` waiters.
    static func waitForWaiters(_ limiter: RequestLimiter, _ count: Int) async {
        while await limiter.waiting != count { await Task.yield() }
    }

    @Test func slotsAreHandedOnInOrder() async {
        let limiter = RequestLimiter(limit: 1)
        #expect(await limiter.acquire())
        let order = Recorder<String>()
        let second = Task {
            let got = await limiter.acquire()
            order.append("second")
            return got
        }
        await Self.waitForWaiters(limiter, 1)
        let third = Task {
            let got = await limiter.acquire()
            order.append("third")
            return got
        }
        await Self.waitForWaiters(limiter, 2)
        #expect(order.all.isEmpty, "both wait while the slot is held")
        await limiter.release()
        #expect(await second.value)
        #expect(order.all == ["second"])
        await limiter.release()
        #expect(await third.value)
        #expect(order.all == ["second", "third"])
        await limiter.release()
        #expect(await limiter.acquire(), "the slot is free again")
    }

    @Test func aCancelledWaiterGivesUpWithoutASlot() async {
        let limiter = RequestLimiter(limit: 1)
        #expect(await limiter.acquire())
        let waiter = Task { await limiter.acquire() }
        await Self.waitForWaiters(limiter, 1)
        waiter.cancel()
        #expect(await waiter.value == false)
        #expect(await limiter.waiting == 0)
        await limiter.release()
        #expect(await limiter.acquire(), "the cancelled waiter took no slot")
    }
}
