namespace FimVerify.Symbolic

open System.Collections.Generic

/// The named functions of the derivation language (besides + − × / ^).
[<RequireQualifiedAccess>]
type Head =
    | Sqrt
    | Exp
    | Log
    | Sin
    | Cos
    | Tan
    | Arcsin
    | Arccos
    | Arctan
    | Arctan2
    | Sinh
    | Cosh
    | Tanh
    | Erf
    | Gamma
    | Factorial
    | DoubleFactorial
    | Binomial
    | Relu
    | Step
    | Abs
    | Sign
    | Max
    | Min

/// An expression of the derivation language exactly as written: nothing is simplified, so the checker can decide
/// where each side is defined (√(−1)·√(−1) is undefined even though its canonical form would be −1). Binding forms
/// (gauss, gauss2, integral, sum, product) introduce their own variable, distinct from any declared symbol of the
/// same name; substitution renames it when a replacement would otherwise be captured. `diff` and `at` act on a
/// declared symbol (or a bound variable in scope) and do not bind.
[<RequireQualifiedAccess>]
type Term =
    | Num of Rational
    | Var of string
    | Pi
    | E
    /// ±∞ (sign ±1), allowed only as an integral bound.
    | Inf of int
    | Add of Term list
    | Mul of Term list
    | Neg of Term
    | Div of Term * Term
    | Pow of Term * Term
    | Call of Head * Term list
    /// E[body] for var ~ N(mean, variance).
    | Gauss of body: Term * var: string * mean: Term * variance: Term
    /// E[body] for (u, w) ~ N(0, [[a, b], [b, c]]).
    | Gauss2 of body: Term * u: string * w: string * a: Term * b: Term * c: Term
    /// ∫_lo^hi body d(var), oriented (lo > hi gives the negative), ends possibly ±∞.
    | Integral of body: Term * var: string * lo: Term * hi: Term
    /// Σ_{var=lo}^{hi} body over integers (0 when hi < lo).
    | SumOf of body: Term * var: string * lo: Term * hi: Term
    /// Π_{var=lo}^{hi} body over integers (1 when hi < lo).
    | ProductOf of body: Term * var: string * lo: Term * hi: Term
    /// The order-th derivative of body in the symbol var.
    | Diff of body: Term * var: string * order: int
    /// body with the symbol var replaced by value (after the derivatives inside have been taken).
    | At of body: Term * var: string * value: Term
    /// value, defined only where every term of `requires` is defined (the checker's own form: the derivative of f is
    /// defined only where f is).
    | Defined of value: Term * requires: Term list

[<RequireQualifiedAccess>]
module Head =
    let all =
        [ Head.Sqrt, "sqrt", 1; Head.Exp, "exp", 1; Head.Log, "log", 1; Head.Sin, "sin", 1; Head.Cos, "cos", 1
          Head.Tan, "tan", 1; Head.Arcsin, "arcsin", 1; Head.Arccos, "arccos", 1; Head.Arctan, "arctan", 1
          Head.Arctan2, "arctan2", 2; Head.Sinh, "sinh", 1; Head.Cosh, "cosh", 1; Head.Tanh, "tanh", 1; Head.Erf, "erf", 1
          Head.Gamma, "gamma", 1; Head.Factorial, "factorial", 1; Head.DoubleFactorial, "doublefactorial", 1
          Head.Binomial, "binomial", 2; Head.Relu, "relu", 1; Head.Step, "step", 1; Head.Abs, "abs", 1
          Head.Sign, "sign", 1; Head.Max, "max", 2; Head.Min, "min", 2 ]

    let private names = all |> List.map (fun (h, n, _) -> h, n) |> dict
    let name (h: Head) = names[h]
    let arity (h: Head) = all |> List.pick (fun (g, _, k) -> if g = h then Some k else None)
    let byName = all |> List.map (fun (h, n, k) -> n, (h, k)) |> Map.ofList

