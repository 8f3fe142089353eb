/// The derivation language of issue 13: expectations, integrals, sums, inequalities, as in the example files, each
/// with a subtly wrong variant that must be FALSE.
module FimVerify.Symbolic.Tests.CheckerLanguageTests

open System.IO
open Expecto
open FsCheck
open FsCheck.FSharp
open FimVerify.Symbolic
open FimVerify.Symbolic.Tests.DerivationCheckerTests

let private crossCheckConfig = { FsCheckConfig.defaultConfig with maxTest = 12; replay = Some(20261213UL, 11UL, None) }

let private read (name: string) = File.ReadAllText(Path.Combine(examples, name))

/// The line number of the first line containing `fragment`.
let private lineOf (text: string) (fragment: string) =
    let lines = text.Replace("\r\n", "\n").Split('\n')
    match lines |> Array.tryFindIndex (fun l -> l.Contains fragment) with
    | Some i -> i + 1
    | None -> failtestf "no line contains %s" fragment

/// Each example with (fragment of a right line, its subtly wrong replacement).
let private variants =
    [ "relu-mean-field.txt",
      [ "= q/2                                          #", "= q/4                                          #"
        "(pi - arccos(c))*c)   # I_φ", "(pi + arccos(c))*c)   # I_φ"
        "= (pi - arccos(c))/(2*pi)", "= (pi - arccos(c))/pi"
        "= a*gauss2(step(u)*step(w), u, w, a, b, a)", "= gauss2(step(u)*step(w), u, w, a, b, a)"
        "gauss2(relu(u)*relu(w), u, w, q, q, q) = gauss(relu(z)^2, z, 0, q)", "gauss2(relu(u)*relu(w), u, w, q, q, q) = gauss(relu(z), z, 0, q)^2" ]
      "erf-mean-field.txt",
      [ "arcsin(2*q/(1 + 2*q))", "arcsin(2*q/(1 + q))"
        "4/(pi*sqrt(1 + 4*q))", "4/(pi*sqrt(1 + 2*q))"
        "arcsin(2*b/(1 + 2*a))      # I_φ", "arcsin(b/(1 + 2*a))      # I_φ"
        "- 4*b^2))   # I_φ′", "- 2*b^2))   # I_φ′"
        "= a*gauss2(dphi(u)*dphi(w), u, w, a, b, a)", "= gauss2(dphi(u)*dphi(w), u, w, a, b, a)" ]
      "stein-lemma.txt",
      [ "gauss(z*relu(z), z, 0, v) = v*gauss(", "gauss(z*relu(z), z, 0, v) = v^2*gauss("
        "gauss(z*erf(z), z, 0, v) = v*gauss(", "gauss(z*erf(z), z, 0, v) = gauss("
        "diff(z^2*erf(z), z)", "diff(z^3*erf(z), z)"
        "gauss((z - m)*relu(z), z, m, v) = v*gauss(step(z), z, m, v)", "gauss((z - m)*relu(z), z, m, v) = v*gauss(step(z), z, 0, v)"
        "-((z - m)/v)*exp", "-((z + m)/v)*exp" ]
      "gaussian-moments.txt",
      [ "= doublefactorial(2*k - 1)                     #", "= doublefactorial(2*k + 1)                     #"
        "= factorial(2*k)/(2^k*factorial(k))", "= factorial(2*k)/(2^k*factorial(k + 1))"
        "(2*k + 1)*gauss(z^(2*k), z, 0, 1)", "(2*k + 2)*gauss(z^(2*k), z, 0, 1)"
        "= v^k*doublefactorial(2*k - 1)                   #", "= v^(2*k)*doublefactorial(2*k - 1)                   #"
        "v^(k + 1)*doublefactorial(2*k + 1)/2", "v^(k + 1)*doublefactorial(2*k + 1)/4" ]
      "inequalities.txt",
      [ "log(y) <= y - 1", "log(y) <= y - 2"
        "exp(x) >= 1 + x", "exp(x) >= 1 + 2*x"
        "tanh(x)^2 < 1", "tanh(x)^2 < 1/2"
        "gauss(step(z), z, 0, q) <= 1", "gauss(step(z), z, 0, q) < 1/2"
        "sin(t) >= 2*t/pi", "sin(t) >= 3*t/pi" ] ]

