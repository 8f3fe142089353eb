namespace FimVerify.Symbolic

open System

/// Evaluation in double precision (the reference that compiled code is tested against).
[<RequireQualifiedAccess>]
module Floating =
    let applyFunction (f: Function) (a: float) : float =
        match f with
        | Exp -> Math.Exp a
        | Log -> Math.Log a
        | Sin -> Math.Sin a
        | Cos -> Math.Cos a
        | Arcsin -> Math.Asin a
        | Arccos -> Math.Acos a
        | Arctan -> Math.Atan a
        | Erf -> SpecialFunctions.erf a

    /// Evaluates with symbol values from `lookup` (which should throw for unknown symbols).
    let rec evaluateWith (lookup: string -> float) (x: Expression) : float =
        match x with
        | Number r -> r.ToDouble()
        | Symbol s -> lookup s
        | Constant Pi -> Math.PI
        | Constant E -> Math.E
        | Sum ts -> ts |> List.sumBy (evaluateWith lookup)
        | Product fs -> fs |> List.fold (fun acc f -> acc * evaluateWith lookup f) 1.0
        | Power(b, Number r) when r.IsInteger && abs r.Num < Numerics.BigInteger 1000 ->
            let v = evaluateWith lookup b
            let n = int r.Num
            if n = -1 then 1.0 / v elif n = 2 then v * v else Math.Pow(v, float n)
        | Power(b, Number h) when h = Rational.make 1 2 -> Math.Sqrt(evaluateWith lookup b)
        | Power(b, e) -> Math.Pow(evaluateWith lookup b, evaluateWith lookup e)
        | Apply(f, a) -> applyFunction f (evaluateWith lookup a)

    /// Evaluates with symbol values from a map.
    let evaluate (values: Map<string, float>) (x: Expression) : float =
        evaluateWith (fun s ->
            match values.TryFind s with
            | Some v -> v
            | None -> invalidArg "values" $"no value given for the symbol {s}") x