/// Structure of terms: children, free variables, size, capture-avoiding substitution, printing.
[<RequireQualifiedAccess>]
module Term =
    let zero = Term.Num Rational.Zero
    let one = Term.Num Rational.One
    let ofInt (n: int) = Term.Num(Rational.ofInt n)
    let sub a b = Term.Add [ a; Term.Neg b ]

    /// The immediate subterms, each with the variables it binds in that subterm.
    let childrenWithBinders (t: Term) : (Term * string list) list =
        match t with
        | Term.Num _ | Term.Var _ | Term.Pi | Term.E | Term.Inf _ -> []
        | Term.Add ts | Term.Mul ts | Term.Call(_, ts) -> ts |> List.map (fun x -> x, [])
        | Term.Neg a -> [ a, [] ]
        | Term.Div(a, b) | Term.Pow(a, b) -> [ a, []; b, [] ]
        | Term.Gauss(body, z, m, v) -> [ body, [ z ]; m, []; v, [] ]
        | Term.Gauss2(body, u, w, a, b, c) -> [ body, [ u; w ]; a, []; b, []; c, [] ]
        | Term.Integral(body, x, lo, hi) | Term.SumOf(body, x, lo, hi) | Term.ProductOf(body, x, lo, hi) -> [ body, [ x ]; lo, []; hi, [] ]
        | Term.Diff(body, _, _) -> [ body, [] ]
        | Term.At(body, _, value) -> [ body, []; value, [] ]
        | Term.Defined(value, requires) -> (value, []) :: (requires |> List.map (fun r -> r, []))

    let children (t: Term) = childrenWithBinders t |> List.map fst

    /// Rebuilds a node with new children (same order as `children`).
    let withChildren (t: Term) (kids: Term list) : Term =
        match t, kids with
        | Term.Add _, ts -> Term.Add ts
        | Term.Mul _, ts -> Term.Mul ts
        | Term.Call(h, _), ts -> Term.Call(h, ts)
        | Term.Neg _, [ a ] -> Term.Neg a
        | Term.Div _, [ a; b ] -> Term.Div(a, b)
        | Term.Pow _, [ a; b ] -> Term.Pow(a, b)
        | Term.Gauss(_, z, _, _), [ body; m; v ] -> Term.Gauss(body, z, m, v)
        | Term.Gauss2(_, u, w, _, _, _), [ body; a; b; c ] -> Term.Gauss2(body, u, w, a, b, c)
        | Term.Integral(_, x, _, _), [ body; lo; hi ] -> Term.Integral(body, x, lo, hi)
        | Term.SumOf(_, x, _, _), [ body; lo; hi ] -> Term.SumOf(body, x, lo, hi)
        | Term.ProductOf(_, x, _, _), [ body; lo; hi ] -> Term.ProductOf(body, x, lo, hi)
        | Term.Diff(_, x, n), [ body ] -> Term.Diff(body, x, n)
        | Term.At(_, x, _), [ body; value ] -> Term.At(body, x, value)
        | Term.Defined _, value :: requires -> Term.Defined(value, requires)
        | t, _ -> t

    /// Node count with shared subterms counted once per use (the size a traversal would see), saturating at
    /// Int64.MaxValue; linear in the number of distinct nodes, so a `let` chain of squarings is measured, not walked.
    let size (t: Term) : int64 =
        let memo = Dictionary<Term, int64>(HashIdentity.Reference)
        let rec go (t: Term) =
            match memo.TryGetValue t with
            | true, s -> s
            | _ ->
                let s = children t |> List.fold (fun acc c -> let k = go c in if acc > System.Int64.MaxValue - k then System.Int64.MaxValue else acc + k) 1L
                memo[t] <- s
                s
        go t

    /// Nesting depth (memoized like `size`).
    let depth (t: Term) : int =
        let memo = Dictionary<Term, int>(HashIdentity.Reference)
        let rec go (t: Term) =
            match memo.TryGetValue t with
            | true, d -> d
            | _ ->
                let d = 1 + (children t |> List.fold (fun acc c -> max acc (go c)) 0)
                memo[t] <- d
                d
        go t

    /// The free variables (a diff's variable counts as free: the derivative is a function of it).
    let freeVariables (t: Term) : Set<string> =
        let rec go (t: Term) =
            match t with
            | Term.Var s -> Set.singleton s
            | Term.Diff(body, x, _) -> Set.add x (go body)
            | Term.At(body, x, value) -> Set.union (Set.remove x (go body)) (go value)
            | t -> childrenWithBinders t |> List.fold (fun acc (c, bound) -> Set.union acc (Set.difference (go c) (Set.ofList bound))) Set.empty
        go t

    let isClosed (t: Term) = (freeVariables t).IsEmpty

    /// Does any node satisfy the predicate?
    let rec exists (f: Term -> bool) (t: Term) = f t || List.exists (exists f) (children t)

    /// A name not in `avoid`, derived from `name` by priming.
    let fresh (avoid: Set<string>) (name: string) =
        let mutable n = name + "'"
        while avoid.Contains n do n <- n + "'"
        n

    /// Simultaneous, capture-avoiding substitution of terms for free variables. A binder whose variable occurs free in
    /// a replacement is renamed first; a diff's variable replaced by a non-variable becomes an `at` around the diff
    /// (the derivative is taken, then evaluated).
    let rec substitute (bindings: Map<string, Term>) (t: Term) : Term =
        if bindings.IsEmpty then t
        else
            match t with
            | Term.Var s -> (match bindings.TryFind s with Some v -> v | None -> t)
            | Term.Num _ | Term.Pi | Term.E | Term.Inf _ -> t
            | Term.Diff(body, x, n) ->
                match bindings.TryFind x with
                | None -> Term.Diff(substitute bindings body, x, n)
                | Some value ->
                    let rest = bindings.Remove x
                    match value with
                    | Term.Var y when not (((freeVariables body).Remove x).Contains y) ->
                        Term.Diff(substitute (rest.Add(x, value)) body, y, n)
                    | _ -> Term.At(Term.Diff(substitute rest body, x, n), x, value)
            | Term.At(body, x, value) -> Term.At(substitute (bindings.Remove x) body, x, substitute bindings value)
            | _ ->
                let pieces = childrenWithBinders t
                if pieces |> List.forall (fun (_, bound) -> bound.IsEmpty) then
                    withChildren t (pieces |> List.map (fun (c, _) -> substitute bindings c))
                else
                    // A binder: its variables are not replaced inside the body, and are renamed when a replacement
                    // for one of the body's free variables mentions them.
                    let bound = pieces |> List.collect snd |> List.distinct
                    let body = pieces |> List.find (fun (_, b) -> not b.IsEmpty) |> fst
                    let inner = bound |> List.fold (fun (m: Map<string, Term>) v -> m.Remove v) bindings
                    let bodyFree = freeVariables body
                    let incoming =
                        inner |> Seq.filter (fun (KeyValue(k, _)) -> bodyFree.Contains k) |> Seq.map (fun (KeyValue(_, v)) -> freeVariables v) |> Set.unionMany
                    let avoid = Set.unionMany [ incoming; bodyFree; Set.ofSeq inner.Keys; Set.ofList bound ]
                    let renames = bound |> List.filter incoming.Contains |> List.map (fun v -> v, fresh avoid v)
                    let rename old = renames |> List.tryFind (fun (o, _) -> o = old) |> Option.map snd |> Option.defaultValue old
                    let inner = renames |> List.fold (fun (m: Map<string, Term>) (o, n) -> m.Add(o, Term.Var n)) inner
                    let newBody = substitute inner body
                    let others = pieces |> List.filter (fun (_, b) -> b.IsEmpty) |> List.map (fun (c, _) -> substitute bindings c)
                    match t with
                    | Term.Gauss(_, z, _, _) -> (match others with [ m; v ] -> Term.Gauss(newBody, rename z, m, v) | _ -> t)
                    | Term.Gauss2(_, u, w, _, _, _) -> (match others with [ a; b; c ] -> Term.Gauss2(newBody, rename u, rename w, a, b, c) | _ -> t)
                    | Term.Integral(_, x, _, _) -> (match others with [ lo; hi ] -> Term.Integral(newBody, rename x, lo, hi) | _ -> t)
                    | Term.SumOf(_, x, _, _) -> (match others with [ lo; hi ] -> Term.SumOf(newBody, rename x, lo, hi) | _ -> t)
                    | Term.ProductOf(_, x, _, _) -> (match others with [ lo; hi ] -> Term.ProductOf(newBody, rename x, lo, hi) | _ -> t)
                    | _ -> t

    let substituteOne (name: string) (value: Term) (t: Term) = substitute (Map.ofList [ name, value ]) t

    let private rationalText (r: Rational) = if r.Den.IsOne then string r.Num else $"{r.Num}/{r.Den}"

    /// Infix text (fully parenthesised where precedence needs it); re-readable by TermParser.
    let rec format (t: Term) : string =
        let wrap (x: Term) =
            match x with
            | Term.Num r when r.Sign >= 0 && r.Den.IsOne -> format x
            | Term.Var _ | Term.Pi | Term.E | Term.Call _ | Term.Gauss _ | Term.Gauss2 _ | Term.Integral _ | Term.SumOf _
            | Term.ProductOf _ | Term.Diff _ | Term.At _ -> format x
            | _ -> $"({format x})"
        match t with
        | Term.Num r -> rationalText r
        | Term.Var s -> s
        | Term.Pi -> "pi"
        | Term.E -> "e"
        | Term.Inf s -> if s > 0 then "inf" else "-inf"
        | Term.Add [] -> "0"
        | Term.Add(first :: rest) ->
            let tail = rest |> List.map (function Term.Neg x -> $" - {wrap x}" | x -> $" + {format x}") |> String.concat ""
            format first + tail
        | Term.Mul [] -> "1"
        | Term.Mul fs -> fs |> List.map wrap |> String.concat "*"
        | Term.Neg a -> $"-{wrap a}"
        | Term.Div(a, b) -> $"{wrap a}/{wrap b}"
        | Term.Pow(a, b) -> $"{wrap a}^{wrap b}"
        | Term.Call(h, args) -> $"""{Head.name h}({args |> List.map format |> String.concat ", "})"""
        | Term.Gauss(body, z, m, v) -> $"gauss({format body}, {z}, {format m}, {format v})"
        | Term.Gauss2(body, u, w, a, b, c) -> $"gauss2({format body}, {u}, {w}, {format a}, {format b}, {format c})"
        | Term.Integral(body, x, lo, hi) -> $"integral({format body}, {x}, {format lo}, {format hi})"
        | Term.SumOf(body, x, lo, hi) -> $"sum({format body}, {x}, {format lo}, {format hi})"
        | Term.ProductOf(body, x, lo, hi) -> $"product({format body}, {x}, {format lo}, {format hi})"
        | Term.Diff(body, x, 1) -> $"diff({format body}, {x})"
        | Term.Diff(body, x, n) -> $"diff({format body}, {x}, {n})"
        | Term.At(body, x, v) -> $"at({format body}, {x}, {format v})"
        | Term.Defined(value, _) -> format value

    /// The canonical Expression as a term (for evaluating closed forms with the term evaluators).
    let rec ofExpression (x: Expression) : Term =
        match x with
        | Number r -> Term.Num r
        | Symbol s -> Term.Var s
        | Constant Pi -> Term.Pi
        | Constant E -> Term.E
        | Sum ts -> Term.Add(ts |> List.map ofExpression)
        | Product fs -> Term.Mul(fs |> List.map ofExpression)
        | Power(b, Number h) when h = Rational.make 1 2 -> Term.Call(Head.Sqrt, [ ofExpression b ])
        | Power(b, e) -> Term.Pow(ofExpression b, ofExpression e)
        | Apply(f, a) ->
            let head =
                match f with
                | Function.Exp -> Head.Exp
                | Function.Log -> Head.Log
                | Function.Sin -> Head.Sin
                | Function.Cos -> Head.Cos
                | Function.Arcsin -> Head.Arcsin
                | Function.Arccos -> Head.Arccos
                | Function.Arctan -> Head.Arctan
                | Function.Erf -> Head.Erf
            Term.Call(head, [ ofExpression a ])
