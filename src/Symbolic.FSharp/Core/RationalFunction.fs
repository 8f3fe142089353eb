namespace FimVerify.Symbolic

open System.Collections.Generic

/// The rational-function normal form: x = p/q with p, q polynomials over Q in the atoms of x (symbols,
/// constants, function applications, non-integer powers), gcd(p, q) = 1 and q monic in lexicographic order
/// of the atoms sorted canonically. Two rational expressions are equal exactly when their normal forms are
/// structurally equal (the atoms are treated as independent indeterminates; their arguments are normalised too).
[<RequireQualifiedAccess>]
module RationalFunction =
    module X = Expression
    module P = Polynomial

    /// Normalises the insides of atoms, leaving the rational skeleton.
    let rec private prepare (normal: Expression -> Expression) (x: Expression) : Expression =
        match x with
        | Sum ts -> X.add (ts |> List.map (prepare normal))
        | Product fs -> X.mul (fs |> List.map (prepare normal))
        | Power(b, Number n) when n.IsInteger -> X.pow (prepare normal b) (Number n)
        | Power(b, e) -> X.pow (normal b) (normal e)
        | Apply(f, a) -> X.apply f (normal a)
        | atom -> atom

    let rec private atomsOf (x: Expression) : Expression seq =
        match x with
        | Number _ -> Seq.empty
        | Sum ts | Product ts -> ts |> Seq.collect atomsOf
        | Power(b, Number n) when n.IsInteger -> atomsOf b
        | atom -> Seq.singleton atom

    let private lowestTerms (n: Polynomial, d: Polynomial) =
        // A constant denominator shares no factor with the numerator: only the scaling to a monic denominator is left. (The GCD
        // would compute the numerator's content in its first variable, O(terms × degree) for each of a long sum's partial sums.)
        if Seq.forall (fun (m: Monomial) -> m.IsEmpty) d.Keys then P.scale (Rational.One / snd (P.leadingTerm d)) n, P.one
        else
            let g = P.gcd n d
            let n, d = P.divideExact n g, P.divideExact d g
            let lead = snd (P.leadingTerm d)
            P.scale (Rational.One / lead) n, P.scale (Rational.One / lead) d

    let rec private toRatio (index: Dictionary<Expression, int>) (x: Expression) : Polynomial * Polynomial =
        match x with
        | Number r -> P.constant r, P.one
        | Sum ts ->
            ts |> List.map (toRatio index) |> List.reduce (fun (a, b) (c, d) -> lowestTerms (P.add (P.mul a d) (P.mul c b), P.mul b d))
        | Product fs ->
            fs |> List.map (toRatio index) |> List.reduce (fun (a, b) (c, d) -> lowestTerms (P.mul a c, P.mul b d))
        | Power(b, Number n) when n.IsInteger ->
            let p, q = toRatio index b
            let k = int n.Num
            if k >= 0 then P.power p k, P.power q k
            elif P.isZero p then raise (System.DivideByZeroException "a negative power of zero")
            else lowestTerms (P.power q -k, P.power p -k)
        | atom -> P.variable index[atom], P.one

    let private toExpression (atoms: Expression[]) (p: Polynomial) : Expression =
        X.add [ for KeyValue(m, c) in p -> X.mul (Number c :: [ for KeyValue(v, k) in m -> X.pow atoms[v] (X.ofInt k) ]) ]

    /// Numerator and denominator of the normal form, as expanded expressions (denominator monic).
    let rec numeratorDenominator (x: Expression) : Expression * Expression =
        let prepared = prepare normalForm x
        let atoms = atomsOf prepared |> Seq.distinct |> Seq.sortWith (fun a b -> Expression.Compare(a, b)) |> Array.ofSeq
        let index = Dictionary<Expression, int>(HashIdentity.Structural)
        atoms |> Array.iteri (fun i a -> index[a] <- i)
        let n, d = toRatio index prepared
        toExpression atoms n, toExpression atoms d

    /// p/q in lowest terms: the canonical form of a rational expression.
    and normalForm (x: Expression) : Expression =
        let n, d = numeratorDenominator x
        X.div n d

    /// One fraction over a common denominator, cancelled (synonym of normalForm, under its usual CAS name).
    let together x = normalForm x
    /// Cancels common polynomial factors (synonym of normalForm).
    let cancel x = normalForm x

    /// Decides a = b for rational expressions in their atoms, trying the cheaper expansion first: when a − b expands
    /// to 0 (polynomials, Laurent polynomials, whose denominators are monomials) no polynomial GCD is needed; otherwise
    /// the normal form decides.
    let areEqual (a: Expression) (b: Expression) =
        let difference = X.sub a b
        Expand.expand difference = X.zero || normalForm difference = X.zero

    /// `normalForm` for Laurent polynomials in symbols (every negative power an integer power of a symbol), without a
    /// polynomial GCD: expand, then put the terms over the least common monomial denominator. That is the normal form
    /// (each denominator symbol has exponent 0 in some numerator term, so nothing cancels, and the denominator is monic);
    /// any other expression goes to `normalForm`.
    let normalFormExpandingFirst (x: Expression) : Expression =
        let expanded = Expand.expand x
        let terms = match expanded with Sum ts -> ts | t -> [ t ]
        let factors (t: Expression) = match t with Product fs -> fs | f -> [ f ]
        let negativePowers =
            terms |> List.collect (factors >> List.choose (function
                | Power(b, Number n) when n.Sign < 0 -> Some(b, n)
                | _ -> None))
        let laurent = negativePowers |> List.forall (fun (b, n) -> n.IsInteger && (match b with Symbol _ -> true | _ -> false))
        if not laurent then normalForm x
        elif negativePowers.IsEmpty then expanded
        else
            let denominator =
                negativePowers |> List.groupBy fst |> List.map (fun (b, ps) -> X.pow b (Number(-(ps |> List.map snd |> List.min)))) |> X.mul
            X.div (Expand.expand (X.mul [ expanded; denominator ])) denominator
