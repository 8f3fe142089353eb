namespace FimVerify.Symbolic

open System
type private Linq = System.Linq.Expressions.Expression
type private Parameter = System.Linq.Expressions.ParameterExpression

/// Expression → a compiled delegate over doubles, via LINQ expression trees, for the numeric layer.
/// The delegate reads symbol i of `symbols` from its argument array at index i.
[<RequireQualifiedAccess>]
module Compiler =
    // Methods found by reflection rather than from quotations: quotations pull in much of FSharp.Core's
    // machinery, which costs tens of milliseconds of JIT at the first compile of a process.
    let private unary (t: Type) (name: string) = t.GetMethod(name, [| typeof<float> |])

    let private mathFunction (f: Function) =
        match f with
        | Exp -> unary typeof<Math> "Exp"
        | Log -> unary typeof<Math> "Log"
        | Sin -> unary typeof<Math> "Sin"
        | Cos -> unary typeof<Math> "Cos"
        | Arcsin -> unary typeof<Math> "Asin"
        | Arccos -> unary typeof<Math> "Acos"
        | Arctan -> unary typeof<Math> "Atan"
        | Erf -> unary (typeof<Function>.Assembly.GetType("FimVerify.Symbolic.SpecialFunctions", true)) "erf"

    let private powMethod = typeof<Math>.GetMethod("Pow", [| typeof<float>; typeof<float> |])
    let private sqrtMethod = unary typeof<Math> "Sqrt"

    /// The factors of a product (or one power) above and below the line: b^(−r) goes below as b^r.
    let private splitQuotient (x: Expression) : Expression list * Expression list =
        let factors = match x with Product fs -> fs | f -> [ f ]
        factors
        |> List.fold (fun (up, down) f ->
            match f with
            | Power(b, Number r) when r.Sign < 0 -> up, Expression.pow b (Number(-r)) :: down
            | f -> f :: up, down) ([], [])
        |> fun (up, down) -> List.rev up, List.rev down

    /// The expression tree of x, reading each symbol through `symbol`.
    let rec private build (symbol: string -> Linq) (x: Expression) : Linq =
        let recurse = build symbol
        match x with
        | Number r -> Linq.Constant(r.ToDouble()) :> Linq
        | Constant Pi -> Linq.Constant Math.PI :> Linq
        | Constant E -> Linq.Constant Math.E :> Linq
        | Symbol s -> symbol s
        | Sum ts -> ts |> List.map recurse |> List.reduce (fun a b -> Linq.Add(a, b) :> Linq)
        | Product _ | Power(_, Number _) when not (List.isEmpty (snd (splitQuotient x))) ->
            // p/q with one division rather than p·(1/q) (one rounding fewer, and √ rather than Pow for ^(−1/2)).
            let above, below = splitQuotient x
            let product (fs: Expression list) = fs |> List.map recurse |> List.reduce (fun a b -> Linq.Multiply(a, b) :> Linq)
            Linq.Divide((if above.IsEmpty then Linq.Constant 1.0 :> Linq else product above), product below) :> Linq
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

    let private unknown (s: string) : 'a = invalidArg "symbols" $"the symbol {s} is not in the argument list"

    /// The operations `build` emits, as data: evaluating this tree performs the same double operations in the same order as
    /// the compiled delegate, so both give bit-identical values.
    type private Step =
        | Value of float
        | Argument of int
        | Add of Step[]
        | Multiply of Step[]
        | Divide of Step * Step
        | SmallPower of Step * int
        | SquareRoot of Step
        | Pow of Step * Step
        | Applied of Function * Step

    /// The tree of x with the same case analysis as `build` (keep the two in step).
    let rec private plan (index: Collections.Generic.Dictionary<string, int>) (x: Expression) : Step =
        let recurse = plan index
        let operands (xs: Expression list) = if xs.IsEmpty then invalidArg "x" "an empty sum or product" else xs |> List.map recurse |> Array.ofList
        match x with
        | Number r -> Value(r.ToDouble())
        | Constant Pi -> Value Math.PI
        | Constant E -> Value Math.E
        | Symbol s -> match index.TryGetValue s with | true, i -> Argument i | _ -> unknown s
        | Sum ts -> Add(operands ts)
        | Product _ | Power(_, Number _) when not (List.isEmpty (snd (splitQuotient x))) ->
            let above, below = splitQuotient x
            let product (fs: Expression list) = Multiply(operands fs)
            Divide((if above.IsEmpty then Value 1.0 else product above), product below)
        | Product fs -> Multiply(operands fs)
        | Power(b, Number r) when r.IsInteger && abs r.Num <= Numerics.BigInteger 4 -> SmallPower(recurse b, int r.Num)
        | Power(b, Number h) when h = Rational.make 1 2 -> SquareRoot(recurse b)
        | Power(b, e) -> Pow(recurse b, recurse e)
        | Apply(f, a) -> Applied(f, recurse a)

    let rec private run (values: float[]) (step: Step) : float =
        match step with
        | Value v -> v
        | Argument i -> values[i]
        | Add terms ->
            let mutable acc = run values terms[0]
            for i in 1 .. terms.Length - 1 do acc <- acc + run values terms[i]
            acc
        | Multiply factors ->
            let mutable acc = run values factors[0]
            for i in 1 .. factors.Length - 1 do acc <- acc * run values factors[i]
            acc
        | Divide(p, q) -> run values p / run values q
        | SmallPower(b, n) ->
            let v = run values b
            let mutable product = v
            for _ in 2 .. abs n do product <- product * v
            if n > 0 then product else 1.0 / product
        | SquareRoot b -> Math.Sqrt(run values b)
        | Pow(b, e) -> Math.Pow(run values b, run values e)
        | Applied(f, a) -> Floating.applyFunction f (run values a)

    /// x as a delegate that walks a tree of x's operations instead of generating code: bit-identical to `compile` (the same
    /// operations in the same order), slower per call, but it costs no code generation and no JIT of a dynamic method (about
    /// a millisecond each at start-up). For closed forms evaluated a handful of times a process.
    let evaluator (symbols: string list) (x: Expression) : Func<float[], float> =
        let index = Collections.Generic.Dictionary<string, int>()
        symbols |> List.iteri (fun i s -> index[s] <- i)
        let tree = plan index x
        Func<float[], float>(fun values -> run values tree)

    /// Compiles x to a delegate; `symbols` fixes the argument order (every free symbol must be listed).
    let compile (symbols: string list) (x: Expression) : Func<float[], float> =
        let input = Linq.Parameter(typeof<float[]>, "values")
        let index = Collections.Generic.Dictionary<string, int>()
        symbols |> List.iteri (fun i s -> index[s] <- i)
        let symbol s = match index.TryGetValue s with | true, i -> Linq.ArrayIndex(input, Linq.Constant i) :> Linq | _ -> unknown s
        Linq.Lambda<Func<float[], float>>(build symbol x, input).Compile()

    /// Compiles several expressions over the same symbols into one delegate returning their values in order: one
    /// compilation instead of one per expression (each costs a dynamic method's JIT on first use).
    let compileMany (symbols: string list) (xs: Expression list) : Func<float[], float[]> =
        let input = Linq.Parameter(typeof<float[]>, "values")
        let index = Collections.Generic.Dictionary<string, int>()
        symbols |> List.iteri (fun i s -> index[s] <- i)
        let symbol s = match index.TryGetValue s with | true, i -> Linq.ArrayIndex(input, Linq.Constant i) :> Linq | _ -> unknown s
        Linq.Lambda<Func<float[], float[]>>(Linq.NewArrayInit(typeof<float>, xs |> List.map (build symbol)), input).Compile()

    /// The body of x over one double parameter per symbol, for the fixed-arity delegates below (no array per call).
    let private body (symbols: string list) (x: Expression) : Linq * Parameter list =
        let parameters = symbols |> List.map (fun s -> Linq.Parameter(typeof<float>, s))
        let index = Collections.Generic.Dictionary<string, Parameter>()
        List.iter2 (fun s p -> index[s] <- p) symbols parameters
        build (fun s -> match index.TryGetValue s with | true, p -> p :> Linq | _ -> unknown s) x, parameters

    /// x as a function of one symbol.
    let compile1 (s1: string) (x: Expression) : Func<float, float> =
        let b, ps = body [ s1 ] x
        Linq.Lambda<Func<float, float>>(b, ps).Compile()

    /// x as a function of two symbols, in this order.
    let compile2 (s1: string) (s2: string) (x: Expression) : Func<float, float, float> =
        let b, ps = body [ s1; s2 ] x
        Linq.Lambda<Func<float, float, float>>(b, ps).Compile()

    /// x as a function of three symbols, in this order.
    let compile3 (s1: string) (s2: string) (s3: string) (x: Expression) : Func<float, float, float, float> =
        let b, ps = body [ s1; s2; s3 ] x
        Linq.Lambda<Func<float, float, float, float>>(b, ps).Compile()
