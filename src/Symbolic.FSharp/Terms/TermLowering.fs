namespace FimVerify.Symbolic

open System.Numerics

/// Terms → canonical expressions, for symbolic comparison. The lowered expression equals the term wherever the
/// conditions recorded in the session hold (each partial operation records its own: a divisor ≠ 0, a logarithm's
/// argument > 0, …, and each closed form its validity), with opaque subterms as atoms. Piecewise functions fold when
/// the assumptions fix the sign of their argument (relu(x) = x for x > 0, |q| = q for q > 0); |x| is √(x²), relu and
/// max/min are written with it, tanh/sinh/cosh through exp. Expectations, integrals, sums and products become closed
/// forms where GaussianIntegralForms and SumForms apply, else atoms.
[<RequireQualifiedAccess>]
module TermLowering =
    module X = Expression

    type private Env = Map<string, Expression>

    let private two = X.ofInt 2

    let private attempt (f: unit -> Expression) =
        try f () with :? System.DivideByZeroException -> raise (LoweringGaveUp "a constant is undefined (a division by zero)")

    /// The term with the environment substituted (the key of an atom).
    let private closeOver (env: Env) (t: Term) = Term.substitute (env |> Map.map (fun _ v -> Term.ofExpression v)) t

    let private factorial (n: int) = Seq.fold (fun (acc: BigInteger) k -> acc * BigInteger(k: int)) BigInteger.One (seq { 1 .. n })

    let private isPiecewise (h: Head) = match h with Head.Relu | Head.Abs | Head.Step | Head.Sign | Head.Max | Head.Min -> true | _ -> false

    /// The argument whose sign selects a piecewise function's branch (a − b for max and min).
    let private selector (h: Head) (args: Term list) =
        match h, args with
        | (Head.Max | Head.Min), [ a; b ] -> Term.sub a b
        | _, a :: _ -> a
        | _ -> invalidOp "arity"

    /// The branch of a piecewise call where its selector is positive (or negative).
    let private branch (h: Head) (args: Term list) (positive: bool) : Term =
        match h, args, positive with
        | Head.Relu, [ a ], true -> a
        | Head.Relu, _, false -> Term.zero
        | Head.Abs, [ a ], true -> a
        | Head.Abs, [ a ], false -> Term.Neg a
        | Head.Step, _, p -> if p then Term.one else Term.zero
        | Head.Sign, _, p -> if p then Term.one else Term.ofInt -1
        | Head.Max, [ a; b ], p -> if p then a else b
        | Head.Min, [ a; b ], p -> if p then b else a
        | _ -> invalidOp "not a piecewise function"

    /// Replaces every occurrence of `target` (structurally) by `value`, outside binders that rebind its variables.
    let rec private replace (target: Term) (value: Term) (t: Term) : Term =
        if t = target then value
        else
            match t with
            | Term.Num _ | Term.Var _ | Term.Pi | Term.E | Term.Inf _ -> t
            | t ->
                let free = Term.freeVariables target
                let pieces = Term.childrenWithBinders t
                if pieces |> List.exists (fun (_, bound) -> bound |> List.exists free.Contains) then t
                else Term.withChildren t (pieces |> List.map (fun (c, _) -> replace target value c))

    /// Σ of products: the term as (coefficient, factors) pairs with sums multiplied out (at most `limit` products).
    let private sumOfProducts (limit: int) (t: Term) : (Rational * Term list) list =
        let rec go (t: Term) : (Rational * Term list) list =
            match t with
            | Term.Num r -> [ r, [] ]
            | Term.Add ts -> ts |> List.collect go
            | Term.Neg a -> go a |> List.map (fun (c, fs) -> -c, fs)
            | Term.Mul fs ->
                fs |> List.fold (fun acc f ->
                    let g = go f
                    if acc.Length * g.Length > limit then raise (NoClosedForm "the integrand multiplies out to too many terms")
                    [ for (c1, f1) in acc do for (c2, f2) in g -> c1 * c2, f1 @ f2 ]) [ Rational.One, [] ]
            | Term.Pow(b, Term.Num n) when n.IsInteger && n.Sign > 0 && n.Num <= BigInteger 8 && (match b with Term.Add _ -> true | _ -> false) ->
                go (Term.Mul(List.replicate (int n.Num) b))
            | t -> [ Rational.One, [ t ] ]
        go t

    let rec lower (s: LoweringSession) (env: Env) (t: Term) : Expression =
        s.Budget.Check()
        let l = lower s env
        match t with
        | Term.Num r -> Number r
        | Term.Var v -> env.TryFind v |> Option.defaultValue (Symbol v)
        | Term.Pi -> X.pi
        | Term.E -> X.e
        | Term.Inf _ -> raise (LoweringGaveUp "∞ is only a bound of an integral")
        | Term.Add ts -> X.add (ts |> List.map l)
        | Term.Mul fs -> X.mul (fs |> List.map l)
        | Term.Neg a -> X.neg (l a)
        | Term.Div(a, b) ->
            let la, lb = l a, l b
            s.Require(Requirement.NonZero, lb)
            attempt (fun () -> X.div la lb)
        | Term.Pow(b, e) -> power s (l b) (l e)
        | Term.Call(h, args) -> call s env h args
        | Term.Gauss(body, z, m, v) -> closing s env t (fun () -> gauss s env body z (l m) (l v))
        | Term.Gauss2(body, u, w, a, b, c) -> closing s env t (fun () -> gauss2 s env body u w (l a) (l b) (l c))
        | Term.Integral(body, x, lo, hi) -> closing s env t (fun () -> integral s env body x lo hi)
        | Term.SumOf(body, k, lo, hi) -> closing s env t (fun () -> sumOrProduct s env true body k (l lo) (l hi))
        | Term.ProductOf(body, k, lo, hi) -> closing s env t (fun () -> sumOrProduct s env false body k (l lo) (l hi))
        | Term.Defined(value, requires) ->
            for r in requires do l r |> ignore
            l value
        | Term.Diff _ | Term.At _ -> invalidOp "diff and at are eliminated before lowering"

    /// A closed form, or the binding form as an atom whose definedness the symbolic route cannot establish.
    and private closing (s: LoweringSession) (env: Env) (t: Term) (closedForm: unit -> Expression) : Expression =
        let mark = s.ConditionCount
        try closedForm ()
        with
        | NoClosedForm reason ->
            s.RollBack mark
            let atom = s.Atom(canonicalBinder s env t)
            s.RollBack mark
            // Its definedness (convergence) is this atom's: recorded against it, so a step with the same
            // expectation on both sides needs it on both.
            s.Require(Requirement.Unprovable $"{Term.format t} has no closed form here ({reason})", atom)
            atom

    /// The binding form with its parts lowered and its variables named by nesting depth, so equal expectations
    /// written with other names or factor orders are the same atom.
    and private canonicalBinder (s: LoweringSession) (env: Env) (t: Term) : Term =
        let depth = env |> Seq.filter (fun (KeyValue(k, _)) -> k.StartsWith "#b") |> Seq.length
        let name (i: int) = $"#b{depth + i}"
        let part (x: Term) = Term.ofExpression (lower s env x)
        let body (vars: string list) (b: Term) =
            let inner = vars |> List.mapi (fun i v -> v, i) |> List.fold (fun (m: Env) (v, i) -> m.Add(v, Symbol(name i)).Add(name i, Symbol(name i))) env
            try Term.ofExpression (lower s inner b) with NoClosedForm _ | Divergent _ -> Term.substitute (vars |> List.mapi (fun i v -> v, Term.Var(name i)) |> Map.ofList) (closeOver env b)
        match t with
        | Term.Gauss(b, z, m, v) -> Term.Gauss(body [ z ] b, name 0, part m, part v)
        | Term.Gauss2(b, u, w, a, bb, c) -> Term.Gauss2(body [ u; w ] b, name 0, name 1, part a, part bb, part c)
        | Term.Integral(b, x, lo, hi) ->
            let bound (e: Term) = match e with Term.Inf _ -> e | e -> part e
            Term.Integral(body [ x ] b, name 0, bound lo, bound hi)
        | Term.SumOf(b, k, lo, hi) -> Term.SumOf(body [ k ] b, name 0, part lo, part hi)
        | Term.ProductOf(b, k, lo, hi) -> Term.ProductOf(body [ k ] b, name 0, part lo, part hi)
        | t -> closeOver env t

    and private power (s: LoweringSession) (b: Expression) (e: Expression) : Expression =
        let bits (r: Rational) = int64 (r.Num.GetBitLength()) + int64 (r.Den.GetBitLength())
        let opaque () = s.Atom(Term.Pow(Term.ofExpression b, Term.ofExpression e))
        match e with
        | Number n when n.IsInteger ->
            if n.Sign < 0 then s.Require(Requirement.NonZero, b)
            match b with
            | Number r when not r.IsZero && Rational.abs r <> Rational.One && bits r * int64 (min (BigInteger.Abs n.Num) (BigInteger 1_000_000_000_000L)) > s.Limits.MaxExactBits -> opaque ()
            // Beyond the engine's exponent limit (Expression.maxExponent) the power stays an atom: numeric routes decide it.
            | _ when BigInteger.Abs n.Num > BigInteger X.maxExponent -> opaque ()
            | _ -> attempt (fun () -> X.pow b e)
        | Number n ->
            s.Require((if n.Sign > 0 then Requirement.NonNegative else Requirement.Positive), b)
            let tooLarge =
                match b with
                | _ when BigInteger.Abs n.Num > BigInteger X.maxExponent || n.Den > BigInteger X.maxExponent -> true
                | Number r -> bits r * int64 (BigInteger.Abs n.Num / n.Den + BigInteger.One) > s.Limits.MaxExactBits
                | _ -> false
            if tooLarge then opaque () else attempt (fun () -> X.pow b e)
        | e ->
            if s.IsInteger e then (if not (s.Sign e).AtLeastZero then s.Require(Requirement.NonZero, b))
            else s.Require(Requirement.Positive, b)
            attempt (fun () -> X.pow b e)

    and private absolute (s: LoweringSession) (a: Expression) =
        let sign = s.Sign a
        if sign.AtLeastZero then a elif sign.AtMostZero then X.neg a else X.sqrt (X.pow a two)

    and private call (s: LoweringSession) (env: Env) (h: Head) (args: Term list) : Expression =
        let lowered = args |> List.map (lower s env)
        let a = lowered.Head
        let atom () = s.Atom(Term.Call(h, lowered |> List.map Term.ofExpression))
        match h with
        | Head.Sqrt ->
            s.Require(Requirement.NonNegative, a)
            X.sqrt a
        | Head.Exp -> X.exp a
        | Head.Log ->
            s.Require(Requirement.Positive, a)
            X.log a
        | Head.Sin -> X.sin a
        | Head.Cos -> X.cos a
        | Head.Tan ->
            let c = X.cos a
            s.Require(Requirement.NonZero, c)
            attempt (fun () -> X.div (X.sin a) c)
        | Head.Arcsin | Head.Arccos ->
            s.Require(Requirement.NonNegative, X.sub X.one a)
            s.Require(Requirement.NonNegative, X.add [ X.one; a ])
            if h = Head.Arcsin then X.arcsin a else X.arccos a
        | Head.Arctan -> X.arctan a
        | Head.Erf -> X.erf a
        | Head.Sinh -> X.div (X.sub (X.exp a) (X.exp (X.neg a))) two
        | Head.Cosh -> X.div (X.add [ X.exp a; X.exp (X.neg a) ]) two
        | Head.Tanh -> let e2 = X.exp (X.mul [ two; a ]) in X.div (X.sub e2 X.one) (X.add [ e2; X.one ])
        | Head.Abs -> absolute s a
        | Head.Relu ->
            let sign = s.Sign a
            if sign.AtLeastZero then a elif sign.AtMostZero then X.zero else X.div (X.add [ a; absolute s a ]) two
        | Head.Max | Head.Min ->
            let b = lowered[1]
            let sign = s.Sign(X.sub a b)
            let first, second = if h = Head.Max then a, b else b, a
            if sign.AtLeastZero then first
            elif sign.AtMostZero then second
            else
                let d = absolute s (X.sub a b)
                X.div (X.add [ a; b; (if h = Head.Max then d else X.neg d) ]) two
        | Head.Step ->
            match s.Sign a with
            | Sign.Positive -> X.one
            | sign when sign.AtMostZero -> X.zero
            | _ -> atom ()
        | Head.Sign ->
            match s.Sign a with
            | Sign.Positive -> X.one
            | Sign.Negative -> X.minusOne
            | Sign.Zero -> X.zero
            | _ -> atom ()
        | Head.Gamma ->
            match a with
            | Number r when r.IsInteger && r.Sign <= 0 -> raise (LoweringGaveUp "gamma has a pole at a non-positive integer")
            | Number r when r.IsInteger && r.Num <= BigInteger 2000 -> X.number (Rational.ofBigInt (factorial (int r.Num - 1)))
            | Number r when r.Den = BigInteger 2 && BigInteger.Abs r.Num <= BigInteger 4000 ->
                // Γ(n + 1/2) = (2n)!/(4^n n!) √π, and Γ(1/2 − n) = (−4)^n n!/(2n)! √π.
                let n = int ((r.Num - BigInteger.One) / BigInteger 2)
                let value =
                    if n >= 0 then Rational(factorial (2 * n), BigInteger.Pow(BigInteger 4, n) * factorial n)
                    else let m = -n in Rational(BigInteger.Pow(BigInteger -4, m) * factorial m, factorial (2 * m))
                X.mul [ X.number value; X.sqrt X.pi ]
            | _ ->
                s.Require(Requirement.Positive, a)
                atom ()
        | Head.Factorial ->
            match a with
            | Number r when r.IsInteger && r.Sign >= 0 && r.Num <= BigInteger 5000 -> X.number (Rational.ofBigInt (factorial (int r.Num)))
            | Number r when not r.IsInteger || r.Sign < 0 -> raise (LoweringGaveUp "factorial of a number that is not a non-negative integer")
            | _ ->
                s.Require(Requirement.Integer, a)
                s.Require(Requirement.NonNegative, a)
                atom ()
        | Head.DoubleFactorial ->
            match a with
            | Number r when r.IsInteger && r.Num >= BigInteger.MinusOne && r.Num <= BigInteger 10000 ->
                let n = int r.Num
                X.number (Rational.ofBigInt (Seq.fold (fun (acc: BigInteger) k -> acc * BigInteger(k: int)) BigInteger.One (seq { n .. -2 .. 1 })))
            | Number _ -> raise (LoweringGaveUp "doublefactorial of a number that is not an integer ≥ −1")
            | _ ->
                s.Require(Requirement.Integer, a)
                s.Require(Requirement.NonNegative, X.add [ a; X.one ])
                atom ()
        | Head.Binomial ->
            let k = lowered[1]
            match k with
            | Number r when r.IsInteger && r.Sign < 0 -> X.zero
            | Number r when r.IsInteger && r.Num <= BigInteger 200 ->
                // n(n − 1)…(n − k + 1)/k!, valid for every real n.
                let kk = int r.Num
                X.mul [ X.number (Rational(BigInteger.One, factorial kk)); X.mul [ for j in 0 .. kk - 1 -> X.sub a (X.ofInt j) ] ]
            | Number _ -> raise (LoweringGaveUp "binomial with a non-integer lower argument")
            | _ ->
                s.Require(Requirement.Integer, k)
                atom ()
        | Head.Arctan2 ->
            let x = lowered[1]
            if s.Sign x = Sign.Positive then X.arctan (X.div a x)
            else
                s.Require(Requirement.NonZero, X.add [ X.pow a two; X.pow x two ])
                atom ()

    /// The piecewise calls of `body` that depend on z and contain no other such call.
    and private innermostPiecewise (z: string) (body: Term) : Term list =
        let found = System.Collections.Generic.List<Term>()
        let rec walk (t: Term) (bound: Set<string>) =
            match t with
            | Term.Call(h, args) when isPiecewise h && not (bound.Contains z) && (Term.freeVariables t).Contains z ->
                let before = found.Count
                for a in args do walk a bound
                if found.Count = before && not (found.Contains t) then found.Add t
            | t -> for (c, b) in Term.childrenWithBinders t do walk c (Set.union bound (Set.ofList b))
        walk body Set.empty
        List.ofSeq found

    /// Splits [lo, hi] at the kinks of the piecewise functions of `body` in z (each selector affine in z) and returns
    /// the pieces with every piecewise function replaced by its branch there.
    and private pieces (s: LoweringSession) (env: Env) (body: Term) (z: string) (p: string) (lo: RangeEnd) (hi: RangeEnd) (depth: int) : (RangeEnd * RangeEnd * Term) list =
        let calls = innermostPiecewise z body
        if calls.IsEmpty then [ lo, hi, body ]
        elif depth > 4 then raise (NoClosedForm "piecewise functions nested too deeply")
        else
            let env' = env.Add(z, Symbol p)
            let kinks =
                calls |> List.map (fun c ->
                    match c with
                    | Term.Call(h, args) ->
                        let d = lower s env' (selector h args)
                        match GaussianIntegralForms.polynomialCoefficients s p 1 d with
                        | Some [| beta; alpha |] ->
                            let sign = s.Sign alpha
                            if sign <> Sign.Positive && sign <> Sign.Negative then
                                raise (NoClosedForm $"the slope of {Term.format (selector h args)} has no known sign")
                            c, h, args, sign = Sign.Positive, X.div (X.neg beta) alpha
                        | _ -> raise (NoClosedForm $"the argument {Term.format (selector h args)} is not affine in the variable")
                    | _ -> invalidOp "not a call")
            // The distinct break points inside (lo, hi), in increasing order.
            let inside (r: Expression) =
                let after = match lo with RangeEnd.At a -> s.Sign(X.sub r a) | RangeEnd.MinusInfinity -> Sign.Positive | RangeEnd.PlusInfinity -> Sign.Negative
                let before = match hi with RangeEnd.At b -> s.Sign(X.sub b r) | RangeEnd.PlusInfinity -> Sign.Positive | RangeEnd.MinusInfinity -> Sign.Negative
                if after = Sign.Positive && before = Sign.Positive then true
                elif after.AtMostZero || before.AtMostZero then false
                else raise (NoClosedForm "a break point cannot be placed relative to the range")
            let points =
                kinks |> List.map (fun (_, _, _, _, r) -> r) |> List.distinct |> List.filter inside
                |> List.sortWith (fun a b ->
                    match s.Sign(X.sub a b) with
                    | Sign.Positive -> 1
                    | Sign.Negative -> -1
                    | Sign.Zero -> 0
                    | _ -> raise (NoClosedForm "two break points cannot be ordered"))
            let ends = lo :: (points |> List.map RangeEnd.At) @ [ hi ]
            let pairs = List.pairwise ends
            if pairs.Length > 64 then raise (NoClosedForm "too many pieces")
            pairs
            |> List.collect (fun (a, b) ->
                // On (a, b), a kink r is to the left when r ≤ a.
                let pieceBody =
                    kinks |> List.fold (fun acc (call, h, args, increasing, r) ->
                        let left =
                            match a with
                            | RangeEnd.MinusInfinity -> false
                            | RangeEnd.At av -> (s.Sign(X.sub av r)).AtLeastZero
                            | RangeEnd.PlusInfinity -> true
                        let positive = if increasing then left else not left
                        replace call (branch h args positive) acc) body
                pieces s env pieceBody z p a b (depth + 1))

    and private gauss (s: LoweringSession) (env: Env) (body: Term) (z: string) (m: Expression) (v: Expression) : Expression =
        s.Require(Requirement.NonNegative, v)
        if v = X.zero then lower s (env.Add(z, m)) body
        else
            let p = s.Placeholder(z, false)
            let env' = env.Add(z, Symbol p)
            sumOfProducts 256 body
            |> List.map (fun (c, factors) ->
                let term = match factors with [] -> Term.one | [ f ] -> f | fs -> Term.Mul fs
                let value =
                    match erfPair s env' p factors with
                    | Some(alpha, beta) when m = X.zero ->
                        GaussianIntegralForms.kernel s "erf" (X.mul [ X.pow alpha two; v ]) (X.mul [ alpha; beta; v ]) (X.mul [ X.pow beta two; v ])
                    | _ ->
                        pieces s env term z p RangeEnd.MinusInfinity RangeEnd.PlusInfinity 0
                        |> List.map (fun (a, b, piece) ->
                            let f = lower s env' piece
                            match a, b with
                            | RangeEnd.MinusInfinity, RangeEnd.PlusInfinity ->
                                match GaussianIntegralForms.polynomialExpectation s p f m v with
                                | Some value -> value
                                | None ->
                                    try GaussianIntegralForms.expectationOver s p f m v a b
                                    with NoClosedForm _ -> steinExpectation s p f m v
                            | _ -> GaussianIntegralForms.expectationOver s p f m v a b)
                        |> X.add
                X.mul [ X.number c; value ])
            |> X.add

    /// Two erf factors of arguments α·z and β·z (and nothing else depending on z).
    and private erfPair (s: LoweringSession) (env: Env) (p: string) (factors: Term list) : (Expression * Expression) option =
        let slope (t: Term) =
            match t with
            | Term.Call(Head.Erf, [ arg ]) ->
                match GaussianIntegralForms.polynomialCoefficients s p 1 (lower s env arg) with
                | Some [| beta; alpha |] when beta = X.zero -> Some alpha
                | _ -> None
            | _ -> None
        match factors |> List.filter (fun f -> s.DependsOn p (lower s env f)) with
        | [ f; g ] -> (match slope f, slope g with Some a, Some b -> Some(a, b) | _ -> None)
        | [ f ] -> (match f with Term.Pow(Term.Call(Head.Erf, _) as e, Term.Num two) when two = Rational.ofInt 2 -> (match slope e with Some a -> Some(a, a) | None -> None) | _ -> None)
        | _ -> None

    /// E f over the whole line for f = Σ c z^k erf(αz + β) + (parts without erf), by Stein's identity.
    and private steinExpectation (s: LoweringSession) (p: string) (f: Expression) (m: Expression) (v: Expression) : Expression =
        let terms = match ExpansionGuard.expand s.Limits f with Sum ts -> ts | t -> [ t ]
        terms
        |> List.map (fun t ->
            let factors = match t with Product fs -> fs | f -> [ f ]
            let erfs = factors |> List.filter (function Apply(Erf, a) -> s.DependsOn p a | _ -> false)
            match erfs with
            | [] -> GaussianIntegralForms.expectationOver s p t m v RangeEnd.MinusInfinity RangeEnd.PlusInfinity
            | [ Apply(Erf, arg) as e ] ->
                let rest = factors |> List.filter (fun f -> not (obj.ReferenceEquals(f, e)))
                let mutable k = 0
                let coefficient = ResizeArray<Expression>()
                for f in rest do
                    match f with
                    | Symbol q when q = p -> k <- k + 1
                    | Power(Symbol q, Number n) when q = p && n.IsInteger && n.Sign > 0 && n.Num <= BigInteger 50 -> k <- k + int n.Num
                    | f when s.DependsOn p f -> raise (NoClosedForm "an erf times something other than a power")
                    | f -> coefficient.Add f
                match GaussianIntegralForms.polynomialCoefficients s p 1 arg with
                | Some [| beta; alpha |] -> X.mul [ X.mul (List.ofSeq coefficient); GaussianIntegralForms.erfMoment s p k alpha beta m v ]
                | _ -> raise (NoClosedForm "an erf of a non-affine argument")
            | _ -> raise (NoClosedForm "a product of erf functions with a non-zero mean"))
        |> X.add

    and private gauss2 (s: LoweringSession) (env: Env) (body: Term) (u: string) (w: string) (a: Expression) (b: Expression) (c: Expression) : Expression =
        s.Require(Requirement.NonNegative, a)
        s.Require(Requirement.NonNegative, c)
        s.Require(Requirement.NonNegative, X.sub (X.mul [ a; c ]) (X.pow b two))
        let pu = s.Placeholder(u, false)
        let pw = s.Placeholder(w, false)
        let env' = env.Add(u, Symbol pu).Add(w, Symbol pw)
        let dependsOn (name: string) (t: Term) = (Term.freeVariables t).Contains name
        sumOfProducts 256 body
        |> List.map (fun (coefficient, factors) ->
            let onU = factors |> List.filter (fun f -> dependsOn u f && not (dependsOn w f))
            let onW = factors |> List.filter (fun f -> dependsOn w f && not (dependsOn u f))
            let mixed = factors |> List.filter (fun f -> dependsOn u f && dependsOn w f)
            let constant = factors |> List.filter (fun f -> not (dependsOn u f) && not (dependsOn w f)) |> List.map (lower s env)
            let product fs = match fs with [] -> Term.one | [ f ] -> f | fs -> Term.Mul fs
            let value =
                let lowered = lower s env' (product (onU @ onW @ mixed))
                let expQuadratic () =
                    let cs, factorsOfQ = GaussianIntegrals.splitFactors [ pu; pw ] lowered
                    if not factorsOfQ.IsEmpty && factorsOfQ |> List.forall (function Apply(Exp, _) -> true | _ -> false) && not (s.DependsOn pu cs || s.DependsOn pw cs) then
                        try Some(GaussianIntegrals.expQuadraticExpectation [ pu; pw ] (array2D [ [ a; b ]; [ b; c ] ]) lowered)
                        with :? System.ArgumentException -> None
                    else None
                match bivariatePolynomial s pu pw lowered a b c with
                | Some value -> value
                | None ->
                    match expQuadratic () with
                    | Some value ->
                        // det(I + 2ΣK)^(−1/2) needs I + 2ΣK to have positive eigenvalues (a convergent integral):
                        // for this 2×2 matrix, a positive determinant and trace.
                        let exponent = match GaussianIntegrals.splitFactors [ pu; pw ] lowered with _, [ Apply(Exp, q) ] -> Some q | _ -> None
                        match exponent |> Option.bind (GaussianIntegrals.quadraticFormMatrix [ pu; pw ]) with
                        | Some k ->
                            let sigma = array2D [ [ a; b ]; [ b; c ] ]
                            let m = Array2D.init 2 2 (fun i j -> X.add [ (if i = j then X.one else X.zero); X.mul [ X.ofInt 2; X.add [ for l in 0 .. 1 -> X.mul [ sigma[i, l]; k[l, j] ] ] ] ])
                            s.Require(Requirement.Positive, GaussianIntegrals.determinant m)
                            s.Require(Requirement.Positive, X.add [ m[0, 0]; m[1, 1] ])
                            value
                        | None -> raise (NoClosedForm "an exponent that is not a quadratic form")
                    | None ->
                        if mixed.IsEmpty && onW.IsEmpty then lower s env (Term.Gauss(product onU, u, Term.ofExpression X.zero, Term.ofExpression a))
                        elif mixed.IsEmpty && onU.IsEmpty then lower s env (Term.Gauss(product onW, w, Term.ofExpression X.zero, Term.ofExpression c))
                        elif mixed.IsEmpty then kernelPair s env' pu pw onU onW a b c
                        else raise (NoClosedForm "the integrand mixes the two variables")
            X.mul [ X.number coefficient; X.mul constant; value ])
        |> X.add

    and private bivariatePolynomial (s: LoweringSession) (pu: string) (pw: string) (x: Expression) a b c : Expression option =
        match GaussianIntegralForms.polynomialCoefficients s pu 200 x with
        | None -> None
        | Some byU ->
            let parts =
                byU |> Array.mapi (fun i cu ->
                    if cu = X.zero then Some X.zero
                    else
                        GaussianIntegralForms.polynomialCoefficients s pw 200 cu
                        |> Option.map (fun byW ->
                            X.add [ for j in 0 .. byW.Length - 1 do
                                        if byW[j] <> X.zero then yield X.mul [ byW[j]; GaussianIntegralForms.bivariateMoment i j a b c ] ]))
            if parts |> Array.forall Option.isSome then Some(X.add (parts |> Array.map Option.get |> List.ofArray)) else None

    /// F(αu)·G(βw) with F = G one of relu, step, erf: the derived two-point kernel at the scaled covariance.
    and private kernelPair (s: LoweringSession) (env: Env) (pu: string) (pw: string) (onU: Term list) (onW: Term list) a b c : Expression =
        let single (fs: Term list) (p: string) =
            match fs with
            | [ Term.Call((Head.Relu | Head.Step | Head.Erf) as h, [ arg ]) ] ->
                match GaussianIntegralForms.polynomialCoefficients s p 1 (lower s env arg) with
                | Some [| beta; alpha |] when beta = X.zero -> h, alpha
                | _ -> raise (NoClosedForm "a kernel function of a non-linear argument")
            | _ -> raise (NoClosedForm "no two-point kernel for these factors")
        let hu, alpha = single onU pu
        let hw, beta = single onW pw
        if hu <> hw then raise (NoClosedForm "the two factors are different functions")
        match hu with
        | Head.Erf ->
            GaussianIntegralForms.kernel s "erf" (X.mul [ X.pow alpha two; a ]) (X.mul [ alpha; beta; b ]) (X.mul [ X.pow beta two; c ])
        | _ ->
            // relu(αu) = |α| relu(±u), step(αu) = step(±u): the signs flip the covariance.
            let signOf (x: Expression) =
                match s.Sign x with
                | Sign.Positive -> 1
                | Sign.Negative -> -1
                | _ -> raise (NoClosedForm "the sign of a scale is unknown")
            let su, sw = signOf alpha, signOf beta
            let flipped = if su * sw > 0 then b else X.neg b
            let name = if hu = Head.Relu then "relu" else "step"
            let value = GaussianIntegralForms.kernel s name a flipped c
            if hu = Head.Relu then X.mul [ X.ofInt (su * sw); alpha; beta; value ] else value

    and private integral (s: LoweringSession) (env: Env) (body: Term) (x: string) (lo: Term) (hi: Term) : Expression =
        let rangeEnd (t: Term) =
            match t with
            | Term.Inf sign -> if sign > 0 then RangeEnd.PlusInfinity else RangeEnd.MinusInfinity
            | t -> RangeEnd.At(lower s env t)
        let a, b = rangeEnd lo, rangeEnd hi
        let p = s.Placeholder(x, false)
        let env' = env.Add(x, Symbol p)
        let over (a: RangeEnd) (b: RangeEnd) =
            pieces s env body x p a b 0
            |> List.map (fun (l, h, piece) -> GaussianIntegralForms.integral s p (lower s env' piece) l h)
            |> X.add
        if (innermostPiecewise x body).IsEmpty then GaussianIntegralForms.integral s p (lower s env' body) a b
        else
            // Pieces need an increasing range: ∫_a^b = −∫_b^a when b < a.
            let order =
                match a, b with
                | RangeEnd.At av, RangeEnd.At bv -> s.Sign(X.sub bv av)
                | RangeEnd.MinusInfinity, _ | _, RangeEnd.PlusInfinity -> Sign.Positive
                | _ -> Sign.Negative
            if order.AtLeastZero then over a b
            elif order.AtMostZero then X.neg (over b a)
            else raise (NoClosedForm "the order of the integration bounds is unknown")

    and private sumOrProduct (s: LoweringSession) (env: Env) (isSum: bool) (body: Term) (k: string) (lo: Expression) (hi: Expression) : Expression =
        match lo, hi with
        | Number l, Number h when not l.IsInteger || not h.IsInteger -> raise (LoweringGaveUp "the bounds of a sum or product are not integers")
        | Number l, Number h when h.Num - l.Num + BigInteger.One <= BigInteger.Zero -> if isSum then X.zero else X.one
        | Number l, Number h when h.Num - l.Num < BigInteger s.Limits.MaxExplicitTerms ->
            let values = [ for j in l.Num .. h.Num -> lower s (env.Add(k, Number(Rational.ofBigInt j))) body ]
            if isSum then X.add values else X.mul values
        | _ ->
            let p = s.Placeholder(k, true)
            let mark = s.ConditionCount
            let f = lower s (env.Add(k, Symbol p)) body
            let termConditions = [ for i in mark .. s.ConditionCount - 1 -> s.Conditions[i] ]
            if termConditions |> List.exists (fun c -> s.DependsOn p c.Value) then
                raise (NoClosedForm "the terms are defined only for some values of the index")
            if isSum then SumForms.sum s p f lo hi
            elif not (s.DependsOn p f) then
                s.Require(Requirement.Integer, lo)
                s.Require(Requirement.Integer, hi)
                s.Require(Requirement.NonNegative, X.add [ X.sub hi lo; X.one ])
                X.pow f (X.add [ X.sub hi lo; X.one ])
            else raise (NoClosedForm "no closed form for this product")

    /// Lowers a closed term with no free variables other than the symbols (an empty environment).
    let lowerTerm (s: LoweringSession) (t: Term) : Expression = lower s Map.empty t
