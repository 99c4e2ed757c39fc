import Foundation

/// The runs of equal time among cases sorted by time (ascending or descending): each run's cases as a slice of
/// `order`, whose indices are the run's positions in `order`. Every survival estimator here steps through time one
/// run at a time (deaths and censorings at the same time are handled together).
func equalTimeRuns(_ order: [Int], time: [Double]) -> [ArraySlice<Int>] {
    var runs: [ArraySlice<Int>] = [], k = 0
    while k < order.count {
        var end = k + 1
        while end < order.count && time[order[end]] == time[order[k]] { end += 1 }
        runs.append(order[k..<end])
        k = end
    }
    return runs
}

/// The last of `times` (ascending) at or before t (strictly before with `strictly`), nil when there is none: the
/// step of a right-continuous step function in force at t (or just before t).
func lastIndex(atOrBefore t: Double, in times: [Double], strictly: Bool = false) -> Int? {
    var lo = 0, hi = times.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if times[mid] < t || (!strictly && times[mid] == t) { lo = mid + 1 } else { hi = mid }
    }
    return lo == 0 ? nil : lo - 1
}
