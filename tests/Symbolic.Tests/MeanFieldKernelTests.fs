module FimVerify.Symbolic.Tests.MeanFieldKernelTests

open System
open System.Numerics
open Expecto
open FimVerify.Symbolic

module X = Expression

let private parse = InfixParser.parse
let private all () = [ "relu"; "leaky-relu"; "linear"; "erf" ] |> List.map (fun n -> (MeanFieldKernels.tryFor n).Value)

/// E[f(x, y)] for independent standard normals by the trapezoid rule on [−L, L]² (step h): for integrands analytic
/// in a strip of half-width w its error decays like exp(−2πw/h); h = 0.08 keeps it below 1e-14 for erf(√a x) with
/// a ≤ 4 (w ≈ 1/√a) and for polynomials.
let private gauss2 (f: float -> float -> float) =
    let h, l = 0.08, 9.0
    let n = int (2.0 * l / h)
    let mutable s = 0.0
    for i in 0 .. n do
        let x = -l + float i * h
        let wx = exp (-x * x / 2.0)
        for j in 0 .. n do
            let y = -l + float j * h
            s <- s + wx * exp (-y * y / 2.0) * f x y
    s * h * h / (2.0 * Math.PI)

/// E[f(x)] for a standard normal, the same rule in one dimension with a finer step.
let private gauss1 (f: float -> float) =
    let h, l = 0.01, 9.0
    let n = int (2.0 * l / h)
    let mutable s = 0.0
    for i in 0 .. n do
        let x = -l + float i * h
        s <- s + exp (-x * x / 2.0) * f x
    s * h / sqrt (2.0 * Math.PI)

/// (u, v) ~ N(0, [[a, b], [b, a]]) from independent x, y.
let private correlated (a: float) (b: float) (x: float) (y: float) =
    let c = b / a
    sqrt a * x, sqrt a * (c * x + sqrt (1.0 - c * c) * y)

let private at (vals: (string * float) list) (x: Expression) = Floating.evaluate (Map.ofList vals) x

/// Exact rational points (a, b) with 0 < a ≤ 4, |b| < a, and a slope in [0, 1).
let private points =
    [ Rational.make 7 10, Rational.make 3 10; Rational.make 3 1, Rational.make -9 5; Rational.make 1 20, Rational.make 1 25; Rational.make 4 1, Rational.make 39 10 ]

let private real (r: Rational) = Real.OfRational r
let private digits50 = Rational(BigInteger.One, BigInteger.Pow(BigInteger 10, 50))

