namespace FimVerify.Symbolic

open System
open Microsoft.FSharp.Quotations
type private Linq = System.Linq.Expressions.Expression
type private Parameter = System.Linq.Expressions.ParameterExpression

/// Expression → a compiled delegate over doubles, via LINQ expression trees, for the numeric layer.
/// The delegate reads symbol i of `symbols` from its argument array at index i.
[<RequireQualifiedAccess>]
module Compiler =
    let private methodOf (q: Expr) =
        match q with
        | Patterns.Call(_, m, _) -> m
        | _ -> invalidOp "not a method call"

    let private mathFunction (f: Function) =
        match f with
        | Exp -> methodOf <@ Math.Exp 0.0 @>
        | Log -> methodOf <@ Math.Log 0.0 @>
        | Sin -> methodOf <@ Math.Sin 0.0 @>
        | Cos -> methodOf <@ Math.Cos 0.0 @>
        | Arcsin -> methodOf <@ Math.Asin 0.0 @>
        | Arccos -> methodOf <@ Math.Acos 0.0 @>
        | Arctan -> methodOf <@ Math.Atan 0.0 @>
        | Erf -> methodOf <@ SpecialFunctions.erf 0.0 @>

    let private powMethod = methodOf <@ Math.Pow(0.0, 0.0) @>
    let private sqrtMethod = methodOf <@ Math.Sqrt 0.0 @>

    /// The expression tree of x, reading symbols from `input`.
    let rec private build (index: Map<string, int>) (input: Parameter) (x: Expression) : Linq =
        let recurse = build index input
        match x with
        | Number r -> Linq.Constant(r.ToDouble()) :> Linq
        | Constant Pi -> Linq.Constant Math.PI :> Linq
        | Constant E -> Linq.Constant Math.E :> Linq
        | Symbol s ->
            match index.TryFind s with
            | Some i -> Linq.ArrayIndex(input, Linq.Constant i) :> Linq
            | None -> invalidArg "symbols" $"the symbol {s} is not in the argument list"
        | Sum ts -> ts |> List.map recurse |> List.reduce (fun a b -> Linq.Add(a, b) :> Linq)
        | Product fs -> fs |> List.map recurse |> List.reduce (fun a b -> Linq.Multiply(a, b) :> Linq)
        | Power(b, Number r) when r.IsInteger && abs r.Num <= Numerics.BigInteger 4 ->
            // Small integer powers as products (exact as Math.Pow, and faster).
            let n = int r.Num
            let v = Linq.Variable(typeof<float>)
            let product = List.replicate (abs n) (v :> Linq) |> List.reduce (fun a b -> Linq.Multiply(a, b) :> Linq)
            let body = if n > 0 then product else Linq.Divide(Linq.Constant 1.0, product) :> Linq
            Linq.Block([ v ], [ Linq.Assign(v, recurse b) :> Linq; body ]) :> Linq
        | Power(b, Number h) when h = Rational.make 1 2 -> Linq.Call(sqrtMethod, recurse b) :> Linq
        | Power(b, e) -> Linq.Call(powMethod, recurse b, recurse e) :> Linq
        | Apply(f, a) -> Linq.Call(mathFunction f, recurse a) :> Linq

    /// Compiles x to a delegate; `symbols` fixes the argument order (every free symbol must be listed).
    let compile (symbols: string list) (x: Expression) : Func<float[], float> =
        let input = Linq.Parameter(typeof<float[]>, "values")
        let index = symbols |> List.mapi (fun i s -> s, i) |> Map.ofList
        Linq.Lambda<Func<float[], float>>(build index input x, input).Compile()
