namespace FimVerify.Symbolic

/// Evaluation at ≥ 50 significant digits (Real), and exact evaluation at rational points.
[<RequireQualifiedAccess>]
module Precise =
    let applyFunction (f: Function) (a: Real) : Real =
        match f with
        | Exp -> Real.exp a
        | Log -> Real.log a
        | Sin -> Real.sin a
        | Cos -> Real.cos a
        | Arcsin -> Real.arcsin a
        | Arccos -> Real.arccos a
        | Arctan -> Real.arctan a
        | Erf -> Real.erf a

    /// Evaluates with high precision; throws ArithmeticException outside the real domain.
    let rec evaluate (values: Map<string, Real>) (x: Expression) : Real =
        match x with
        | Number r -> Real.OfRational r
        | Symbol s ->
            match values.TryFind s with
            | Some v -> v
            | None -> invalidArg "values" $"no value given for the symbol {s}"
        | Constant Pi -> Real.pi
        | Constant E -> Real.e
        | Sum ts -> ts |> List.fold (fun acc t -> acc + evaluate values t) Real.Zero
        | Product fs -> fs |> List.fold (fun acc f -> acc * evaluate values f) Real.One
        | Power(b, Number r) when r.IsInteger -> Real.powInt (evaluate values b) r.Num
        | Power(b, Number h) when h = Rational.make 1 2 -> Real.sqrt (evaluate values b)
        | Power(b, Number r) when not r.Den.IsEven ->
            // Real odd roots of negative bases: b^(p/q) = sign^p · |b|^(p/q) for odd q.
            let v = evaluate values b
            let magnitude = Real.exp (Real.OfRational r * Real.log v.Abs)
            if v.Sign < 0 && not r.Num.IsEven then -magnitude
            elif v.IsZero then (if r.Sign > 0 then Real.Zero else raise (System.DivideByZeroException "0 to a negative power"))
            else magnitude
        | Power(b, e) -> Real.exp (evaluate values e * Real.log (evaluate values b))
        | Apply(f, a) -> applyFunction f (evaluate values a)

    /// High-precision value, or None where the expression is undefined (log of a negative, division by 0, …).
    let tryEvaluate (values: Map<string, Real>) (x: Expression) : Real option =
        try Some(evaluate values x)
        with
        | :? System.ArithmeticException -> None

    /// The exact value at a rational point, when the expression is rational there (polynomials and rational
    /// functions always are, away from poles); None otherwise. Substitution folds the numbers exactly.
    let tryExact (values: Map<string, Rational>) (x: Expression) : Rational option =
        try
            match Substitute.many (values |> Map.map (fun _ r -> Number r)) x with
            | Number r -> Some r
            | _ -> None
        with
        | :? System.DivideByZeroException -> None
