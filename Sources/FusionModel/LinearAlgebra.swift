import Foundation

/// Dense symmetric positive-definite algebra for the small systems of logistic regression (p + 1 unknowns).
enum LinearAlgebra {
    /// Cholesky factor L (lower, row-major) with A = L Lᵀ, or nil when A is not numerically positive definite.
    static func cholesky(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i][j]
                for k in 0..<j { s -= l[i][k] * l[j][k] }
                if i == j {
                    guard s > 1e-13 * max(1, abs(a[i][i])) else { return nil }
                    l[i][i] = s.squareRoot()
                } else {
                    l[i][j] = s / l[j][j]
                }
            }
        }
        return l
    }

    /// Solves L Lᵀ x = b.
    static func choleskySolve(_ l: [[Double]], _ b: [Double]) -> [Double] {
        let n = b.count
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i][k] * y[k] }
            y[i] /= l[i][i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k][i] * y[k] }
            y[i] /= l[i][i]
        }
        return y
    }

    /// (L Lᵀ)⁻¹, column by column.
    static func choleskyInverse(_ l: [[Double]]) -> [[Double]] {
        let n = l.count
        var inv = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let col = choleskySolve(l, e)
            for i in 0..<n { inv[i][j] = col[i] }
        }
        return inv
    }
}
