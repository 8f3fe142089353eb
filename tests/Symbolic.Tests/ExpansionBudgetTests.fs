module FimVerify.Symbolic.Tests.ExpansionBudgetTests

open Expecto
open FsCheck
open FsCheck.FSharp
open FimVerify.Symbolic
open FimVerify.Symbolic.Tests.ExpressionGenerators

let private parse = InfixParser.parse
let private config = { FsCheckConfig.defaultConfig with maxTest = 60; replay = Some(20261207UL, 3UL, None) }

/// The terms `Expand.expand` actually leaves (after collecting like terms).
let private expandedTerms (x: Expression) =
    match Expand.expand x with
    | Sum ts -> ts.Length
    | _ -> 1

let private refusal (f: unit -> unit) =
    try f (); None with :? ExpansionBudgetException as e -> Some e.Message

[<Tests>]
let expansionBudget =
    testList "Expansion budget" [
        test "the term count of a power of a sum of distinct atoms is the number of monomials, C(k + t − 1, t − 1)" {
            // Independent evidence: the expansion itself, whose monomials in distinct atoms are all distinct (no cancellation).
            for text, exact in [ "(1 + x)^7", 8; "(x + y + z)^4", 15; "(a + b + c + d)^5", 56; "(x + y)^3*(u + v + w)^2", 24 ] do
                let e = parse text
                Expect.equal (expandedTerms e) exact $"{text} multiplied out"
                Expect.floatClose { absolute = 0.0; relative = 1e-3 } (ExpansionBudget.estimate e) (float exact) $"estimate of {text}"
        }
        testPropertyWithConfig config "the estimate bounds the terms of any expansion" (Prop.forAll (Arb.fromGen (Gen.sized (fun s -> polynomialOfSize (min s 6)))) (fun p ->
            float (expandedTerms p) <= ExpansionBudget.estimate p * (1.0 + 1e-3)))
        test "the degree is the largest power to which a sum is raised, inside function arguments and denominators too" {
            for text, degree in [ "(1 + x)^1000", 1000.0; "1000*(1 + x)^999", 999.0; "1/(1 + x^2)^3", 6.0; "x^1000000", 0.0; "sin((1 + x*y)^300)", 600.0; "x/(1 + exp(-x))", 1.0 ] do
                Expect.equal (ExpansionBudget.degree (parse text)) degree text
        }
        test "beyond the budget: one sentence with the estimate and the limit, before any work" {
            let budget = ExpansionBudget.defaults
            let message = refusal (fun () -> Simplify.simplifyWithin budget (Differentiate.withRespectTo "x" (parse "(1 + x)^1000")) |> ignore)
            Expect.equal message (Some "multiplying out would raise a sum to degree 999, beyond the symbolic engine's budget of degree 256") "(1 + x)^1000"
            let terms = refusal (fun () -> ExpansionBudget.require budget (parse "(a + b + c + d + e + f + g + h)^12"))
            Expect.isSome terms "C(19, 7) = 50,388 terms"
            Expect.stringContains terms.Value "beyond the symbolic engine's budget of 20000 terms" "the terms' limit"
            Expect.isNone (refusal (fun () -> ExpansionBudget.require budget (parse "(1 + x)^256"))) "degree 256 is within the budget"
        }
        test "within the budget the result is simplify's" {
            for text in [ "x/(1 + exp(-x))"; "x*erf(x)"; "(1 + x)^20"; "cos(x)^4 + sin(x)^2"; "log(1 + x^2)/(1 + x)^3"; "sqrt(1 + x^2)*arctan(x)" ] do
                let d = Differentiate.withRespectTo "x" (parse text)
                Expect.equal (Simplify.simplifyWithin ExpansionBudget.defaults d) (Simplify.simplify d) text
        }
    ]
