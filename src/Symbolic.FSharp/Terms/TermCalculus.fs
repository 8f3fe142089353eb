namespace FimVerify.Symbolic

/// A derivative the checker cannot take (it says why; the step is then undecided).
exception NotDifferentiable of string

/// Symbolic derivatives of terms, and the elimination of `diff` and `at`. The piecewise functions follow the
/// convention of automatic differentiation: relu′ = step, |x|′ = sign, max/min by the active argument, and
/// step′ = sign′ = 0. Where that convention ignores a jump (a step or sign whose argument depends on the variable)
/// the derivative is flagged, and a rule that moves a derivative inside an expectation or integral refuses it:
/// d/dm E[step(z)] for z ~ N(m, 1) is the density at 0, not E[step′(z)] = 0.
[<RequireQualifiedAccess>]
module TermCalculus =
    let private num (n: int) = Term.ofInt n
    let private isZero (t: Term) = match t with Term.Num r -> r.IsZero | _ -> false
    let private isOne (t: Term) = match t with Term.Num r -> r = Rational.One | _ -> false

    /// Sums and products that drop zeros and ones (the derivative of a long product stays readable and small).
    let add (ts: Term list) =
        match ts |> List.filter (isZero >> not) with
        | [] -> Term.zero
        | [ t ] -> t
        | ts -> Term.Add ts

    let mul (fs: Term list) =
        if fs |> List.exists isZero then Term.zero
        else
            match fs |> List.filter (isOne >> not) with
            | [] -> Term.one
            | [ f ] -> f
            | fs -> Term.Mul fs

    let neg (t: Term) = if isZero t then t else match t with Term.Neg a -> a | t -> Term.Neg t
    let div a b = if isZero a then Term.zero elif isOne b then a else Term.Div(a, b)
    let square t = Term.Pow(t, num 2)
    let call h args = Term.Call(h, args)

    let depends (x: string) (t: Term) = (Term.freeVariables t).Contains x

    /// The derivative in x and whether the jump convention was used on something depending on x. `close` may turn a
    /// binding form into an equivalent closed term (tried when no differentiation rule applies to the binding form).
    let rec derivative (close: Term -> Term option) (x: string) (t: Term) : Term * bool =
        let d = derivative close x
        if not (depends x t) then Term.zero, false
        else
            match t with
            | Term.Var _ -> Term.one, false
            | Term.Add ts ->
                let parts = ts |> List.map d
                add (parts |> List.map fst), parts |> List.exists snd
            | Term.Mul fs ->
                let parts =
                    fs |> List.mapi (fun i f ->
                        if depends x f then
                            let df, flag = d f
                            Some(mul (fs |> List.mapi (fun j g -> if i = j then df else g)), flag)
                        else None) |> List.choose id
                add (parts |> List.map fst), parts |> List.exists snd
            | Term.Neg a -> let da, flag = d a in neg da, flag
            | Term.Div(a, b) ->
                let da, fa = d a
                let db, fb = d b
                if not (depends x b) then div da b, fa
                else div (add [ mul [ da; b ]; neg (mul [ a; db ]) ]) (square b), fa || fb
            | Term.Pow(b, e) when not (depends x e) ->
                let db, flag = d b
                let lowered = match e with Term.Num r -> Term.Num(r - Rational.One) | e -> Term.sub e Term.one
                mul [ e; Term.Pow(b, lowered); db ], flag
            | Term.Pow(b, e) ->
                let db, fb = d b
                let de, fe = d e
                mul [ t; add [ mul [ de; call Head.Log [ b ] ]; div (mul [ e; db ]) b ] ], fb || fe
            | Term.Call(h, args) -> callDerivative close x h args
            | Term.SumOf(body, k, lo, hi) ->
                if depends x lo || depends x hi then raise (NotDifferentiable $"the bounds of {Term.format t} depend on {x}")
                elif k = x then Term.zero, false
                else let db, flag = d body in Term.SumOf(db, k, lo, hi), flag
            | Term.ProductOf(body, k, lo, hi) ->
                if depends x lo || depends x hi then raise (NotDifferentiable $"the bounds of {Term.format t} depend on {x}")
                elif k = x then Term.zero, false
                else
                    // d Π f_k = Σ_j f_j′ Π_{k<j} f_k Π_{k>j} f_k (no division, so no new undefined points).
                    let j = Term.fresh (Set.unionMany [ Term.freeVariables t; set [ x; k ] ]) k
                    let db, flag = d body
                    let at v = Term.substituteOne k v
                    let jv = Term.Var j
                    let before = Term.ProductOf(body, k, lo, Term.sub jv Term.one)
                    let after = Term.ProductOf(body, k, Term.Add [ jv; Term.one ], hi)
                    Term.SumOf(mul [ at jv db; before; after ], j, lo, hi), flag
            | Term.Integral(body, y, lo, hi) ->
                // Leibniz: f(hi) hi′ − f(lo) lo′ + ∫ ∂f/∂x.
                let boundaryTerm (b: Term) sign =
                    if not (depends x b) then Term.zero, false
                    else
                        let db, flag = d b
                        let value = Term.substituteOne y b body
                        (if sign > 0 then mul [ value; db ] else neg (mul [ value; db ])), flag
                let hiTerm, hf = boundaryTerm hi 1
                let loTerm, lf = boundaryTerm lo -1
                let inside, inf =
                    if y = x || not (depends x body) then Term.zero, false
                    else
                        let db, flag = d body
                        if flag then underIntegral close x t else Term.Integral(db, y, lo, hi), false
                add [ hiTerm; loTerm; inside ], hf || lf || inf
            | Term.Gauss(body, z, m, v) ->
                if z = x && not (depends x m) && not (depends x v) then Term.zero, false
                elif not (depends x m) && not (depends x v) then
                    let db, flag = d body
                    if flag then underIntegral close x t else Term.Gauss(db, z, m, v), false
                else
                    // z = m + √v·s with s ~ N(0, 1): the parameters move into the integrand.
                    let s = Term.fresh (Set.unionMany [ Term.freeVariables t; set [ x; z ] ]) "s"
                    let moved = Term.substituteOne z (Term.Add [ m; mul [ call Head.Sqrt [ v ]; Term.Var s ] ]) body
                    let db, flag = d moved
                    if flag then underIntegral close x t else Term.Gauss(db, s, Term.zero, Term.one), false
            | Term.Gauss2(body, u, w, a, b, c) ->
                let parametersMove = depends x a || depends x b || depends x c
                if not parametersMove then
                    if u = x || w = x then Term.zero, false
                    else
                        let db, flag = d body
                        if flag then underIntegral close x t else Term.Gauss2(db, u, w, a, b, c), false
                else
                    match priceForm body u w with
                    | Some(f, g) when not (depends x a) && not (depends x c) && not (depends x f) && not (depends x g) ->
                        // Price's theorem: ∂/∂b E[F(u)G(w)] = E[F′(u)G′(w)] for absolutely continuous F, G.
                        let df, ff = derivative close u f
                        let dg, fg = derivative close w g
                        if ff || fg then underIntegral close x t
                        else
                            let db, flag = d b
                            mul [ Term.Gauss2(mul [ df; dg ], u, w, a, b, c); db ], flag
                    | _ ->
                        // u = √a·s, w = (b/√a)·s + √(c − b²/a)·r with s, r independent standard normals.
                        let avoid = Set.unionMany [ Term.freeVariables t; set [ x; u; w ] ]
                        let s = Term.fresh avoid "s"
                        let r = Term.fresh (avoid.Add s) "r"
                        let sqrtA = call Head.Sqrt [ a ]
                        let uValue = mul [ sqrtA; Term.Var s ]
                        let wValue = Term.Add [ mul [ div b sqrtA; Term.Var s ]; mul [ call Head.Sqrt [ Term.sub c (div (square b) a) ]; Term.Var r ] ]
                        let moved = Term.substitute (Map.ofList [ u, uValue; w, wValue ]) body
                        let db, flag = d moved
                        if flag then underIntegral close x t else Term.Gauss2(db, s, r, Term.one, Term.zero, Term.one), false
            | Term.Defined(value, requires) -> let dv, flag = d value in Term.Defined(dv, requires), flag
            | Term.Diff _ | Term.At _ -> invalidOp "diff and at are eliminated before differentiating"
            | Term.Num _ | Term.Pi | Term.E | Term.Inf _ -> Term.zero, false

    /// A binding form whose integrand jumps in x: only a closed form can be differentiated.
    and private underIntegral close x (t: Term) : Term * bool =
        match close t with
        | Some closed -> derivative close x closed
        | None ->
            raise (NotDifferentiable $"{Term.format t} has an integrand with a jump that moves with {x}, and no closed form: its derivative is not E[∂f/∂{x}]")

    /// body = F(u)·G(w) with F free of w and G free of u (either may be 1).
    and private priceForm (body: Term) (u: string) (w: string) : (Term * Term) option =
        let factors = match body with Term.Mul fs -> fs | f -> [ f ]
        let onlyU, rest = factors |> List.partition (fun f -> not (depends w f))
        let onlyW, mixed = rest |> List.partition (fun f -> not (depends u f))
        if mixed.IsEmpty then Some(mul onlyU, mul onlyW) else None

    and private callDerivative close x (h: Head) (args: Term list) : Term * bool =
        let d = derivative close x
        let one (f: Term -> Term) =
            match args with
            | [ a ] -> let da, flag = d a in mul [ f a; da ], flag
            | _ -> invalidOp "arity"
        let twoPi = Term.Div(num 2, call Head.Sqrt [ Term.Pi ])
        match h with
        | Head.Sqrt -> one (fun a -> Term.Div(Term.one, mul [ num 2; call Head.Sqrt [ a ] ]))
        | Head.Exp -> one (fun a -> call Head.Exp [ a ])
        | Head.Log -> one (fun a -> Term.Div(Term.one, a))
        | Head.Sin -> one (fun a -> call Head.Cos [ a ])
        | Head.Cos -> one (fun a -> neg (call Head.Sin [ a ]))
        | Head.Tan -> one (fun a -> Term.Div(Term.one, square (call Head.Cos [ a ])))
        | Head.Arcsin -> one (fun a -> Term.Div(Term.one, call Head.Sqrt [ Term.sub Term.one (square a) ]))
        | Head.Arccos -> one (fun a -> neg (Term.Div(Term.one, call Head.Sqrt [ Term.sub Term.one (square a) ])))
        | Head.Arctan -> one (fun a -> Term.Div(Term.one, Term.Add [ Term.one; square a ]))
        | Head.Sinh -> one (fun a -> call Head.Cosh [ a ])
        | Head.Cosh -> one (fun a -> call Head.Sinh [ a ])
        | Head.Tanh -> one (fun a -> Term.sub Term.one (square (call Head.Tanh [ a ])))
        | Head.Erf -> one (fun a -> mul [ twoPi; call Head.Exp [ neg (square a) ] ])
        | Head.Relu -> one (fun a -> call Head.Step [ a ])
        | Head.Abs -> one (fun a -> call Head.Sign [ a ])
        | Head.Step | Head.Sign -> Term.zero, true
        | Head.Max | Head.Min ->
            match args with
            | [ a; b ] ->
                let da, fa = d a
                let db, fb = d b
                let first, second = if h = Head.Max then Term.sub a b, Term.sub b a else Term.sub b a, Term.sub a b
                add [ mul [ call Head.Step [ first ]; da ]; mul [ call Head.Step [ second ]; db ] ], fa || fb
            | _ -> invalidOp "arity"
        | Head.Arctan2 ->
            match args with
            | [ y; xx ] ->
                let dy, fy = d y
                let dx, fx = d xx
                div (add [ mul [ xx; dy ]; neg (mul [ y; dx ]) ]) (Term.Add [ square xx; square y ]), fy || fx
            | _ -> invalidOp "arity"
        | Head.Gamma -> raise (NotDifferentiable "the derivative of gamma (the digamma function) is not available")
        | Head.Factorial | Head.DoubleFactorial | Head.Binomial ->
            raise (NotDifferentiable $"{Head.name h} is defined on integers only and has no derivative in {x}")

    /// Replaces every `diff` by its derivative (defined only where the differentiated term is) and every `at` by the
    /// substitution, innermost first.
    let rec eliminate (close: Term -> Term option) (t: Term) : Term =
        match t with
        | Term.Diff(body, x, n) ->
            let mutable current = eliminate close body
            for _ in 1 .. n do
                let dv, _ = derivative close x current
                current <- Term.Defined(dv, [ current ])
            current
        | Term.At(body, x, value) -> Term.substituteOne x (eliminate close value) (eliminate close body)
        | Term.Num _ | Term.Var _ | Term.Pi | Term.E | Term.Inf _ -> t
        | t -> Term.withChildren t (Term.children t |> List.map (eliminate close))

    /// Does the term contain `diff` or `at`?
    let hasCalculus (t: Term) = Term.exists (function Term.Diff _ | Term.At _ -> true | _ -> false) t
