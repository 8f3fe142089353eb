namespace FimVerify.Symbolic

open System
open System.Collections.Generic

/// A numerical integral: its value, an estimate of its error, ∫|f| (the scale the error is judged against), the
/// number of integrand evaluations, and whether the error estimate met the tolerance.
type QuadratureResult =
    { Value: float
      Error: float
      AbsoluteIntegral: float
      Evaluations: int
      Converged: bool }

/// Adaptive Gauss–Legendre quadrature in double precision. Each panel is integrated by the 15-point rule on the
/// whole panel and on its two halves; the difference estimates the error, and the panel with the largest estimate is
/// split until the total meets the tolerance. Infinite ranges are mapped to [0, 1) by x = a + s/(1 − s).
/// The error is an estimate, not a bound: results from here are reported as such.
[<RequireQualifiedAccess>]
module Quadrature =
    /// Nodes and weights of the n-point Gauss–Legendre rule on [−1, 1], by Newton's method on P_n.
    let private gaussLegendre (n: int) =
        let nodes = Array.zeroCreate n
        let weights = Array.zeroCreate n
        for i in 0 .. n - 1 do
            let mutable x = Math.Cos(Math.PI * (float i + 0.75) / (float n + 0.5))
            let mutable derivative = 0.0
            for _ in 1 .. 100 do
                // P_n(x) and P_n'(x) by the three-term recurrence.
                let mutable p0 = 1.0
                let mutable p1 = x
                for k in 2 .. n do
                    let p2 = ((2.0 * float k - 1.0) * x * p1 - (float k - 1.0) * p0) / float k
                    p0 <- p1
                    p1 <- p2
                derivative <- float n * (x * p1 - p0) / (x * x - 1.0)
                x <- x - p1 / derivative
            nodes[i] <- x
            weights[i] <- 2.0 / ((1.0 - x * x) * derivative * derivative)
        nodes, weights

    let private rule = lazy (gaussLegendre 15)

    let private panel (f: float -> float) (a: float) (b: float) =
        let nodes, weights = rule.Force()
        let half = (b - a) / 2.0
        let mid = (a + b) / 2.0
        let mutable s = 0.0
        let mutable absolute = 0.0
        for i in 0 .. nodes.Length - 1 do
            let v = f (mid + half * nodes[i])
            s <- s + weights[i] * v
            absolute <- absolute + weights[i] * abs v
        s * half, absolute * abs half

    type private Piece =
        { A: float
          B: float
          Value: float
          Absolute: float
          Error: float }

    let private estimate (f: float -> float) (a: float) (b: float) =
        let whole, _ = panel f a b
        let m = (a + b) / 2.0
        let left, la = panel f a m
        let right, ra = panel f m b
        { A = a; B = b; Value = left + right; Absolute = la + ra; Error = abs (whole - (left + right)) }

    /// ∫_a^b f over a finite range; stops at relative tolerance `tolerance` of ∫|f| or after `maxEvaluations`.
    let private finite (budget: WorkBudget) (f: float -> float) (a: float) (b: float) (tolerance: float) (maxEvaluations: int) =
        let queue = PriorityQueue<Piece, float>()
        let first = estimate f a b
        queue.Enqueue(first, -first.Error)
        let mutable evaluations = 45
        let mutable total = first.Value
        let mutable absolute = first.Absolute
        let mutable error = first.Error
        let mutable finiteValues = Double.IsFinite first.Value && Double.IsFinite first.Error
        let enough () = error <= tolerance * absolute || error <= 1e-300
        while finiteValues && not (enough ()) && evaluations < maxEvaluations do
            budget.Check()
            let worst = queue.Dequeue()
            let m = (worst.A + worst.B) / 2.0
            if m <= worst.A || m >= worst.B then
                // The panel cannot be split further in doubles: keep its estimate.
                queue.Enqueue({ worst with Error = worst.Error }, 0.0)
                evaluations <- maxEvaluations
            else
                let l = estimate f worst.A m
                let r = estimate f m worst.B
                evaluations <- evaluations + 90
                total <- total - worst.Value + l.Value + r.Value
                absolute <- absolute - worst.Absolute + l.Absolute + r.Absolute
                error <- error - worst.Error + l.Error + r.Error
                finiteValues <- Double.IsFinite total && Double.IsFinite error
                queue.Enqueue(l, -l.Error)
                queue.Enqueue(r, -r.Error)
        // Re-sum the errors (the running total drifts by rounding).
        let error = if finiteValues then queue.UnorderedItems |> Seq.sumBy (fun struct (p, _) -> p.Error) else infinity
        { Value = total; Error = error; AbsoluteIntegral = absolute; Evaluations = evaluations
          Converged = finiteValues && (error <= tolerance * absolute || error <= 1e-300) }

    /// ∫_a^b f(x) dx for a ≤ b, either end possibly infinite, split at the given break points (kinks of the
    /// integrand) so each piece is smooth. Relative tolerance of ∫|f|; `maxEvaluations` over all pieces.
    let integrate (budget: WorkBudget) (f: float -> float) (a: float) (b: float) (breaks: float seq) (tolerance: float) (maxEvaluations: int) : QuadratureResult =
        let cuts = breaks |> Seq.filter (fun c -> Double.IsFinite c && c > a && c < b) |> Seq.distinct |> Seq.sort |> List.ofSeq
        // An infinite range gets a finite cut so each piece has at most one infinite end.
        let cuts = if Double.IsInfinity a && Double.IsInfinity b && cuts.IsEmpty then [ 0.0 ] else cuts
        let ends = a :: cuts @ [ b ]
        let pieces = List.pairwise ends
        let perPiece = max 1000 (maxEvaluations / max 1 pieces.Length)
        let results =
            pieces
            |> List.map (fun (lo, hi) ->
                match Double.IsInfinity lo, Double.IsInfinity hi with
                | false, false -> finite budget f lo hi tolerance perPiece
                | false, true ->
                    // x = lo + s/(1 − s), dx = ds/(1 − s)².
                    let g s = if s >= 1.0 then 0.0 else let t = 1.0 - s in let v = f (lo + s / t) in (if v = 0.0 then 0.0 else v / (t * t))
                    finite budget g 0.0 1.0 tolerance perPiece
                | true, false ->
                    let g s = if s >= 1.0 then 0.0 else let t = 1.0 - s in let v = f (hi - s / t) in (if v = 0.0 then 0.0 else v / (t * t))
                    finite budget g 0.0 1.0 tolerance perPiece
                | true, true -> invalidOp "unreachable: infinite pieces are split")
        { Value = results |> List.sumBy (fun r -> r.Value)
          Error = results |> List.sumBy (fun r -> r.Error)
          AbsoluteIntegral = results |> List.sumBy (fun r -> r.AbsoluteIntegral)
          Evaluations = results |> List.sumBy (fun r -> r.Evaluations)
          Converged = results |> List.forall (fun r -> r.Converged) }
