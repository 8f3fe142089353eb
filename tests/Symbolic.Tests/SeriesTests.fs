module FimVerify.Symbolic.Tests.SeriesTests

open System
open System.Numerics
open Expecto
open FsCheck
open FimVerify.Symbolic

let private r (p: int) (q: int) = Rational.make p q
let private piMono (c: Rational) (k: int) = PiLaurent.Monomial(c, k)

/// Independent route: term-by-term integration of arcsin's series gives the tail coefficient of t^(2n+2)
/// in κ as C(2n,n)/(4ⁿ(2n+1)(2n+2)) · 1/(2π), computed here from integers only.
let private closedFormTail (n: int) =
    let num = Rational.binomial (2 * n) n
    let den = BigInteger.Pow(BigInteger 4, n) * BigInteger(2 * n + 1) * BigInteger(2 * n + 2) * BigInteger 2
    PiLaurent.Monomial(Rational(num, den), -1)

let private config = { FsCheckConfig.defaultConfig with maxTest = 200; replay = Some(20261124UL, 1UL, None) }

[<Tests>]
let rationalTests =
    testList "Rational" [
        test "normalises sign and common factors" {
            Expect.equal (Rational(BigInteger 6, BigInteger -4)) (r -3 2) "6/(−4) = −3/2"
            Expect.equal ((r 1 3) + (r 1 6)) (r 1 2) "1/3 + 1/6"
            Expect.equal ((r 2 3) * (r 9 4)) (r 3 2) "2/3 · 9/4"
        }
        test "toDouble is correctly rounded on hard cases" {
            Expect.equal ((r 1 3).ToDouble()) (1.0 / 3.0) "1/3"
            let big = Rational(BigInteger.Pow(BigInteger 10, 400) + BigInteger.One, BigInteger.Pow(BigInteger 10, 400))
            Expect.equal (big.ToDouble()) 1.0 "1 + 10^-400"
        }
        testPropertyWithConfig config "field laws on random rationals" (fun (a: int) (b: NonZeroInt) (c: int) (d: NonZeroInt) ->
            let x = Rational(BigInteger a, BigInteger b.Get)
            let y = Rational(BigInteger c, BigInteger d.Get)
            x + y = y + x && x * y = y * x && (x - y) + y = x && (if y.IsZero then true else (x / y) * y = x))
    ]

[<Tests>]
let seriesTests =
    testList "PowerSeries" [
        testPropertyWithConfig config "(1+z)^a (1+z)^b = (1+z)^(a+b) exactly" (fun (a: int) (b: int) (q: PositiveInt) ->
            let qa = Rational(BigInteger(a % 7), BigInteger(q.Get % 5 + 1))
            let qb = Rational(BigInteger(b % 7), BigInteger(q.Get % 3 + 1))
            let n = 12
            PowerSeries.mul (StandardSeries.binomial qa n) (StandardSeries.binomial qb n) = StandardSeries.binomial (qa + qb) n)
        test "exp(z)·exp(−z) = 1 and log1p ∘ (exp − 1) = z" {
            let n = 20
            let e = StandardSeries.exp n
            let eNeg = e |> PowerSeries.substituteMonomial (Rational.ofInt -1) 1 n
            Expect.equal (PowerSeries.mul e eNeg) (PowerSeries.constant n Rational.One) "exp(z)exp(−z) = 1"
            let expMinusOne = PowerSeries.sub e (PowerSeries.constant n Rational.One)
            Expect.equal (PowerSeries.compose (StandardSeries.log1p n) expMinusOne) (PowerSeries.z n) "log(exp z) = z"
        }
        test "derivative of the integral is the identity" {
            let s = StandardSeries.arcsin 30
            Expect.equal (PowerSeries.derivative (PowerSeries.integrate s)) s "d/dz ∫ f = f"
        }
        test "arcsin satisfies (arcsin')² (1 − z²) = 1" {
            let n = 40
            let d = PowerSeries.derivative (StandardSeries.arcsin (n + 1))
            let oneMinusZ2 = PowerSeries.ofCoeffs (Array.init n (fun k -> if k = 0 then Rational.One elif k = 2 then Rational.ofInt -1 else Rational.Zero))
            Expect.equal (PowerSeries.mul (PowerSeries.mul d d) oneMinusZ2) (PowerSeries.constant n Rational.One) "ODE of arcsin"
        }
        testPropertyWithConfig config "arcsin series evaluates to Math.Asin inside |z| ≤ 1/2" (fun (u: NormalFloat) ->
            let z = 0.5 * Math.Tanh(u.Get)
            let s = StandardSeries.arcsin 60
            abs (PowerSeries.evaluate Rational.toDouble z s - Math.Asin z) < 1e-15)
    ]

