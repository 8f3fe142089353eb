namespace FimVerify.Symbolic

/// Distributes products over sums and multiplies out positive integer powers of sums, everywhere in the
/// tree (also inside function arguments and exponents). After `expand`, two polynomials are equal exactly
/// when they are structurally equal.
[<RequireQualifiedAccess>]
module Expand =
    let private terms (x: Expression) = match x with Sum ts -> ts | t -> [ t ]

    /// The product of two expanded expressions, expanded.
    let private multiplyOut (a: Expression) (b: Expression) : Expression =
        Expression.add [ for s in terms a do for t in terms b -> Expression.mul [ s; t ] ]

    /// b^n for an expanded b, by repeated squaring of the multiplied-out form.
    let rec private power (b: Expression) (n: int) : Expression =
        if n = 1 then b
        else
            let half = power b (n / 2)
            let square = multiplyOut half half
            if n % 2 = 0 then square else multiplyOut square b

    let rec expand (x: Expression) : Expression =
        match x with
        | Number _ | Symbol _ | Constant _ -> x
        | Sum ts -> Expression.add (List.map expand ts)
        | Product fs -> fs |> List.map expand |> List.fold multiplyOut Expression.one
        | Power(b, Number n) when n.IsInteger && n.Sign > 0 ->
            match expand b with
            | Sum _ as s -> power s (int n.Num)
            | b' -> Expression.pow b' (Number n)
        | Power(b, e) -> Expression.pow (expand b) (expand e)
        | Apply(f, a) -> Expression.apply f (expand a)