[<Tests>]
let tests =
    testList "Mean-field closed forms (derived)" [
        test "every derivation step is confirmed by the engine" {
            for f in all () do
                for s in f.Steps.Force() do
                    Expect.isTrue s.Holds $"{f.Activation}: {s.Statement} ({s.Evidence})"
        }
        test "the derived forms are those of MATH.md §2" {
            let canonical (text: string) = Expand.expand (parse text)
            let relu = MeanFieldKernels.relu.Force()
            Expect.equal relu.Correlation (canonical "(a/(2*pi))*(sqrt(1 - (b/a)^2) + (pi - arccos(b/a))*(b/a))") "ReLU I_φ"
            Expect.equal relu.DerivativeCorrelation (canonical "(pi - arccos(b/a))/(2*pi)") "ReLU I_φ′"
            Expect.equal relu.SecondMoment (parse "q/2") "ReLU ∫φ²"
            Expect.equal relu.Mean (parse "sqrt(q)/sqrt(2*pi)") "ReLU mean √q/√(2π)"
            let erf = MeanFieldKernels.erf.Force()
            Expect.equal erf.Correlation (parse "(2/pi)*arcsin(2*b/(1 + 2*a))") "erf I_φ"
            Expect.equal erf.SecondMoment (parse "(2/pi)*arcsin(2*q/(1 + 2*q))") "erf ∫φ²"
            Expect.equal erf.DerivativeSecondMoment (parse "4/(pi*sqrt(1 + 4*q))") "erf ∫φ′²"
            Expect.equal erf.DerivativeCorrelation (parse "4/(pi*sqrt((1 + 2*a)^2 - 4*b^2))") "erf I_φ′"
            let linear = MeanFieldKernels.linear.Force()
            Expect.equal (linear.Mean, linear.SecondMoment, linear.Correlation, linear.DerivativeSecondMoment, linear.DerivativeCorrelation)
                         (X.zero, MeanFieldKernels.q, MeanFieldKernels.b, X.one, X.one) "linear q̂ = q, I_φ = b, φ′ ≡ 1"
            let leaky = MeanFieldKernels.leakyRelu.Force()
            Expect.equal leaky.SecondMoment (canonical "(1 + slope^2)*q/2") "leaky ∫φ²"
            Expect.equal leaky.DerivativeSecondMoment (canonical "(1 + slope^2)/2") "leaky ∫φ′²"
        }
        test "leaky ReLU equals the other route (1 − s)² I_relu + s·b, (1 + s²)p + s(1 − 2p) exactly" {
            // The hand route uses E[relu(u)·v] = b/2; the derivation used the symmetries of (u, v) instead.
            let relu, leaky = MeanFieldKernels.relu.Force(), MeanFieldKernels.leakyRelu.Force()
            let s = MeanFieldKernels.slope
            let p = relu.DerivativeCorrelation
            Expect.equal leaky.Correlation (Expand.expand (X.pow (X.one - s) (X.ofInt 2) * relu.Correlation + s * MeanFieldKernels.b)) "I_φ"
            Expect.equal leaky.DerivativeCorrelation (Expand.expand ((X.one + s * s) * p + s * (X.one - X.ofInt 2 * p))) "I_φ′"
        }
        test "differentiating back: ∂I_φ/∂b = I_φ′ (Price's theorem) at exact points to 50 digits, for every activation" {
            // For ReLU and leaky ReLU this is independent of the derivation (which used arcs, not Price's theorem).
            for f in all () do
                let d = Differentiate.withRespectTo "b" f.Correlation
                for a, b in points do
                    let values = Map.ofList [ "a", real a; "b", real b; "slope", real (Rational.make 3 10) ]
                    let lhs, rhs = Precise.evaluate values d, Precise.evaluate values f.DerivativeCorrelation
                    let gap = Rational.abs (lhs.ToRational() - rhs.ToRational())
                    Expect.isTrue (gap < digits50) $"{f.Activation} at a = {a}, b = {b}: ∂_b I_φ = {lhs}, I_φ′ = {rhs}"
        }
        test "series: the Maclaurin series of I_φ in b is the term-by-term integral of I_φ′'s (coefficients to 50 digits at exact a)" {
            // Coefficients are functions of a (and the slope); √((1 + 2a)²) = 1 + 2a only for a > −1/2, so they are
            // compared by value at exact points rather than structurally.
            for f in all () do
                let order = 8
                let sI = ExpressionSeries.maclaurin "b" order f.Correlation
                let sD = ExpressionSeries.maclaurin "b" (order - 1) f.DerivativeCorrelation |> PowerSeries.integrate
                for k in 1 .. order - 1 do
                    for a, _ in points do
                        let values = Map.ofList [ "a", real a; "slope", real (Rational.make 3 10) ]
                        let lhs, rhs = Precise.evaluate values sI.Coeffs[k], Precise.evaluate values sD.Coeffs[k]
                        Expect.isTrue (Rational.abs (lhs.ToRational() - rhs.ToRational()) < digits50)
                                      $"{f.Activation}: coefficient of b^{k} at a = {a}: {Infix.format sI.Coeffs[k]} = {lhs} vs {Infix.format sD.Coeffs[k]} = {rhs}"
        }
        test "erf against trapezoid quadrature (error < 1e-14) in 2-D and 1-D at several (a, b)" {
            let erf = MeanFieldKernels.erf.Force()
            let e = SpecialFunctions.erf
            let de (x: float) = 2.0 / sqrt Math.PI * exp (-x * x)
            for a, b in [ 0.7, 0.3; 3.0, -1.8; 0.05, 0.04; 4.0, 3.99 ] do
                let vals = [ "a", a; "b", b; "q", a ]
                let q2 f g = gauss2 (fun x y -> let u, v = correlated a b x y in f u * g v)
                let q1 f = gauss1 (fun x -> f (sqrt a * x))
                let close expected actual what = Expect.floatClose { absolute = 1e-13; relative = 1e-12 } actual expected $"{what} at a = {a}, b = {b}"
                close (q2 e e) (at vals erf.Correlation) "I_φ"
                close (q2 de de) (at vals erf.DerivativeCorrelation) "I_φ′"
                close (q1 (fun u -> e u * e u)) (at vals erf.SecondMoment) "∫φ²"
                close (q1 (fun u -> de u * de u)) (at vals erf.DerivativeSecondMoment) "∫φ′²"
        }
        test "polynomial activations x² + x and x³ against 2-D quadrature (polynomial moments route)" {
            for text, f, df in [ "x^2 + x", (fun (x: float) -> x * x + x), (fun (x: float) -> 2.0 * x + 1.0)
                                 "x^3", (fun (x: float) -> x * x * x), (fun (x: float) -> 3.0 * x * x) ] do
                let forms = MeanFieldKernels.polynomial text (parse text)
                Expect.isTrue forms.Holds $"{text}: derivation steps"
                for a, b in [ 0.7, 0.3; 2.0, -1.5 ] do
                    let vals = [ "a", a; "b", b; "q", a ]
                    let q2 g h = gauss2 (fun x y -> let u, v = correlated a b x y in g u * h v)
                    let close expected actual what = Expect.floatClose { absolute = 1e-11; relative = 1e-11 } actual expected $"{text} {what} at a = {a}, b = {b}"
                    close (q2 f f) (at vals forms.Correlation) "I_φ"
                    close (q2 df df) (at vals forms.DerivativeCorrelation) "I_φ′"
                    close (gauss1 (fun x -> f (sqrt a * x))) (at vals forms.Mean) "mean"
                    close (gauss1 (fun x -> f (sqrt a * x) ** 2.0)) (at vals forms.SecondMoment) "∫φ²"
        }
        test "Gaussian primitives: half-line moments, E exp(−uᵀKu) against quadrature" {
            // H_k = E[z^k 1{z>0}] by Simpson on [0, 12] (4000 panels; the integrand is smooth there): error < 1e-12.
            for k in 0 .. 6 do
                let n, hi = 4000, 12.0
                let h = hi / float n
                let g z = z ** float k * exp (-z * z / 2.0) / sqrt (2.0 * Math.PI)
                let simpson = (Seq.sum (seq { for i in 0 .. n -> (if i = 0 || i = n then 1.0 elif i % 2 = 1 then 4.0 else 2.0) * g (float i * h) })) * h / 3.0
                Expect.floatClose { absolute = 1e-12; relative = 1e-12 } (Floating.evaluate Map.empty (GaussianIntegrals.halfLineMoment k)) simpson $"H_{k}"
                if k >= 2 then Expect.isTrue (GaussianIntegrals.halfLineRecurrenceHolds k) $"recurrence at k = {k}"
            // A non-diagonal K and Σ: E exp(−(u² + uv + 2v²)) with Σ = [[a, b], [b, a]].
            let sigma = array2D [ [ MeanFieldKernels.a; MeanFieldKernels.b ]; [ MeanFieldKernels.b; MeanFieldKernels.a ] ]
            let integrand = X.exp (X.neg (parse "u^2 + u*v + 2*v^2"))
            let value = GaussianIntegrals.expQuadraticExpectation [ "u"; "v" ] sigma integrand
            for a, b in [ 0.7, 0.3; 1.5, -1.2 ] do
                let expected = gauss2 (fun x y -> let u, v = correlated a b x y in exp (-(u * u + u * v + 2.0 * v * v)))
                Expect.floatClose { absolute = 1e-13; relative = 1e-12 } (at [ "a", a; "b", b ] value) expected $"E exp(−Q) at a = {a}, b = {b}"
            Expect.throws (fun () -> GaussianIntegrals.expQuadraticExpectation [ "u" ] (array2D [ [ MeanFieldKernels.q ] ]) (X.exp (parse "-u^3")) |> ignore) "a cubic exponent is refused"
        }
        test "the arcsine table entry: found, verified, and refused when the integrand does not match" {
            let t = X.symbol "t"
            match Antiderivative.arcsine "t" (X.symbol "x") (parse "3/sqrt(5 - 2*t^2)") with
            | Some i ->
                Expect.isTrue (fst (i.Verification.Force())) (snd (i.Verification.Force()))
                Expect.equal i.Value (Expand.expand (parse "(3/sqrt(2))*arcsin(sqrt(2)*x/sqrt(5))")) "value"
            | None -> failtest "the entry should match"
            Expect.isNone (Antiderivative.arcsine "t" (X.symbol "x") (parse "1/sqrt(5 + 2*t^2)")) "a sum of squares is arsinh, not arcsin"
            Expect.isNone (Antiderivative.arcsine "t" (X.symbol "x") (X.pow (X.one - t * t) (X.rational -3 2))) "another exponent"
        }
    ]

