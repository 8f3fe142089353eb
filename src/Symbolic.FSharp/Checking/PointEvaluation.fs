namespace FimVerify.Symbolic

open System
open System.Collections.Generic
open System.Numerics

/// A value at a point: a certain enclosure (interval), the exact rational when it is known, and whether the
/// enclosure is certified (false when a numerical integral's estimated error is in it).
type Approximation =
    { Enclosure: Interval
      Exact: Rational option
      Certified: bool }

/// The value of a term at a point: an enclosure, certainly undefined (with the reason), or not decided at this
/// precision and budget (with the reason).
[<RequireQualifiedAccess>]
type PointValue =
    | Value of Approximation
    | Undefined of string
    | Unknown of string

/// Per-point memory of the work that does not depend on the precision: closed forms of binding forms and numerical
/// integrals, keyed by the binding form (by identity) and the exact values of its free variables.
type PointCache() =
    let entries = Dictionary<Term, Dictionary<string, obj>>(HashIdentity.Reference)
    member _.Get(t: Term, key: string) : obj option =
        match entries.TryGetValue t with
        | true, d -> (match d.TryGetValue key with | true, v -> Some v | _ -> None)
        | _ -> None
    member _.Set(t: Term, key: string, value: obj) =
        match entries.TryGetValue t with
        | true, d -> d[key] <- value
        | _ -> entries[t] <- Dictionary<string, obj>(dict [ key, value ])

type EvaluationContext =
    { Precision: int
      Limits: CheckLimits
      Budget: WorkBudget
      Cache: PointCache }

