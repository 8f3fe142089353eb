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
        // By its assembly-qualified name as a literal: Native AOT's trimmer keeps a type named so (and warns on, and drops, one
        // looked up through Assembly.GetType).
        | Erf -> unary (Type.GetType("FimVerify.Symbolic.SpecialFunctions, FimVerify.Symbolic", true)) "erf"

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

    let private unknown (s: string) : 'a = invalidArg "symbols" $"the symbol {s} is not in the argument list"

    /// The double operations that evaluate an expression, in order: `compile` emits them as a LINQ tree and `evaluator` walks
    /// them, so the two give bit-identical values from one case analysis.
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

    /// The steps of x, symbol s read as argument `index[s]`.
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
            // p/q with one division rather than p·(1/q) (one rounding fewer, and √ rather than Pow for ^(−1/2)).
            let above, below = splitQuotient x
            Divide((if above.IsEmpty then Value 1.0 else Multiply(operands above)), Multiply(operands below))
        | Product fs -> Multiply(operands fs)
        // Small integer powers as products (exact as Math.Pow, and faster).
        | Power(b, Number r) when r.IsInteger && abs r.Num <= Numerics.BigInteger 4 -> SmallPower(recurse b, int r.Num)
        | Power(b, Number h) when h = Rational.make 1 2 -> SquareRoot(recurse b)
        | Power(b, e) -> Pow(recurse b, recurse e)
        | Apply(f, a) -> Applied(f, recurse a)

    let private indexOf (symbols: string list) =
        let index = Collections.Generic.Dictionary<string, int>()
        symbols |> List.iteri (fun i s -> index[s] <- i)
        index

    /// The LINQ tree of the steps, argument i read through `argument i`.
    let rec private emit (argument: int -> Linq) (step: Step) : Linq =
        let recurse = emit argument
        let fold (combine: Linq * Linq -> Linq) (xs: Step[]) = xs |> Array.map recurse |> Array.reduce (fun a b -> combine (a, b))
        match step with
        | Value v -> Linq.Constant v :> Linq
        | Argument i -> argument i
        | Add terms -> terms |> fold (fun (a, b) -> Linq.Add(a, b) :> Linq)
        | Multiply factors -> factors |> fold (fun (a, b) -> Linq.Multiply(a, b) :> Linq)
        | Divide(p, q) -> Linq.Divide(recurse p, recurse q) :> Linq
        | SmallPower(b, n) ->
            let v = Linq.Variable(typeof<float>)
            let product = List.replicate (abs n) (v :> Linq) |> List.reduce (fun a b -> Linq.Multiply(a, b) :> Linq)
            let body = if n > 0 then product else Linq.Divide(Linq.Constant 1.0, product) :> Linq
            Linq.Block([ v ], [ Linq.Assign(v, recurse b) :> Linq; body ]) :> Linq
        | SquareRoot b -> Linq.Call(sqrtMethod, recurse b) :> Linq
        | Pow(b, e) -> Linq.Call(powMethod, recurse b, recurse e) :> Linq
        | Applied(f, a) -> Linq.Call(mathFunction f, recurse a) :> Linq

    /// The expression tree of x over `symbols`, symbol i read through `argument i`.
    let private build (symbols: string list) (argument: int -> Linq) (x: Expression) : Linq = emit argument (plan (indexOf symbols) x)

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

    /// x as a delegate that walks x's steps instead of generating code: bit-identical to `compile` (the same operations in
    /// the same order), slower per call, but it costs no code generation and no JIT of a dynamic method (about a millisecond
    /// each at start-up). For closed forms evaluated a handful of times a process.
    let evaluator (symbols: string list) (x: Expression) : Func<float[], float> =
        let tree = plan (indexOf symbols) x
        Func<float[], float>(fun values -> run values tree)

    /// False in a Native AOT build: there LINQ's Compile() falls back to its interpreter (boxing every double, far slower than
    /// `run`), so the compile functions below return walkers of the same steps instead (bit-identical, see `evaluator`).
    /// Inline, so that the AOT compiler sees the feature check at each use and drops the code-generating branch.
    let inline private generatesCode () = Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported

    /// Compiles x to a delegate; `symbols` fixes the argument order (every free symbol must be listed).
    let compile (symbols: string list) (x: Expression) : Func<float[], float> =
        if not (generatesCode ()) then evaluator symbols x else
        let input = Linq.Parameter(typeof<float[]>, "values")
        Linq.Lambda<Func<float[], float>>(build symbols (fun i -> Linq.ArrayIndex(input, Linq.Constant i) :> Linq) x, input).Compile()

    /// Compiles several expressions over the same symbols into one delegate returning their values in order: one
    /// compilation instead of one per expression (each costs a dynamic method's JIT on first use).
    let compileMany (symbols: string list) (xs: Expression list) : Func<float[], float[]> =
        if not (generatesCode ()) then
            let each = xs |> List.map (evaluator symbols) |> Array.ofList
            Func<float[], float[]>(fun values -> each |> Array.map (fun f -> f.Invoke values))
        else
        let input = Linq.Parameter(typeof<float[]>, "values")
        let argument i = Linq.ArrayIndex(input, Linq.Constant i) :> Linq
        Linq.Lambda<Func<float[], float[]>>(Linq.NewArrayInit(typeof<float>, xs |> List.map (build symbols argument)), input).Compile()

    /// The body of x over one double parameter per symbol, for the fixed-arity delegates below (no array per call).
    let private body (symbols: string list) (x: Expression) : Linq * Parameter list =
        let parameters = symbols |> List.map (fun s -> Linq.Parameter(typeof<float>, s))
        let byIndex = Array.ofList parameters
        build symbols (fun i -> byIndex[i] :> Linq) x, parameters

    /// x as a function of one symbol.
    let compile1 (s1: string) (x: Expression) : Func<float, float> =
        if not (generatesCode ()) then let f = evaluator [ s1 ] x in Func<float, float>(fun a -> f.Invoke [| a |]) else
        let b, ps = body [ s1 ] x
        Linq.Lambda<Func<float, float>>(b, ps).Compile()

    /// x as a function of two symbols, in this order.
    let compile2 (s1: string) (s2: string) (x: Expression) : Func<float, float, float> =
        if not (generatesCode ()) then let f = evaluator [ s1; s2 ] x in Func<float, float, float>(fun a b -> f.Invoke [| a; b |]) else
        let b, ps = body [ s1; s2 ] x
        Linq.Lambda<Func<float, float, float>>(b, ps).Compile()

    /// x as a function of three symbols, in this order.
    let compile3 (s1: string) (s2: string) (s3: string) (x: Expression) : Func<float, float, float, float> =
        if not (generatesCode ()) then let f = evaluator [ s1; s2; s3 ] x in Func<float, float, float, float>(fun a b c -> f.Invoke [| a; b; c |]) else
        let b, ps = body [ s1; s2; s3 ] x
        Linq.Lambda<Func<float, float, float, float>>(b, ps).Compile()