/// Theorem 3.1's statistics, derived from the leading-order dual, against independent routes.
[<Tests>]
let statistics =
    let value (vals: (string * float) list) (x: Expression) = Floating.evaluate (Map.ofList vals) x
    testList "Mean-field statistics (derived)" [
        test "every step holds for depths 1…6, and α is the M² coefficient of the parameter count" {
            for depth in 1 .. 6 do
                let d = MeanFieldStatistics.forDepth depth
                for s in d.Steps.Force() do Expect.isTrue s.Holds $"depth {depth}: {s.Statement} ({s.Evidence})"
            Expect.equal (MeanFieldStatistics.forDepth 1).Alpha X.zero "α = 0 at depth 1 (no hidden layer)"
        }
        test "the dual's spectrum against the eigenvalues of the explicit CT×CT matrix (C = 2, T = 4)" {
            // Independent route: build D = I_C ⊗ ((D₁ − D₂) I_T + D₂ 11ᵀ) numerically and compute its spectrum by the
            // Jacobi method; compare the moments and the maximum with the derived m_λ, s_λ, λ_max.
            let c, t, m, alpha, k1, k2 = 2, 4, 50, 1.7, 0.9, 0.35
            let d1, d2 = alpha * float m / float t * k1, alpha * float m / float t * k2
            let n = c * t
            let a = Array2D.init n n (fun i j -> if i / t <> j / t then 0.0 elif i = j then d1 else d2)
            // Cyclic Jacobi sweeps until the off-diagonal part is negligible.
            for _ in 1 .. 30 do
                for p in 0 .. n - 2 do
                    for q in p + 1 .. n - 1 do
                        if abs a[p, q] > 1e-300 then
                            let theta = (a[q, q] - a[p, p]) / (2.0 * a[p, q])
                            let tt = float (sign theta |> fun s -> if s = 0 then 1 else s) / (abs theta + sqrt (theta * theta + 1.0))
                            let cs = 1.0 / sqrt (tt * tt + 1.0)
                            let sn = tt * cs
                            for k in 0 .. n - 1 do
                                let akp, akq = a[k, p], a[k, q]
                                a[k, p] <- cs * akp - sn * akq
                                a[k, q] <- sn * akp + cs * akq
                            for k in 0 .. n - 1 do
                                let apk, aqk = a[p, k], a[q, k]
                                a[p, k] <- cs * apk - sn * aqk
                                a[q, k] <- sn * apk + cs * aqk
            let eig = Array.init n (fun i -> a[i, i])
            let p = alpha * float m * float m
            let vals = [ "kappa1", k1; "kappa2", k2; "alpha", alpha; "T", float t; "C", float c; "M", float m ]
            let d = MeanFieldStatistics.forDepth 2
            Expect.floatClose Accuracy.high (value vals d.Mean) (Array.sum eig / p) "m_λ = Σλ/P"
            Expect.floatClose Accuracy.high (value vals d.SecondMoment) ((eig |> Array.sumBy (fun e -> e * e)) / p) "s_λ = Σλ²/P"
            Expect.floatClose Accuracy.high (value vals d.LambdaMax) (Array.max eig) "λ_max"
            let ntkVals = [ "ntkKappa1", k1; "ntkKappa2", k2; "T", float t; "C", float c ]
            let ntk = Array.map (fun e -> e / (alpha * float m / float t)) eig
            Expect.floatClose Accuracy.high (value ntkVals d.NtkMean) (Array.average ntk) "NTK m"
            Expect.floatClose Accuracy.high (value ntkVals d.NtkSecondMoment) (ntk |> Array.averageBy (fun e -> e * e)) "NTK s"
            Expect.floatClose Accuracy.high (value ntkVals d.NtkLambdaMax) (Array.max ntk) "NTK λ_max"
        }
        test "κ's layer sums evaluate to the hand-written sums" {
            let depth = 4
            let d = MeanFieldStatistics.forDepth depth
            let rnd = System.Random 11
            let widths = Array.init depth (fun _ -> 0.5 + rnd.NextDouble())
            let hat = Array.init depth (fun l -> if l = 0 then 1.0 else rnd.NextDouble())
            let tilde = Array.init (depth + 1) (fun _ -> rnd.NextDouble())
            let alpha = Seq.sum (seq { for l in 1 .. depth - 1 -> widths[l] * widths[l - 1] })
            let vals =
                [ yield "alpha", alpha
                  for l in 0 .. depth - 1 do yield $"alpha_{l}", widths[l]; yield $"qhat1_{l}", hat[l]
                  for l in 1 .. depth -> $"qtilde1_{l}", tilde[l] ]
            let hand = Seq.sum (seq { for l in 1 .. depth -> widths[l - 1] / alpha * hat[l - 1] * tilde[l] })
            Expect.floatClose Accuracy.veryHigh (value vals d.Kappa1) hand "κ₁"
            Expect.floatClose Accuracy.veryHigh (value vals d.Alpha) alpha "α"
        }
    ]