/// Evaluation of terms at a point in certified interval arithmetic at a working precision, with exact rational values
/// carried alongside where they stay small, and definedness decided exactly where it can be (an exact 0 divisor, a
/// logarithm of an exact non-positive number; otherwise a sign the enclosure settles, else Unknown so the caller can
/// raise the precision). Real semantics throughout: √ and non-integer powers need a non-negative base, log a
/// positive argument. Expectations and integrals take their closed form at the point when GaussianIntegralForms
/// has one (certified), else adaptive quadrature (an estimate, not certified).
[<RequireQualifiedAccess>]
module PointEvaluation =
    let private bits (r: Rational) = int64 (r.Num.GetBitLength()) + int64 (r.Den.GetBitLength())

    let exact (p: int) (r: Rational) = { Enclosure = Interval.ofRational p r; Exact = Some r; Certified = true }
    let approximate (iv: Interval) (certified: bool) = { Enclosure = iv; Exact = None; Certified = certified }

    /// The exact integer q-th root of a non-negative integer, if there is one.
    let private integerRoot (n: BigInteger) (q: int) : BigInteger option =
        if n.Sign < 0 then None
        elif n.IsZero || n.IsOne then Some n
        elif q = 1 then Some n
        else
            let b = int (n.GetBitLength())
            let mutable x = BigInteger.One <<< (b / q + 1)
            let mutable go = true
            while go do
                let y = (BigInteger(q - 1) * x + n / BigInteger.Pow(x, q - 1)) / BigInteger q
                if y >= x then go <- false else x <- y
            if BigInteger.Pow(x, q) = n then Some x else None

    /// r^(p/q) when it is rational.
    let private exactRationalPower (r: Rational) (e: Rational) (limit: int64) : Rational option =
        if r.Sign < 0 || e.Den > BigInteger 64 || BigInteger.Abs e.Num > BigInteger 100_000 then None
        elif bits r * int64 (BigInteger.Abs e.Num / e.Den + BigInteger.One) > limit then None
        else
            let q = int e.Den
            match integerRoot r.Num q, integerRoot r.Den q with
            | Some n, Some d ->
                let root = Rational(n, d)
                if root.IsZero && e.Sign < 0 then None else Some(Rational.pow root (int e.Num))
            | _ -> None

    /// First Undefined, else first Unknown, else all values.
    let private collect (values: PointValue list) : Result<Approximation list, PointValue> =
        match values |> List.tryFind (function PointValue.Undefined _ -> true | _ -> false) with
        | Some u -> Result.Error u
        | None ->
            match values |> List.tryFind (function PointValue.Unknown _ -> true | _ -> false) with
            | Some u -> Result.Error u
            | None -> Result.Ok(values |> List.map (function PointValue.Value a -> a | _ -> invalidOp "unreachable"))

    let private certified (xs: Approximation list) = xs |> List.forall (fun a -> a.Certified)

    let private withExact (ctx: EvaluationContext) (r: Rational option) (iv: Interval) (cert: bool) =
        match r with
        | Some r when bits r <= ctx.Limits.MaxExactBits -> PointValue.Value(exact ctx.Precision r)
        | _ -> PointValue.Value(approximate iv cert)

    /// The exact values of the environment as a cache key.
    let private envKey (env: Map<string, Approximation>) (names: Set<string>) =
        names |> Seq.map (fun n -> match env.TryFind n with Some { Exact = Some r } -> $"{n}={r}" | _ -> $"{n}=?") |> String.concat ";"

    let rec eval (ctx: EvaluationContext) (env: Map<string, Approximation>) (t: Term) : PointValue =
        ctx.Budget.Check()
        let p = ctx.Precision
        let ev = eval ctx env
        let unary (a: Term) (f: Approximation -> PointValue) = match ev a with PointValue.Value x -> f x | other -> other
        let real (iv: Interval) (cert: bool) = PointValue.Value(approximate iv cert)
        match t with
        | Term.Num r -> PointValue.Value(exact p r)
        | Term.Var v ->
            match env.TryFind v with
            | Some a -> PointValue.Value(if a.Exact.IsSome then exact p a.Exact.Value else a)
            | None -> PointValue.Unknown $"no value for {v}"
        | Term.Pi -> real (IntervalFunctions.pi p) true
        | Term.E -> real (IntervalFunctions.exp p Interval.one) true
        | Term.Inf _ -> PointValue.Undefined "∞ is only an integral bound"
        | Term.Add ts ->
            match collect (ts |> List.map ev) with
            | Result.Error e -> e
            | Result.Ok xs ->
                let iv = xs |> List.fold (fun acc x -> Interval.add p acc x.Enclosure) Interval.zero
                let r = if xs |> List.forall (fun x -> x.Exact.IsSome) then Some(xs |> List.sumBy (fun x -> x.Exact.Value)) else None
                withExact ctx r iv (certified xs)
        | Term.Mul fs ->
            match collect (fs |> List.map ev) with
            | Result.Error e -> e
            | Result.Ok xs ->
                let iv = xs |> List.fold (fun acc x -> Interval.mul p acc x.Enclosure) Interval.one
                let r =
                    if xs |> List.exists (fun x -> x.Exact = Some Rational.Zero) then Some Rational.Zero
                    elif xs |> List.forall (fun x -> x.Exact.IsSome) && (xs |> List.sumBy (fun x -> bits x.Exact.Value)) <= ctx.Limits.MaxExactBits then
                        Some(xs |> List.fold (fun acc x -> acc * x.Exact.Value) Rational.One)
                    else None
                withExact ctx r iv (certified xs)
        | Term.Neg a -> unary a (fun x -> withExact ctx (x.Exact |> Option.map (fun r -> -r)) (Interval.neg x.Enclosure) x.Certified)
        | Term.Div(a, b) ->
            match collect [ ev a; ev b ] with
            | Result.Error e -> e
            | Result.Ok [ x; y ] ->
                match y.Exact with
                | Some r when r.IsZero -> PointValue.Undefined "a division by zero"
                | _ ->
                    match Interval.tryDiv p x.Enclosure y.Enclosure with
                    | Some iv ->
                        let r = match x.Exact, y.Exact with Some u, Some w when bits u + bits w <= ctx.Limits.MaxExactBits -> Some(u / w) | _ -> None
                        withExact ctx r iv (x.Certified && y.Certified)
                    | None ->
                        match exactlyZero ctx env b with
                        | Some true -> PointValue.Undefined "a division by zero"
                        | _ -> PointValue.Unknown "a divisor is too close to 0 to tell at this precision"
            | _ -> invalidOp "arity"
        | Term.Pow(b, e) ->
            match collect [ ev b; ev e ] with
            | Result.Error err -> err
            | Result.Ok [ x; y ] -> power ctx env b x y
            | _ -> invalidOp "arity"
        | Term.Call(h, args) ->
            match collect (args |> List.map ev) with
            | Result.Error e -> e
            | Result.Ok xs -> call ctx env h args xs
        | Term.Defined(value, requires) ->
            match collect (requires |> List.map ev) with
            | Result.Error e -> e
            | Result.Ok _ -> ev value
        | Term.SumOf(body, k, lo, hi) | Term.ProductOf(body, k, lo, hi) -> sumOrProduct ctx env t body k lo hi
        | Term.Gauss _ | Term.Gauss2 _ | Term.Integral _ -> binder ctx env t
        | Term.Diff _ | Term.At _ -> PointValue.Unknown "diff and at are eliminated before evaluation"

    /// Whether a term is exactly 0 at the point, from its canonical form (None when that does not settle it).
    and exactlyZero (ctx: EvaluationContext) (env: Map<string, Approximation>) (t: Term) : bool option =
        let free = Term.freeVariables t
        if free |> Set.forall (fun v -> match env.TryFind v with Some { Exact = Some _ } -> true | _ -> false) then
            let closed = Term.substitute (free |> Seq.map (fun v -> v, Term.Num env[v].Exact.Value) |> Map.ofSeq) t
            try
                let session = pointSession ctx
                match TermLowering.lowerTerm session (TermCalculus.eliminate (fun _ -> None) closed) with
                | Number r -> Some r.IsZero
                | _ -> None
            with
            | LoweringGaveUp _ | Divergent _ | NotDifferentiable _ -> None
        else None

    /// A lowering session for constants at a point: signs come from evaluating them.
    and pointSession (ctx: EvaluationContext) : LoweringSession =
        LoweringSession(ctx.Limits, ctx.Budget, Set.empty, fun session x -> constantSign ctx session x)

    /// The sign of a constant expression (atoms of the session evaluated), or Unknown.
    and constantSign (ctx: EvaluationContext) (session: LoweringSession) (x: Expression) : Sign =
        let symbols = Expression.symbols x
        if symbols |> List.exists (fun s -> not (session.IsAtom s)) then Sign.Unknown
        else
            let atomValues =
                symbols |> List.map (fun s -> s, eval ctx Map.empty session.AtomTerms[s])
            if atomValues |> List.exists (fun (_, v) -> match v with PointValue.Value _ -> false | _ -> true) then Sign.Unknown
            else
                let env = atomValues |> List.map (fun (s, v) -> match v with PointValue.Value a -> s, a | _ -> invalidOp "unreachable") |> Map.ofList
                match eval ctx env (Term.ofExpression x) with
                | PointValue.Value a when a.Certified ->
                    match a.Exact with
                    | Some r -> if r.Sign > 0 then Sign.Positive elif r.Sign < 0 then Sign.Negative else Sign.Zero
                    | None ->
                        if Interval.positive a.Enclosure then Sign.Positive
                        elif Interval.negative a.Enclosure then Sign.Negative
                        else Sign.Unknown
                | _ -> Sign.Unknown

    and private power (ctx: EvaluationContext) (env: Map<string, Approximation>) (bTerm: Term) (x: Approximation) (y: Approximation) : PointValue =
        let p = ctx.Precision
        let cert = x.Certified && y.Certified
        let zeroBase () =
            match x.Exact with
            | Some r -> Some r.IsZero
            | None -> if Interval.containsZero x.Enclosure then exactlyZero ctx env bTerm else Some false
        let viaLog () =
            // b > 0: b^e = exp(e log b).
            PointValue.Value(approximate (IntervalFunctions.exp p (Interval.mul p y.Enclosure (IntervalFunctions.log p x.Enclosure))) cert)
        match y.Exact with
        | Some e when e.IsInteger ->
            let n = e.Num
            if n.Sign < 0 && zeroBase () = Some true then PointValue.Undefined "0 raised to a negative power"
            elif n.Sign < 0 && Interval.containsZero x.Enclosure then PointValue.Unknown "a base too close to 0 to tell at this precision"
            else
                let exactValue =
                    match x.Exact with
                    | Some r when bits r * int64 (BigInteger.Min(BigInteger.Abs n, BigInteger 1_000_000_000L)) <= ctx.Limits.MaxExactBits && BigInteger.Abs n <= BigInteger 1_000_000_000 ->
                        if r.IsZero && n.Sign < 0 then None else Some(Rational.pow r (int n))
                    | _ -> None
                match exactValue with
                | Some r -> PointValue.Value(exact p r)
                | None ->
                    let positive = Interval.powNatural p x.Enclosure (BigInteger.Abs n)
                    if n.Sign >= 0 then PointValue.Value(approximate positive cert)
                    else
                        match Interval.tryReciprocal p positive with
                        | Some iv -> PointValue.Value(approximate iv cert)
                        | None -> PointValue.Unknown "a base too close to 0 to tell at this precision"
        | Some e ->
            // A non-integer rational power: real only for a non-negative base (positive for a negative power).
            match x.Exact |> Option.bind (fun r -> exactRationalPower r e ctx.Limits.MaxExactBits) with
            | Some r -> PointValue.Value(exact p r)
            | None ->
                if Interval.negative x.Enclosure then PointValue.Undefined "a non-integer power of a negative number"
                elif Interval.positive x.Enclosure then
                    if e = Rational.make 1 2 then PointValue.Value(approximate (IntervalFunctions.sqrt p x.Enclosure) cert) else viaLog ()
                else
                    match zeroBase () with
                    | Some true -> if e.Sign > 0 then PointValue.Value(exact p Rational.Zero) else PointValue.Undefined "0 raised to a negative power"
                    | _ ->
                        match x.Exact with
                        | Some r when r.Sign < 0 -> PointValue.Undefined "a non-integer power of a negative number"
                        | _ -> PointValue.Unknown "a base too close to 0 to tell at this precision"
        | None ->
            if Interval.positive x.Enclosure then viaLog ()
            elif Interval.negative x.Enclosure then
                // A negative base needs an integer exponent; an inexact exponent cannot be known to be one.
                let e = y.Enclosure
                match e.Lo, e.Hi with
                | Fin a, Fin b when Dyadic.floor a = Dyadic.floor b && Dyadic.compare (Dyadic.ofBigInt (Dyadic.floor a)) a < 0 ->
                    PointValue.Undefined "a non-integer power of a negative number"
                | _ -> PointValue.Unknown "a power of a negative number whose exponent is not known to be an integer"
            else PointValue.Unknown "a base too close to 0 to tell at this precision"

    and private call (ctx: EvaluationContext) (env: Map<string, Approximation>) (h: Head) (args: Term list) (xs: Approximation list) : PointValue =
        let p = ctx.Precision
        let x = xs.Head
        let cert = xs |> List.forall (fun a -> a.Certified)
        let real iv = PointValue.Value(approximate iv cert)
        let exactly (r: Rational) = PointValue.Value(exact p r)
        let iv = x.Enclosure
        let isExactly (r: Rational) = x.Exact = Some r
        /// The sign of the first argument: exact, from the enclosure, or from the canonical form.
        let signOf (a: Approximation) (term: Term) =
            match a.Exact with
            | Some r -> Some r.Sign
            | None ->
                if Interval.positive a.Enclosure then Some 1
                elif Interval.negative a.Enclosure then Some -1
                else match exactlyZero ctx env term with Some true -> Some 0 | _ -> None
        let undecided = PointValue.Unknown "an argument too close to a boundary to tell at this precision"
        match h with
        | Head.Sqrt -> power ctx env args.Head x (exact p (Rational.make 1 2))
        | Head.Exp -> if isExactly Rational.Zero then exactly Rational.One else real (IntervalFunctions.exp p iv)
        | Head.Log ->
            if isExactly Rational.One then exactly Rational.Zero
            else
                match signOf x args.Head with
                | Some 1 -> real (IntervalFunctions.log p iv)
                | Some _ -> PointValue.Undefined "the logarithm of a number ≤ 0"
                | None -> undecided
        | Head.Sin -> if isExactly Rational.Zero then exactly Rational.Zero else real (IntervalFunctions.sin p iv)
        | Head.Cos -> if isExactly Rational.Zero then exactly Rational.One else real (IntervalFunctions.cos p iv)
        | Head.Tan ->
            if isExactly Rational.Zero then exactly Rational.Zero
            else
                let c = IntervalFunctions.cos p iv
                match Interval.tryDiv p (IntervalFunctions.sin p iv) c with
                | Some v -> real v
                | None ->
                    match exactlyZero ctx env (Term.Call(Head.Cos, args)) with
                    | Some true -> PointValue.Undefined "tan where cos is 0"
                    | _ -> undecided
        | Head.Arcsin | Head.Arccos ->
            let inside =
                match x.Exact with
                | Some r -> Some(Rational.abs r <= Rational.One)
                | None ->
                    if Interval.lessEqual { Lo = Fin(Dyadic.ofInt -1); Hi = Fin(Dyadic.ofInt -1) } iv && Interval.lessEqual iv Interval.one then Some true
                    elif Interval.less iv (Interval.ofInt -1) || Interval.less Interval.one iv then Some false
                    else
                        // Touching ±1: the canonical form may say it is exactly ±1.
                        match exactlyZero ctx env (Term.sub (Term.Mul [ args.Head; args.Head ]) Term.one) with
                        | Some true -> Some true
                        | _ -> None
            match inside with
            | Some true ->
                if h = Head.Arcsin && isExactly Rational.Zero then exactly Rational.Zero
                elif h = Head.Arccos && isExactly Rational.One then exactly Rational.Zero
                else
                    let clipped = Interval.intersect iv { Lo = Fin(Dyadic.ofInt -1); Hi = Fin Dyadic.one }
                    real (if h = Head.Arcsin then IntervalFunctions.arcsin p clipped else IntervalFunctions.arccos p clipped)
            | Some false -> PointValue.Undefined $"{Head.name h} of a number outside [-1, 1]"
            | None -> undecided
        | Head.Arctan -> if isExactly Rational.Zero then exactly Rational.Zero else real (IntervalFunctions.arctan p iv)
        | Head.Erf -> if isExactly Rational.Zero then exactly Rational.Zero else real (IntervalFunctions.erf p iv)
        | Head.Sinh -> if isExactly Rational.Zero then exactly Rational.Zero else real (IntervalFunctions.sinh p iv)
        | Head.Cosh -> if isExactly Rational.Zero then exactly Rational.One else real (IntervalFunctions.cosh p iv)
        | Head.Tanh -> if isExactly Rational.Zero then exactly Rational.Zero else real (IntervalFunctions.tanh p iv)
        | Head.Abs -> withExact ctx (x.Exact |> Option.map Rational.abs) (Interval.abs iv) cert
        | Head.Relu ->
            match x.Exact with
            | Some r -> exactly (if r.Sign > 0 then r else Rational.Zero)
            | None -> real { Lo = Ext.max iv.Lo Ext.zero; Hi = Ext.max iv.Hi Ext.zero }
        | Head.Max | Head.Min ->
            let y = xs[1]
            match x.Exact, y.Exact with
            | Some a, Some b -> exactly (if (h = Head.Max) = (a >= b) then a else b)
            | _ ->
                let a, b = x.Enclosure, y.Enclosure
                if h = Head.Max then real { Lo = Ext.max a.Lo b.Lo; Hi = Ext.max a.Hi b.Hi }
                else real { Lo = Ext.min a.Lo b.Lo; Hi = Ext.min a.Hi b.Hi }
        | Head.Step | Head.Sign ->
            match signOf x args.Head with
            | Some s -> exactly (if h = Head.Step then (if s > 0 then Rational.One else Rational.Zero) else Rational.ofInt s)
            | None -> undecided
        | Head.Gamma ->
            match x.Exact with
            | Some r when r.IsInteger && r.Sign <= 0 -> PointValue.Undefined "gamma at a non-positive integer (a pole)"
            | Some r when r.IsInteger && r.Num <= BigInteger 3000 ->
                exactly (Rational.ofBigInt (Seq.fold (fun (acc: BigInteger) k -> acc * BigInteger(k: int)) BigInteger.One (seq { 1 .. int r.Num - 1 })))
            | _ ->
                match IntervalFunctions.gamma p iv with
                | Some v -> real v
                | None -> undecided
        | Head.Factorial | Head.DoubleFactorial ->
            let least = if h = Head.Factorial then BigInteger.Zero else BigInteger.MinusOne
            match x.Exact with
            | Some r when r.IsInteger && r.Num >= least ->
                if r.Num > BigInteger 20000 then PointValue.Unknown "a factorial beyond 20000! is not evaluated"
                else
                    let step = if h = Head.Factorial then 1 else 2
                    exactly (Rational.ofBigInt (Seq.fold (fun (acc: BigInteger) k -> acc * BigInteger(k: int)) BigInteger.One (seq { int r.Num .. -step .. 1 })))
            | Some _ -> PointValue.Undefined $"{Head.name h} of a number that is not an integer ≥ {least}"
            | None -> PointValue.Unknown $"{Head.name h} of a value not known exactly"
        | Head.Binomial ->
            let k = xs[1]
            match k.Exact with
            | Some r when not r.IsInteger -> PointValue.Undefined "binomial(n, k) needs an integer k"
            | Some r when r.Sign < 0 -> exactly Rational.Zero
            | Some r when r.Num <= BigInteger 100_000 ->
                let kk = int r.Num
                match x.Exact with
                | Some n when bits n * int64 kk <= ctx.Limits.MaxExactBits ->
                    exactly ([ 0 .. kk - 1 ] |> List.fold (fun acc j -> acc * (n - Rational.ofInt j) / Rational.ofInt (j + 1)) Rational.One)
                | _ ->
                    let mutable acc = Interval.one
                    for j in 0 .. kk - 1 do
                        acc <- (Interval.tryDiv p (Interval.mul p acc (Interval.sub p iv (Interval.ofInt j))) (Interval.ofInt (j + 1))).Value
                    real acc
            | Some _ -> PointValue.Unknown "binomial with a lower argument above 100000 is not evaluated"
            | None -> PointValue.Unknown "binomial(n, k) with k not known exactly"
        | Head.Arctan2 ->
            let y, xv = x, xs[1]
            let halfPi = Interval.scale -1L (IntervalFunctions.pi p)
            match signOf xv args[1] with
            | Some 1 -> real (IntervalFunctions.arctan p (Interval.tryDiv p y.Enclosure xv.Enclosure).Value)
            | Some -1 ->
                let angle = IntervalFunctions.arctan p (Interval.tryDiv p y.Enclosure xv.Enclosure).Value
                match signOf y args.Head with
                | Some s when s >= 0 -> real (Interval.add p angle (IntervalFunctions.pi p))
                | Some _ -> real (Interval.sub p angle (IntervalFunctions.pi p))
                | None -> undecided
            | Some _ ->
                match signOf y args.Head with
                | Some 1 -> real halfPi
                | Some -1 -> real (Interval.neg halfPi)
                | Some _ -> PointValue.Undefined "arctan2(0, 0)"
                | None -> undecided
            | None -> undecided

    and private sumOrProduct ctx env (t: Term) (body: Term) (k: string) (lo: Term) (hi: Term) : PointValue =
        let isSum = match t with Term.SumOf _ -> true | _ -> false
        match collect [ eval ctx env lo; eval ctx env hi ] with
        | Result.Error e -> e
        | Result.Ok [ l; h ] ->
            match l.Exact, h.Exact with
            | Some a, Some b when not a.IsInteger || not b.IsInteger -> PointValue.Undefined "the bounds of a sum or product must be integers"
            | Some a, Some b ->
                let count = b.Num - a.Num + BigInteger.One
                if count.Sign <= 0 then PointValue.Value(exact ctx.Precision (if isSum then Rational.Zero else Rational.One))
                elif count > BigInteger ctx.Limits.MaxSumTerms then
                    match closedValue ctx env t with
                    | Some v -> v
                    | None -> PointValue.Unknown $"a sum or product of {count} terms (more than {ctx.Limits.MaxSumTerms}) without a closed form"
                else
                    let p = ctx.Precision
                    let mutable acc = if isSum then Interval.zero else Interval.one
                    let mutable exactAcc = Some(if isSum then Rational.Zero else Rational.One)
                    let mutable cert = true
                    let mutable result = None
                    let mutable j = a.Num
                    while result.IsNone && j <= b.Num do
                        if (j % BigInteger 256).IsZero then ctx.Budget.Check()
                        match eval ctx (env.Add(k, exact p (Rational.ofBigInt j))) body with
                        | PointValue.Value v ->
                            acc <- if isSum then Interval.add p acc v.Enclosure else Interval.mul p acc v.Enclosure
                            cert <- cert && v.Certified
                            exactAcc <-
                                match exactAcc, v.Exact with
                                | Some s, Some r ->
                                    let next = if isSum then s + r else s * r
                                    if bits next <= ctx.Limits.MaxExactBits then Some next else None
                                | _ -> None
                        | other -> result <- Some other
                        j <- j + BigInteger.One
                    match result with
                    | Some r -> r
                    | None -> withExact ctx exactAcc acc cert
            | _ -> PointValue.Unknown "the bounds of a sum or product are not known exactly"
        | _ -> invalidOp "arity"

    /// The closed form of a binding form at this point (its free variables exact), evaluated; None when there is none.
    and private closedValue (ctx: EvaluationContext) (env: Map<string, Approximation>) (t: Term) : PointValue option =
        let free = Term.freeVariables t
        if not (free |> Set.forall (fun v -> match env.TryFind v with Some { Exact = Some _ } -> true | _ -> false)) then None
        else
            let key = "closed:" + envKey env free
            let closed =
                match ctx.Cache.Get(t, key) with
                | Some v -> v :?> Result<Expression, string> option
                | None ->
                    let term = Term.substitute (free |> Seq.map (fun v -> v, Term.Num env[v].Exact.Value) |> Map.ofSeq) t
                    let session = pointSession ctx
                    let result =
                        try
                            let x = TermLowering.lowerTerm session term
                            let hasAtoms = Expression.symbols x |> List.exists session.IsAtom
                            let holds (c: Condition) =
                                match c.Requirement with
                                | Requirement.Unprovable _ -> false
                                | Requirement.Integer -> (match c.Value with Number r -> r.IsInteger | _ -> false)
                                | r ->
                                    let s = constantSign ctx session c.Value
                                    match r with
                                    | Requirement.Positive -> s = Sign.Positive
                                    | Requirement.NonNegative -> s.AtLeastZero
                                    | _ -> s.NotZero
                            if hasAtoms || not (session.Conditions |> Seq.forall holds) then None else Some(Result.Ok x)
                        with
                        | Divergent reason -> Some(Result.Error reason)
                        | LoweringGaveUp _ | NoClosedForm _ -> None
                    ctx.Cache.Set(t, key, box result)
                    result
            match closed with
            | Some(Result.Ok x) -> Some(eval ctx Map.empty (Term.ofExpression x))
            | Some(Result.Error reason) -> Some(PointValue.Undefined $"the integral diverges ({reason})")
            | None -> None

    /// An expectation or integral: parameters checked, then the closed form, else quadrature (an estimate).
    and private binder (ctx: EvaluationContext) (env: Map<string, Approximation>) (t: Term) : PointValue =
        let p = ctx.Precision
        let parameters =
            match t with
            | Term.Gauss(_, _, m, v) ->
                match collect [ eval ctx env m; eval ctx env v ] with
                | Result.Error e -> Some e
                | Result.Ok [ _; v ] when Interval.negative v.Enclosure || (v.Exact |> Option.exists (fun r -> r.Sign < 0)) ->
                    Some(PointValue.Undefined "a negative variance")
                | Result.Ok _ -> None
            | Term.Gauss2(_, _, _, a, b, c) ->
                match collect [ eval ctx env a; eval ctx env b; eval ctx env c ] with
                | Result.Error e -> Some e
                | Result.Ok [ a; b; c ] ->
                    let det = Interval.sub p (Interval.mul p a.Enclosure c.Enclosure) (Interval.mul p b.Enclosure b.Enclosure)
                    if Interval.negative a.Enclosure || Interval.negative c.Enclosure || Interval.negative det then
                        Some(PointValue.Undefined "a covariance matrix that is not positive semi-definite")
                    else None
                | _ -> None
            | Term.Integral(_, _, lo, hi) ->
                let bound (b: Term) = match b with Term.Inf _ -> PointValue.Value(exact p Rational.Zero) | b -> eval ctx env b
                match collect [ bound lo; bound hi ] with
                | Result.Error e -> Some e
                | Result.Ok _ -> None
            | _ -> None
        match parameters with
        | Some problem -> problem
        | None ->
            match closedValue ctx env t with
            | Some v -> v
            | None -> numeric ctx env t

    and private numeric (ctx: EvaluationContext) (env: Map<string, Approximation>) (t: Term) : PointValue =
        let free = Term.freeVariables t |> List.ofSeq
        let key = "numeric:" + envKey env (Set.ofList free) + String.Join(";", free |> List.map (fun v -> match env.TryFind v with Some a -> string (Interval.midpoint a.Enclosure) | None -> "?"))
        let result =
            match ctx.Cache.Get(t, key) with
            | Some v -> v :?> QuadratureResult
            | None ->
                let slots = free |> List.mapi (fun i v -> v, i) |> Map.ofList
                let values = Array.zeroCreate DoubleEvaluation.slotCount
                free |> List.iteri (fun i v -> values[i] <- match env.TryFind v with Some a -> (match a.Exact with Some r -> r.ToDouble() | None -> Interval.midpoint a.Enclosure) | None -> nan)
                let settings : DoubleEvaluation.Settings = { Tolerance = 1e-12; MaxEvaluations = ctx.Limits.MaxQuadratureEvaluations; Budget = ctx.Budget }
                let r =
                    try DoubleEvaluation.binderIntegral settings slots t values
                    with :? InvalidOperationException as e -> { Value = nan; Error = infinity; AbsoluteIntegral = nan; Evaluations = 0; Converged = false }
                ctx.Cache.Set(t, key, box r)
                r
        if not result.Converged || not (Double.IsFinite result.Value) then
            PointValue.Unknown "the numerical integral did not converge (it may diverge, or need more evaluations than the budget)"
        else
            // The estimate, widened: 16× the error estimate, plus rounding in doubles relative to ∫|f| (more when the
            // integrand itself holds integrals).
            let nested = Term.children t |> List.exists (Term.exists (function Term.Gauss _ | Term.Gauss2 _ | Term.Integral _ -> true | _ -> false))
            let relative = if nested then 1e-9 else 1e-13
            let radius = 16.0 * result.Error + relative * result.AbsoluteIntegral + 1e-300
            let lo, hi = result.Value - radius, result.Value + radius
            PointValue.Value(approximate { Lo = Fin(Dyadic.ofDouble lo); Hi = Fin(Dyadic.ofDouble hi) } false)
