/// Issue 13's soundness defects, each with the verdict it must get, and the resource bounds.
module FimVerify.Symbolic.Tests.CheckerSoundnessTests

open System
open Expecto
open FimVerify.Symbolic
open FimVerify.Symbolic.Tests.DerivationCheckerTests

/// The single step's verdict of a small file.
let private single (text: string) = (check text |> List.last).Verdict

/// The rational value of a witness coordinate (witnesses are printed exactly).
let private coordinate (name: string) (v: StepVerdict) : Rational =
    match v with
    | False(point, _, _, _) ->
        let text = point |> List.find (fun (n, _) -> n = name) |> snd
        match text.Split '/' with
        | [| p |] -> Rational.ofBigInt (Numerics.BigInteger.Parse p)
        | [| p; q |] -> Rational(Numerics.BigInteger.Parse p, Numerics.BigInteger.Parse q)
        | _ -> failtestf "not an exact coordinate: %s" text
    | other -> failtestf "expected FALSE, got %A" other

let private expectFalse (what: string) (v: StepVerdict) = Expect.isTrue (isFalse v) $"{what}: FALSE expected, got %A{v}"

[<Tests>]
let tests =
    testList "Checker soundness (issue 13)" [
        test "points are exact rationals strictly inside the domain, whatever its width" {
            let v = single "symbol x: 0 < x < 1/10^20\nx = 0\n"
            expectFalse "x = 0 on (0, 1e-20)" v
            let x = coordinate "x" v
            Expect.isTrue (x.Sign > 0 && x < Rational(Numerics.BigInteger.One, Numerics.BigInteger.Pow(Numerics.BigInteger 10, 20))) "the witness lies inside (0, 1e-20)"
            let v = single "symbol x: 1 < x < 1 + 1/10^14\nx^2 = 1\n"
            expectFalse "x² = 1 on (1, 1 + 1e-14)" v
            let x = coordinate "x" v
            Expect.isTrue (x > Rational.One && x < Rational.One + Rational(Numerics.BigInteger.One, Numerics.BigInteger.Pow(Numerics.BigInteger 10, 14))) "inside"
        }
        test "empty domains are decided exactly" {
            let e = parseError "symbol x: 1 + 1/10^30 <= x <= 1\nx = x\n"
            Expect.stringContains e.Message "empty interval" "1 + 1e-30 ≤ x ≤ 1 is empty"
            let v = single "symbol x: 1 < x < 1 + 1/10^30\nx = 1\n"
            expectFalse "the non-empty 1 < x < 1 + 1e-30 is accepted and x = 1 refuted inside it" v
            let x = coordinate "x" v
            Expect.isTrue (x > Rational.One && x < Rational.One + Rational(Numerics.BigInteger.One, Numerics.BigInteger.Pow(Numerics.BigInteger 10, 30))) "inside"
            Expect.isTrue (isProved (single "symbol x: 2 <= x <= 2\nx^2 = 4\n")) "a one-point domain is its point"
            let v = single "symbol x: pi < x < pi + 1/10^40\nx = pi\n"
            expectFalse "π < x < π + 1e-40 (irrational ends 1e-40 apart) is sampled inside" v
            let e = parseError "symbol x: sqrt(2)^2 < x < 2\nx = x\n"
            Expect.stringContains e.Message "empty interval" "√2² = 2 exactly: (2, 2) is empty"
            let e = parseError "symbol n: integer, 1/3 < n < 2/3\nn = n\n"
            Expect.stringContains e.Message "no integer" "no integer between 1/3 and 2/3"
        }
        test "sides defined on different parts of the domain make the step FALSE, with a witness" {
            for step in [ "log(x^2) = 2*log(x)"; "sqrt(x*y) = sqrt(x)*sqrt(y)"; "(x^3)^(1/3) = x"; "x/x = 1"; "sqrt(x)^2 = x" ] do
                let v = single $"symbol x: -3 < x < 3\nsymbol y: -3 < y < 3\n{step}\n"
                expectFalse step v
                match v with
                | False(_, l, r, route) ->
                    Expect.stringContains route "defined" $"{step}: the definedness route"
                    Expect.isTrue (l.StartsWith "undefined" <> r.StartsWith "undefined") $"{step}: exactly one side is undefined at the witness ({l}; {r})"
                | _ -> ()
        }
        test "real-valued semantics, consistently: √(−1) is undefined on both sides of every claim" {
            expectFalse "√(−1)·√(−1) = −1" (single "sqrt(-1)*sqrt(-1) = -1\n")
            expectFalse "√(−1) = 1" (single "sqrt(-1) = 1\n")
            expectFalse "(−8)^(1/3) = −2" (single "(-8)^(1/3) = -2\n")
            Expect.isTrue (isProved (single "8^(1/3) = 2\n")) "8^(1/3) = 2"
            Expect.isTrue (isUndecided (single "symbol x\nsqrt(-1 - x^2) = log(-1 - x^2)\n")) "neither side defined anywhere: undecided, not proved"
        }
        test "overflow and tiny values are decided with precision that adapts, never an absolute floor" {
            expectFalse "exp(exp(exp(exp(10)))) = 1" (single "exp(exp(exp(exp(10)))) = 1\n")
            expectFalse "sin(x)/10^130 = 0" (single "symbol x: 1 < x < 2\nsin(x)/10^130 = 0\n")
            expectFalse "exp(−10⁶ x) = 0" (single "symbol x: 1 < x < 2\nexp(-10^6*x) = 0\n")
            expectFalse "a difference of 1e-70 relative" (single "symbol x: 1 < x < 2\nexp(x)*(1 + 1/10^70) = exp(x)\n")
            Expect.isFalse (isFalse (single "symbol x: 1 < x < 2\nsin(x)^2 + cos(x)^2 - 1 = 0\n")) "an exact zero by cancellation is not refuted"
        }
        test "the assumptions are used in simplification, so true steps near an edge of precision are not FALSE" {
            let v = single "symbol q: q > 0\narccos(q/sqrt(q^2)) = 0\n"
            Expect.isTrue (isProved v) $"√(q²) = q for q > 0: %A{v}"
            Expect.isTrue (isProved (single "symbol q: q > 0\nabs(q) = q\n")) "|q| = q for q > 0"
            Expect.isTrue (isProved (single "symbol q: q < 0\nabs(q) = -q\n")) "|q| = −q for q < 0"
            Expect.isTrue (isProved (single "symbol x: 1 < x < 2\nrelu(x) = x\n")) "relu(x) = x for x > 0"
        }
        test "a wrong step that fails only near an end of its interval is found (sampling toward the ends)" {
            expectFalse "arcsin(sin θ) = θ beyond π/2" (single "symbol theta: -pi/2 < theta < pi/2 + 1/50\narcsin(sin(theta)) = theta\n")
            expectFalse "a bad region of width 1/1000" (single "symbol theta: -pi/2 < theta < pi/2 + 1/1000\narcsin(sin(theta)) = theta\n")
            expectFalse "near the lower end" (single "symbol t: 0 < t < 1\nrelu(t - 1/10^6) = t - 1/10^6\n")
        }
        test "huge exponents and sizes are bounded: decided or UNDECIDED with the reason, never a crash" {
            expectFalse "x^1000000000 = 0" (single "symbol x: 0 < x < 1\nx^1000000000 = 0\n")
            expectFalse "2^(2^100) = 4" (single "2^(2^100) = 4\n")
            expectFalse "(x+1)^1000000000 = 1" (single "symbol x: 0 < x < 1\n(x+1)^1000000000 = 1\n")
            let e = parseError ("symbol x\n" + String('(', 10000) + "x" + String(')', 10000) + " = x\n")
            Expect.stringContains e.Message "nested" "10,000 nested parentheses are refused with the reason"
            let e = parseError ("symbol x\n" + String('-', 10000) + "x = x\n")
            Expect.stringContains e.Message "nested" "10,000 unary minus signs"
            let chain = [ "symbol x: 0 < x < 2"; "let a0 = x + 1" ] @ [ for i in 1 .. 25 -> $"let a{i} = a{i - 1}*a{i - 1}" ] @ [ "a25 = a25 + 1"; "x + x = 2*x" ]
            let outcomes = check (String.Join("\n", chain))
            match outcomes |> List.map (fun o -> o.Verdict) with
            | [ Undecided reason; Proved _ ] -> Expect.stringContains reason "nodes" "the squaring chain is over the node budget, and the run goes on"
            | other -> failtestf "unexpected verdicts %A" other
            let terms = String.Join(" + ", [ for i in 0 .. 19999 -> $"{i % 13}*x^{i % 5}" ])
            let outcomes = check $"symbol x: 0 < x < 1\n{terms} = x\nx = x\n"
            Expect.isTrue (isFalse outcomes.Head.Verdict && isProved outcomes[1].Verdict) "20,000 terms are decided"
        }
        test "a step over its time budget is UNDECIDED with the reason, and the run goes on" {
            let limits = { CheckLimits.defaults with StepSeconds = 0.3 }
            let text = "symbol n: integer, 90000 <= n <= 100000\nsum(sin(k)^2, k, 1, n) = sum(1 - cos(k)^2, k, 1, n)\nn = n\n"
            let _, outcomes = StepChecker.checkTextWith limits 24 1 text
            match outcomes |> List.map (fun o -> o.Verdict) with
            | [ Undecided reason; Proved _ ] -> Expect.stringContains reason "budget" "the reason names the budget"
            | other -> failtestf "unexpected verdicts %A" other
        }
        test "a definition that puts 0 in a divisor is a LINE:COLUMN error, as it would be written inline" {
            let e = parseError "symbol x\nlet a = 0\nx/a = 1\n"
            Expect.equal (e.Line, e.Column) (3, 2) "at the '/'"
            let e = parseError "symbol x\nx/0 = 1\n"
            Expect.equal (e.Line, e.Column) (2, 2) "inline"
            let e = parseError "symbol x\nlet a = 1\nx/(a - 1) = 1\n"
            Expect.stringContains e.Message "division by zero" "a divisor that becomes 0"
            let e = parseError "symbol x\nlet f(t) = 1/t\nf(0) = 1\n"
            Expect.stringContains e.Message "division by zero" "through a defined function"
        }
        test "binding forms scope their variable: definitions are not captured, shadowing and renaming work" {
            let outcomes = check """
symbol z
symbol x
let a = z + 1
gauss(a*z, z, 0, 1) = 0
let f(t) = t^2
gauss(f(z), z, 0, 1) = 1
let g = z^2
gauss(g, z, 0, 1) = z^2
let h(t) = diff(t^3, t)
h(2) = 12
let z2 = 5
gauss(z2^2, z2, 0, 1) = 1
integral(sum(k*y, k, 1, 3), y, 0, 1) = 3
diff(integral(t*x, t, 0, x), x) = 3*x^2/2
"""
            for o in outcomes do Expect.isTrue (isProved o.Verdict) $"line {o.Step.Line}: %A{o.Verdict}"
        }
        test "orientation and emptiness: ∫ from lo > hi is minus ∫ from hi to lo, an empty sum is 0 and an empty product 1" {
            let outcomes = check """
symbol x
symbol n: integer, 1 <= n <= 5
integral(x^2, x, 2, 0) = -8/3
integral(exp(-x^2), x, inf, -inf) = -sqrt(pi)
sum(k, k, n + 1, n) = 0
product(k, k, n + 1, n) = 1
sum(1, k, 1, n - 1) = n - 1
"""
            for o in outcomes do Expect.isTrue (isProved o.Verdict) $"line {o.Step.Line}: %A{o.Verdict}"
        }
        test "a divergent expectation or integral is undefined (closed form) or undecided (numerical), never a number" {
            match single "symbol z\ngauss(exp(z^2), z, 0, 1) = 1\n" with
            | False(_, l, _, _) -> Expect.stringContains l "diverges" "E exp(z²) diverges: the left side is undefined"
            | other -> failtestf "expected FALSE, got %A" other
            expectFalse "∫₀^∞ 1 dx = 1" (single "symbol x\nintegral(1, x, 0, inf) = 1\n")
            Expect.isTrue (isUndecided (single "symbol z\ngauss(exp(exp(z)), z, 0, 1) = 1\n")) "E exp(exp z) (no closed form) is not reported as a value"
        }
        test "differentiating under an expectation refuses jumps (the derivative of E[step(z)] is a density, not 0)" {
            let outcomes = check """
symbol m: -1 < m < 1
symbol z
diff(gauss(step(z), z, m, 1), m) = exp(-m^2/2)/sqrt(2*pi)
diff(gauss(step(z), z, m, 1), m) = 0
"""
            Expect.isTrue (isProved outcomes[0].Verdict) "the density"
            expectFalse "not E[step′] = 0" outcomes[1].Verdict
        }
    ]
