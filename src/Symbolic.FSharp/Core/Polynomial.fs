namespace FimVerify.Symbolic

/// A monomial Π x_i^(k_i): variable index → positive exponent.
type Monomial = Map<int, int>

/// A multivariate polynomial over Q in indexed variables, sparse: monomial → non-zero coefficient.
/// The variables are opaque (the RationalFunction module maps expression atoms to indices).
type Polynomial = Map<Monomial, Rational>

/// Arithmetic, exact division and GCD of multivariate polynomials over Q.
[<RequireQualifiedAccess>]
module Polynomial =
    let zero : Polynomial = Map.empty
    let constant (r: Rational) : Polynomial = if r.IsZero then zero else Map.ofList [ Map.empty, r ]
    let one = constant Rational.One
    let variable (i: int) : Polynomial = Map.ofList [ Map.ofList [ i, 1 ], Rational.One ]
    let isZero (p: Polynomial) = p.IsEmpty

    let private addTerm (m: Monomial) (c: Rational) (p: Polynomial) : Polynomial =
        let s = (match p.TryFind m with Some d -> d | None -> Rational.Zero) + c
        if s.IsZero then p.Remove m else p.Add(m, s)

    let add (a: Polynomial) (b: Polynomial) = Map.fold (fun acc m c -> addTerm m c acc) a b
    let scale (c: Rational) (p: Polynomial) : Polynomial = if c.IsZero then zero else p |> Map.map (fun _ d -> c * d)
    let neg (p: Polynomial) = scale (Rational.ofInt -1) p
    let sub a b = add a (neg b)

    let private mulMonomial (a: Monomial) (b: Monomial) : Monomial =
        Map.fold (fun (acc: Monomial) v k -> acc.Add(v, k + (match acc.TryFind v with Some j -> j | None -> 0))) a b

    let mul (a: Polynomial) (b: Polynomial) : Polynomial =
        let mutable acc = zero
        for KeyValue(ma, ca) in a do
            for KeyValue(mb, cb) in b do
                acc <- addTerm (mulMonomial ma mb) (ca * cb) acc
        acc

    /// p^n by repeated squaring: log n products and no recursion (a linear recursion overflowed the stack at n = 10⁶; the
    /// product of exact polynomials does not depend on the order of the factors, so the result is the same).
    let power (p: Polynomial) (n: int) =
        if n < 0 then invalidArg "n" "the exponent must be non-negative"
        let mutable result, square, k = one, p, n
        while k > 0 do
            if k &&& 1 = 1 then result <- mul result square
            k <- k >>> 1
            if k > 0 then square <- mul square square
        result

    let variables (p: Polynomial) : Set<int> = p |> Seq.collect (fun (KeyValue(m, _)) -> m.Keys) |> Set.ofSeq

    let degreeIn (v: int) (p: Polynomial) =
        p |> Seq.map (fun (KeyValue(m, _)) -> match m.TryFind v with Some k -> k | None -> 0) |> Seq.fold max 0

    /// The coefficient of v^k, a polynomial free of v.
    let coefficientIn (v: int) (k: int) (p: Polynomial) : Polynomial =
        p
        |> Seq.choose (fun (KeyValue(m, c)) ->
            let e = match m.TryFind v with Some j -> j | None -> 0
            if e = k then Some(m.Remove v, c) else None)
        |> Map.ofSeq

    /// Lexicographic order with variable 0 most significant.
    let private compareMonomials (a: Monomial) (b: Monomial) =
        let vars = Set.union (Set.ofSeq a.Keys) (Set.ofSeq b.Keys)
        vars
        |> Seq.tryPick (fun v ->
            let ea = match a.TryFind v with Some k -> k | None -> 0
            let eb = match b.TryFind v with Some k -> k | None -> 0
            if ea <> eb then Some(compare ea eb) else None)
        |> Option.defaultValue 0

    /// The lexicographically leading term.
    let leadingTerm (p: Polynomial) : Monomial * Rational =
        p |> Seq.map (fun (KeyValue(m, c)) -> m, c) |> Seq.reduce (fun (m1, c1) (m2, c2) -> if compareMonomials m1 m2 >= 0 then m1, c1 else m2, c2)

    /// a/b when b divides a exactly, by lexicographic division; None otherwise.
    let tryDivide (a: Polynomial) (b: Polynomial) : Polynomial option =
        if isZero b then raise (System.DivideByZeroException "division by the zero polynomial")
        let mb, cb = leadingTerm b
        let rec go (r: Polynomial) (q: Polynomial) =
            if isZero r then Some q
            else
                let mr, cr = leadingTerm r
                if mb |> Map.forall (fun v k -> match mr.TryFind v with Some j -> j >= k | None -> false) then
                    let m = mr |> Map.map (fun v k -> k - (match mb.TryFind v with Some j -> j | None -> 0)) |> Map.filter (fun _ k -> k > 0)
                    let t = Map.ofList [ m, cr / cb ]
                    go (sub r (mul t b)) (add q t)
                else None
        go a zero

    let divideExact a b =
        match tryDivide a b with
        | Some q -> q
        | None -> invalidOp "polynomial division is not exact"

    /// Scales p so its leading coefficient is 1 (the canonical associate over Q).
    let monic (p: Polynomial) = if isZero p then p else scale (Rational.One / snd (leadingTerm p)) p

    /// The pseudo-remainder of a by b as polynomials in v.
    let private pseudoRemainder (v: int) (a: Polynomial) (b: Polynomial) =
        let n = degreeIn v b
        let lb = coefficientIn v n b
        let mutable r = a
        while not (isZero r) && degreeIn v r >= n do
            let m = degreeIn v r
            let lr = coefficientIn v m r
            let shift = if m - n > 0 then Map.ofList [ Map.ofList [ v, m - n ], Rational.One ] else one
            r <- sub (mul lb r) (mul (mul lr shift) b)
        r

    /// GCD over Q, normalised monic; gcd(0, 0) = 0. Recursive: content and primitive part in the first
    /// variable, primitive pseudo-remainder sequences for the primitive parts.
    let rec gcd (a: Polynomial) (b: Polynomial) : Polynomial =
        if isZero a then monic b
        elif isZero b then monic a
        else
            let vars = Set.union (variables a) (variables b)
            if vars.IsEmpty then one
            else
                let v = vars.MinimumElement
                if degreeIn v a = 0 then gcd a (content v b)
                elif degreeIn v b = 0 then gcd (content v a) b
                else
                    let ca, cb = content v a, content v b
                    let mutable p = primitivePart v a
                    let mutable q = primitivePart v b
                    while not (isZero q) do
                        let r = pseudoRemainder v p q
                        p <- q
                        q <- if isZero r then r else primitivePart v r
                    monic (mul (gcd ca cb) p)

    /// The GCD of the coefficients of p as a polynomial in v.
    and content (v: int) (p: Polynomial) : Polynomial =
        [ 0 .. degreeIn v p ] |> List.map (fun k -> coefficientIn v k p) |> List.fold gcd zero

    and primitivePart (v: int) (p: Polynomial) : Polynomial =
        if isZero p then p else divideExact p (content v p)