[<Tests>]
let tests =
    testList "Checker language (issue 13)" [
        test "the example derivations: every step PROVED or PLAUSIBLE" {
            for name, _ in variants do
                for o in check (read name) do
                    Expect.isTrue (isProved o.Verdict || isPlausible o.Verdict) $"{name} line {o.Step.Line}: %A{o.Verdict}"
        }
        test "the mean-field maps, Price's theorem, the moments, the closed-form inequalities are PROVED, and the route says so" {
            let relu = check (read "relu-mean-field.txt")
            Expect.isTrue (relu |> List.forall (fun o -> isProved o.Verdict)) "every ReLU step proved"
            let erf = check (read "erf-mean-field.txt")
            Expect.isTrue (erf |> List.forall (fun o -> isProved o.Verdict)) "every erf step proved"
            let moments = read "gaussian-moments.txt"
            let v = verdictAt (lineOf moments "gauss(z^(2*k), z, 0, 1)") (check moments)
            Expect.stringContains (route v) "exhaustively" "k in 0…12: all 13 points, exactly"
            let inequalities = read "inequalities.txt"
            let v = verdictAt (lineOf inequalities "Jensen") (check inequalities)
            Expect.stringContains (route v) "closed forms" "Jensen by the closed forms and the sign of the difference"
        }
        test "a subtly wrong variant of each example step is FALSE (and nothing else in its file is)" {
            for name, changes in variants do
                let text = read name
                for original, wrong in changes do
                    Expect.stringContains text original $"{name} contains the fragment"
                    let changed = text.Replace(original, wrong)
                    let line = lineOf changed wrong
                    let outcomes = check changed
                    Expect.isTrue (isFalse (verdictAt line outcomes)) $"{name}: '{wrong}' (line {line}) is FALSE: %A{verdictAt line outcomes}"
                    for o in outcomes do
                        if o.Step.Line <> line && not (o.Step.Text.StartsWith "=" || o.Step.Text.StartsWith "<") then
                            Expect.isFalse (isFalse o.Verdict) $"{name}: only the changed line is FALSE (line {o.Step.Line})"
        }
        testPropertyWithConfig crossCheckConfig "closed forms agree with adaptive quadrature at random parameters (independent routes)" (Prop.forAll (Arb.fromGen (Gen.zip3 (Gen.choose (1, 3000)) (Gen.choose (-2000, 2000)) (Gen.choose (-900, 900)))) (fun (vk, mk, ck) ->
            let v, m, c = Rational.make vk 1000, Rational.make mk 1000, Rational.make ck 1000
            let env = Map.ofList [ "v", PointEvaluation.exact 128 v; "m", PointEvaluation.exact 128 m; "c", PointEvaluation.exact 128 c ]
            let forms =
                [ "gauss(relu(z - c)^2*z, z, m, v)"; "gauss(abs(z)*exp(c*z), z, m, v)"; "gauss(step(z + c)*z^3, z, m, v)"
                  "gauss(z^3*erf(c*z + m), z, m, v)"; "gauss(max(z, c)*min(z, 0), z, m, v)"; "gauss(erf(z)*erf(c*z), z, 0, v)"
                  "gauss2(relu(u)*relu(w), u, w, v, c*v, v)"; "gauss2(step(u)*step(w), u, w, v, c*v, 2*v)"; "gauss2(erf(u)*erf(w), u, w, v, c*v, 1)"
                  "gauss2(exp(-u^2 - c*u*w - w^2), u, w, v, c*v/2, v)"; "gauss2(u^3*w^3, u, w, v, c*v, 1)"
                  "integral(relu(x - c)*exp(-x^2), x, -inf, inf)"; "integral(x^2*exp(c*x), x, m, 2)" ]
            for text in forms do
                let t = match TermParser.tryParse Map.empty text with Result.Ok(t, _) -> t | Result.Error e -> failwith (string e)
                let ctx : EvaluationContext = { Precision = 128; Limits = CheckLimits.defaults; Budget = WorkBudget(30.0); Cache = PointCache() }
                let closed =
                    match PointEvaluation.eval ctx env t with
                    | PointValue.Value a when a.Certified -> Interval.midpoint a.Enclosure
                    | other -> failwith $"{text}: no closed form at v = {v}, m = {m}, c = {c}: %A{other}"
                let free = Term.freeVariables t |> List.ofSeq
                let slots = free |> List.mapi (fun i n -> n, i) |> Map.ofList
                let values = Array.zeroCreate DoubleEvaluation.slotCount
                free |> List.iteri (fun i n -> values[i] <- env[n].Exact.Value.ToDouble())
                let settings : DoubleEvaluation.Settings = { Tolerance = 1e-12; MaxEvaluations = 400_000; Budget = WorkBudget(30.0) }
                let q = DoubleEvaluation.binderIntegral settings slots t values
                if not q.Converged || abs (q.Value - closed) > 1e-8 * (1.0 + q.AbsoluteIntegral) then
                    failwith $"{text} at v = {v}, m = {m}, c = {c}: closed form {closed}, quadrature {q.Value} ± {q.Error}"
            true))
        test "numerical routes say so: an expectation without a closed form is integrated, with its estimated error" {
            let outcomes = check "symbol z\ngauss(z*tanh(z), z, 0, 1) = gauss(1 - tanh(z)^2, z, 0, 1)\ngauss(z*tanh(z), z, 0, 1) = gauss(1 - tanh(z)^2, z, 0, 1) + 1/10^6\n"
            Expect.isTrue (isPlausible outcomes[0].Verdict) "Stein for tanh holds numerically"
            Expect.stringContains (route outcomes[0].Verdict) "numerical integration" "the route"
            Expect.isTrue (isFalse outcomes[1].Verdict) "a difference of 1e-6 is far outside the quadrature error"
            let two = check "symbol a: 1/2 < a < 2\nsymbol u\nsymbol w\ngauss2(tanh(u)*tanh(w), u, w, a, a/2, a) = gauss2(tanh(w)*tanh(u), w, u, a, a/2, a)\ngauss2(tanh(u)*tanh(w), u, w, a, a/2, a) = gauss2(tanh(u)*tanh(w), u, w, a, a/3, a)\n"
            Expect.isTrue (isProved two[0].Verdict || isPlausible two[0].Verdict) "the same two-point expectation"
            Expect.isTrue (isFalse two[1].Verdict) "a different covariance"
        }
        test "functions and forms: values at integers, piecewise identities, arctan2, diff with order and at" {
            let outcomes = check """
symbol x: -3 < x < 3
symbol y: 1/2 < y < 3
symbol n: integer, 0 <= n <= 20
factorial(5) = 120
doublefactorial(7) = 105
doublefactorial(-1) = doublefactorial(0)
binomial(n, 2) = n*(n - 1)/2
binomial(n + 1, n) = n + 1
gamma(5/2) = 3*sqrt(pi)/4
gamma(y + 1) = y*gamma(y)
relu(x) - relu(-x) = x
max(x, 1) + min(x, 1) = x + 1
abs(x)*sign(x) = x
step(x) + step(-x) + 1 - abs(sign(x)) = 1
arctan2(y, y) = pi/4
arctan2(1, -1) = 3*pi/4
cosh(x)^2 - sinh(x)^2 = 1
tan(x/2) = sin(x)/(1 + cos(x))
diff(x^5, x, 3) = 60*x^2
at(diff(exp(2*x), x, 2), x, 0) = 4
"""
            for o in outcomes do Expect.isTrue (isProved o.Verdict || isPlausible o.Verdict) $"line {o.Step.Line}: %A{o.Verdict}"
        }
        test "closed forms decide by themselves: power sums for unbounded n, bivariate moments, half-line moments" {
            let outcomes = check """
symbol n: integer, n >= 0
symbol a: 1 < a < 2
symbol c: 1 < c < 2
symbol b: -1/2 < b < 1/2
symbol m: -1 < m < 1
symbol u
symbol w
symbol z
sum(k^3, k, 1, n) = n^2*(n + 1)^2/4
sum(2^k, k, 0, n) = 2^(n + 1) - 1
gauss2(u^2*w^2, u, w, a, b, c) = a*c + 2*b^2
gauss2(u^3*w, u, w, a, b, c) = 3*a*b
gauss(relu(z)^3, z, 0, a) = 2*a^(3/2)/sqrt(2*pi)
gauss(abs(z - m), z, m, a) = sqrt(2*a/pi)
"""
            for o in outcomes do
                Expect.isTrue (isProved o.Verdict) $"line {o.Step.Line}: %A{o.Verdict}"
                Expect.stringContains (route o.Verdict) "closed forms" $"line {o.Step.Line} by its closed form"
            let wrong = check "symbol n: integer, n >= 0
sum(k^3, k, 1, n) = n^2*(n + 1)^2/2
symbol a: 1 < a < 2
symbol u
symbol w
gauss2(u^2*w^2, u, w, a, a/2, a) = a^2
"
            for o in wrong do Expect.isTrue (isFalse o.Verdict) $"line {o.Step.Line} is FALSE: %A{o.Verdict}"
        }
        test "inequalities as chain continuations, and their failures" {
            let outcomes = check "symbol x\nx^2 + 1 > 0\n0 <= x^2\n<= x^2 + 1\n< x^2 + 2\n< x^2\n"
            match outcomes |> List.map (fun o -> o.Verdict) with
            | [ Proved _; Proved _; Proved _; Proved _; False _ ] -> ()
            | other -> failtestf "unexpected verdicts %A" other
            Expect.isTrue (isFalse (check "symbol x: -1 < x < 1\nsin(x) <= x\n").Head.Verdict) "sin x ≤ x fails for x < 0"
            Expect.isTrue (isFalse (check "symbol x: -1 < x < 1\nx^2 < x^2\n").Head.Verdict) "strict fails on equality"
            Expect.isTrue (isProved (check "symbol x: -1 < x < 1\nx^2 <= x^2\n").Head.Verdict) "non-strict holds on equality"
        }
    ]