[<Tests>]
let kappaTests =
    testList "ReluKernelSeries (Lemma 1's κ)" [
        test "leading coefficients are 1/(2π), 1/4, 1/(4π), 0, 1/(48π)" {
            let s = ReluKernelSeries.kappa 5
            Expect.equal s.Coeffs[0] (piMono (r 1 2) -1) "t^0"
            Expect.equal s.Coeffs[1] (PiLaurent.OfRational(r 1 4)) "t^1"
            Expect.equal s.Coeffs[2] (piMono (r 1 4) -1) "t^2"
            Expect.equal s.Coeffs[3] PiLaurent.Zero "t^3"
            Expect.equal s.Coeffs[4] (piMono (r 1 48) -1) "t^4"
            Expect.equal (string s.Coeffs[4]) "1/(48*pi)" "printed form"
        }
        test "every tail coefficient equals the closed form C(2n,n)/(4ⁿ(2n+1)(2n+2)·2π), to order 400" {
            let s = ReluKernelSeries.kappa 400
            for n in 1 .. 198 do
                Expect.equal s.Coeffs[2 * n + 2] (closedFormTail n) $"t^{2 * n + 2}"
        }
        test "odd part is exactly t/4 and every even coefficient is non-negative" {
            let s = ReluKernelSeries.kappa 200
            for k in 0 .. 199 do
                if k % 2 = 1 then
                    Expect.equal s.Coeffs[k] (if k = 1 then PiLaurent.OfRational(r 1 4) else PiLaurent.Zero) $"odd t^{k}"
                else
                    Expect.isTrue s.Coeffs[k].AllCoefficientsNonNegative $"even t^{k} ≥ 0"
        }
        test "partial sums at t = 1 approach κ(1) = 1/2 with the predicted N^(−3/2) tail" {
            // The tail coefficients decay like n^(−5/2)/(2π√π), so the remainder after N terms is O(N^(−3/2)).
            let sumTo n = PowerSeries.evaluate (fun (c: PiLaurent) -> c.ToDouble()) 1.0 (ReluKernelSeries.kappa n)
            let errors = [ 50; 100; 200; 400 ] |> List.map (fun n -> n, 0.5 - sumTo n)
            for (n, e) in errors do
                Expect.isGreaterThan e 0.0 $"partial sum below 1/2 at N = {n} (all terms positive)"
                Expect.isLessThan e (0.5 * float n ** -1.5) $"remainder bound at N = {n}"
            // Trend, not a tuned tolerance: the halving ratios approach 2^(3/2) monotonically.
            let deviations =
                errors |> List.pairwise |> List.map (fun ((_, a), (_, b)) -> abs (a / b - 2.0 ** 1.5))
            for (a, b) in List.pairwise deviations do
                Expect.isLessThan b a "each doubling of N brings the ratio closer to 2^(3/2)"
        }
        testPropertyWithConfig config "series matches the closed form inside |t| ≤ 0.9" (fun (u: NormalFloat) ->
            let t = 0.9 * Math.Tanh(u.Get)
            let s = ReluKernelSeries.kappa 400
            abs (PowerSeries.evaluate (fun (c: PiLaurent) -> c.ToDouble()) t s - ReluKernelSeries.kappaClosedForm t) < 1e-14)
    ]
