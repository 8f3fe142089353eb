namespace FimVerify.Symbolic

/// Simplification by facts that hold wherever both sides are defined (real arguments):
/// sin(arccos t) = cos(arcsin t) = √(1 − t²), sin(arctan t) = t/√(1 + t²), cos(arctan t) = 1/√(1 + t²),
/// arccos t = π/2 − arcsin t, and sin² + cos² = 1 (used to eliminate cos² in favour of 1 − sin²), followed by
/// expansion and the rational-function normal form. The result is canonical for rational expressions in
/// sin, cos of the same arguments and the other atoms.
[<RequireQualifiedAccess>]
module Simplify =
    module X = Expression

    let private oneMinusSquare t = X.sub X.one (X.pow t (X.ofInt 2))
    let private onePlusSquare t = X.add [ X.one; X.pow t (X.ofInt 2) ]

    /// One bottom-up pass of the inverse-trigonometric facts.
    let inverseTrigonometric (x: Expression) : Expression =
        x
        |> X.transform (function
            | Apply(Sin, Apply(Arccos, t))
            | Apply(Cos, Apply(Arcsin, t)) -> X.sqrt (oneMinusSquare t)
            | Apply(Sin, Apply(Arctan, t)) -> X.div t (X.sqrt (onePlusSquare t))
            | Apply(Cos, Apply(Arctan, t)) -> X.pow (onePlusSquare t) (X.rational -1 2)
            | y -> y)
        // Only after the compositions above have been resolved: arccos in terms of arcsin.
        |> X.transform (function
            | Apply(Arccos, t) -> X.sub (X.div X.pi (X.ofInt 2)) (X.arcsin t)
            | y -> y)

    /// cos(a)^n → cos(a)^(n mod 2) · (1 − sin(a)²)^(n div 2), so sin² + cos² = 1 is applied everywhere.
    let pythagorean (x: Expression) : Expression =
        x |> X.transform (function
            | Power(Apply(Cos, a), Number n) when n.IsInteger && n.Sign > 0 && n.Num >= System.Numerics.BigInteger 2 ->
                let k = int n.Num
                X.mul [ X.pow (X.cos a) (X.ofInt (k % 2)); X.pow (oneMinusSquare (X.sin a)) (X.ofInt (k / 2)) ]
            | y -> y)

    /// The full pipeline: inverse-trigonometric facts, sin² + cos² = 1, expansion, rational normal form.
    let simplify (x: Expression) : Expression =
        x |> inverseTrigonometric |> Expand.expand |> pythagorean |> Expand.expand |> RationalFunction.normalForm

    /// `simplify` when x is within the budget; otherwise ExpansionBudgetException before any work. The budget is checked on x with
    /// its rewrites by the facts applied (cheap tree rewrites, which is where cos^n becomes (1 − sin²)^(n/2)); the degree bound
    /// covers the normal form's powers too.
    let simplifyWithin (budget: ExpansionBudget) (x: Expression) : Expression =
        ExpansionBudget.require budget (x |> inverseTrigonometric |> pythagorean)
        simplify x
