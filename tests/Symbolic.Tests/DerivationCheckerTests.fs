module FimVerify.Symbolic.Tests.DerivationCheckerTests

open System.IO
open Expecto
open FimVerify.Symbolic

/// examples/derivations, found from the test binary's folder upwards.
let examples =
    let rec up (dir: DirectoryInfo) =
        let candidate = Path.Combine(dir.FullName, "examples", "derivations")
        if Directory.Exists candidate then candidate
        elif isNull dir.Parent then failwith "examples/derivations not found"
        else up dir.Parent
    up (DirectoryInfo(System.AppContext.BaseDirectory))

let check (text: string) = StepChecker.checkText 24 1 text |> snd

let parseError (text: string) =
    try
        DerivationFile.parse text |> ignore
        failwith "expected a malformed-file error"
    with DerivationFileException e -> e

let isFalse = function False _ -> true | _ -> false
let isProved = function Proved _ -> true | _ -> false
let isPlausible = function Plausible _ -> true | _ -> false
let isUndecided = function Undecided _ -> true | _ -> false

/// The verdict of the step on a line.
let verdictAt (line: int) (outcomes: StepOutcome list) = (outcomes |> List.find (fun o -> o.Step.Line = line)).Verdict

/// The route a verdict names.
let route (v: StepVerdict) =
    match v with
    | Proved r -> r
    | Plausible(_, r) -> r
    | False(_, _, _, r) -> r
    | Undecided r -> r

[<Tests>]
let tests =
    testList "Derivation checker" [
        test "the example files: no FALSE or UNDECIDED step in the right ones; the wrong file has exactly its two wrong steps FALSE" {
            let outcomes name = check (File.ReadAllText(Path.Combine(examples, name)))
            for name in [ "lemma1-from-theorem1.txt"; "theorem2-coefficients.txt"; "erf-kernel-by-price.txt" ] do
                for o in outcomes name do
                    Expect.isFalse (isFalse o.Verdict) $"{name} line {o.Step.Line}"
                    Expect.isFalse (isUndecided o.Verdict) $"{name} line {o.Step.Line} decided"
            let wrong = outcomes "wrong-coefficient.txt"
            Expect.equal (wrong |> List.filter (fun o -> isFalse o.Verdict) |> List.map (fun o -> o.Step.Line)) [ 5; 8 ] "FALSE lines"
            Expect.isTrue (isProved (verdictAt 7 wrong)) "the right step is proved"
        }
        test "verdict kinds: canonical, exact rational points, high precision, and a counterexample that really differs" {
            let text = """
symbol x: 0 < x < 2
symbol y
(x + y)^2 = x^2 + 2*x*y + y^2
1/(x - 3) + 1/(x + 3) = 2*x/(x^2 - 9)
sin(x)^2 + cos(x)^2 = 1
exp(log(x) + 1) = e*x
sin(x) = x - x^3/6
"""
            match check text |> List.map (fun o -> o.Verdict) with
            | [ Proved _; Proved _; Proved _; Proved _ | Plausible _; False(point, l, r, _) ] ->
                Expect.notEqual l r "counterexample values differ"
                Expect.equal (point |> List.map fst) [ "x" ] "the point names x"
            | other -> failtestf "unexpected verdicts %A" other
        }
        test "rational identities are proved by their normal form (common factors cancelled, divisors proved non-zero)" {
            let text = """
symbol x: 0 < x < 1
(x^2 - 1)/(x - 1) = x + 1
(sin(x)^2 - 1)/(sin(x) - 1) = sin(x) + 1
(x - 1)/(sqrt(x) - 1) = sqrt(x) + 1
(x^2 - 1)/(x - 1) = x - 1
"""
            match check text |> List.map (fun o -> o.Verdict) with
            | [ Proved _; Proved _; Proved _; False _ ] -> ()
            | other -> failtestf "unexpected verdicts %A" other
        }
        test "the same seed gives the same counterexample" {
            let text = "symbol x: 0 < x < 1\nx^2 = x"
            Expect.equal (check text) (check text) "reproducible"
        }
        test "points respect the assumptions (a claim true only on 0 < x < 1 is not FALSE there)" {
            let text = "symbol x: 0 < x < 1\nsqrt(x^2) = x\n"
            Expect.isTrue (isProved (check text).Head.Verdict) "√(x²) = x for x > 0, by the assumption"
            let outside = "symbol x: -1 < x < 0\nsqrt(x^2) = x\n"
            Expect.isTrue (check outside |> List.exists (fun o -> isFalse o.Verdict)) "√(x²) ≠ x for x < 0"
        }
        test "derivative steps: d/dphi of the arc antiderivative" {
            let text = "symbol phi: -3 < phi < 3\nsymbol theta: 0 < theta < 3\nderivative phi: phi*cos(theta)/2 + sin(2*phi - theta)/4 = cos(phi - theta)*cos(phi)\nderivative phi: phi^3 = 3*phi\n"
            match check text |> List.map (fun o -> o.Verdict) with
            | [ Plausible _ | Proved _; False _ ] -> ()
            | other -> failtestf "unexpected verdicts %A" other
        }
        test "malformed files report line and column" {
            let e = parseError "symbol t: 0 < t < 1\nt + = 2\n"
            Expect.equal (e.Line, e.Column) (2, 5) "missing operand"
            let e = parseError "symbol t: 0 < t < 1\n  t + u = 2\n"
            Expect.equal (e.Line, e.Column) (2, 7) "undeclared symbol u"
            let e = parseError "symbol t: 0 < t < 1\n= t\n"
            Expect.equal (e.Line, e.Column) (2, 1) "chain without a start"
            let e = parseError "symbol t: 0 < t < q\nt = t\n"
            Expect.equal e.Line 1 "bound with a symbol"
            let e = parseError "symbol pi\n"
            Expect.equal e.Line 1 "reserved name"
            let e = parseError "symbol t\n"
            Expect.stringContains e.Message "no step" "empty derivation"
            let e = parseError "symbol t: 1 < t < 0\nt = t\n"
            Expect.equal (e.Line, e.Column) (1, 11) "empty interval"
            Expect.stringContains e.Message "empty interval" "the reason"
            let e = parseError "symbol t: 1 < t < 1\nt = t\n"
            Expect.stringContains e.Message "empty interval" "a strict interval with equal ends is empty too"
            let e = parseError "\u0000\u0001 binary\n"
            Expect.equal e.Line 1 "binary garbage is a parse error, not a crash"
            let e = parseError "symbol x\nfoo(x) = 1\n"
            Expect.stringContains e.Message "not a function" "an unknown function"
            let e = parseError "symbol x\nx + inf = 1\n"
            Expect.stringContains e.Message "integral" "inf outside an integral bound"
            let e = parseError "symbol x\nlet a = 2*x\ndiff(x^2, a) = 1\n"
            Expect.stringContains e.Message "definition" "diff in a definition's name"
        }
    ]
