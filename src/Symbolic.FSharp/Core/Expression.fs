namespace FimVerify.Symbolic

open System.Numerics
open System.Collections.Generic

/// The named real constants.
type Constant =
    | Pi
    | E

/// The elementary functions of one real argument (√ is the power 1/2, not a function).
type Function =
    | Exp
    | Log
    | Sin
    | Cos
    | Arcsin
    | Arccos
    | Arctan
    | Erf

/// A real expression in canonical form. Values are only ever built through the smart constructors in
/// `Expression` (add, mul, pow, apply), which keep these invariants, so structural equality decides
/// equality of expanded polynomials (and, after `RationalFunction.normalForm`, of rational functions):
/// - `Sum`: at least two terms, none a Sum, like terms collected, at most one Number (first), sorted;
/// - `Product`: at least two factors, none a Product, powers of equal bases collected, at most one
///   Number coefficient (first, never 1), sorted by base;
/// - `Power`: exponent never 0 or 1, base never 0 or 1;
/// - numbers are folded wherever the result is rational.
[<CustomEquality; CustomComparison>]
type Expression =
    | Number of Rational
    | Symbol of string
    | Constant of Constant
    | Sum of Expression list
    | Product of Expression list
    | Power of Expression * Expression
    | Apply of Function * Expression

    /// A tag order that puts numbers first, then atoms, then compound forms.
    member private x.Rank =
        match x with
        | Number _ -> 0
        | Symbol _ -> 2
        | Constant _ -> 1
        | Apply _ -> 3
        | Power _ -> 4
        | Product _ -> 5
        | Sum _ -> 6

    /// A total order used for the canonical ordering of terms and factors. Structural, and cheap on
    /// hash-equal prefixes; the exact choice matters only for printing and must be stable.
    static member Compare(a: Expression, b: Expression) : int =
        if obj.ReferenceEquals(a, b) then 0
        else
            match a, b with
            | Number p, Number q -> compare p q
            | Symbol s, Symbol t -> System.String.CompareOrdinal(s, t)
            | Constant c, Constant d -> compare c d
            | Apply(f, x), Apply(g, y) -> let c = compare f g in if c <> 0 then c else Expression.Compare(x, y)
            | Power(b1, e1), Power(b2, e2) -> let c = Expression.Compare(b1, b2) in if c <> 0 then c else Expression.Compare(e1, e2)
            | Product xs, Product ys
            | Sum xs, Sum ys -> Expression.CompareLists(xs, ys)
            | _ -> compare a.Rank b.Rank

    static member private CompareLists(xs: Expression list, ys: Expression list) =
        match xs, ys with
        | [], [] -> 0
        | [], _ -> -1
        | _, [] -> 1
        | x :: xs', y :: ys' -> let c = Expression.Compare(x, y) in if c <> 0 then c else Expression.CompareLists(xs', ys')

    static member private Equal(a: Expression, b: Expression) =
        obj.ReferenceEquals(a, b)
        || match a, b with
           | Number p, Number q -> p = q
           | Symbol s, Symbol t -> s = t
           | Constant c, Constant d -> c = d
           | Apply(f, x), Apply(g, y) -> f = g && Expression.Equal(x, y)
           | Power(b1, e1), Power(b2, e2) -> Expression.Equal(b1, b2) && Expression.Equal(e1, e2)
           | Product xs, Product ys
           | Sum xs, Sum ys -> xs.Length = ys.Length && List.forall2 (fun x y -> Expression.Equal(x, y)) xs ys
           | _ -> false

    override x.Equals(o: obj) =
        match o with
        | :? Expression as y -> Expression.Equal(x, y)
        | _ -> false

    override x.GetHashCode() =
        match x with
        | Number r -> r.GetHashCode()
        | Symbol s -> s.GetHashCode()
        | Constant c -> 7 + int (c.GetHashCode())
        | Apply(f, a) -> System.HashCode.Combine(f, a)
        | Power(b, e) -> System.HashCode.Combine(17, b, e)
        | Product xs -> xs |> List.fold (fun h x -> System.HashCode.Combine(h, x)) 31
        | Sum xs -> xs |> List.fold (fun h x -> System.HashCode.Combine(h, x)) 37

    interface System.IComparable with
        member x.CompareTo(o: obj) =
            match o with
            | :? Expression as y -> Expression.Compare(x, y)
            | _ -> invalidArg "o" "not an Expression"

    interface System.IEquatable<Expression> with
        member x.Equals(y: Expression) = Expression.Equal(x, y)

/// Smart constructors: every Expression value is built here, in canonical form.
[<RequireQualifiedAccess>]
module Expression =
    let zero = Number Rational.Zero
    let one = Number Rational.One
    let minusOne = Number(Rational.ofInt -1)
    let half = Number(Rational.make 1 2)
    let pi = Constant Pi
    let e = Constant E
    let number (r: Rational) = Number r
    let ofInt (n: int) = Number(Rational.ofInt n)
    let rational (p: int) (q: int) = Number(Rational.make p q)
    let symbol (name: string) = Symbol name

    let isNumber = function Number _ -> true | _ -> false

    /// Splits a term into its rational coefficient and the rest (the rest is never a Number).
    let splitCoefficient (t: Expression) : Rational * Expression =
        match t with
        | Number r -> r, Number Rational.One
        | Product(Number c :: [ f ]) -> c, f
        | Product(Number c :: fs) -> c, Product fs
        | t -> Rational.One, t

    /// Splits a factor into base and exponent.
    let private splitPower (f: Expression) =
        match f with
        | Power(b, e) -> b, e
        | f -> f, one

    let private scaleTerm (c: Rational) (rest: Expression) =
        if c = Rational.One then rest
        else
            match rest with
            | Product fs -> Product(Number c :: fs)
            | Number r -> Number(c * r)
            | r -> Product [ Number c; r ]

    let private sortBy (key: Expression -> Expression) (xs: Expression list) =
        xs |> List.sortWith (fun a b -> Expression.Compare(key a, key b))

    /// Exact integer n-th root of a non-negative integer, when there is one.
    let private exactRoot (n: BigInteger) (k: int) : BigInteger option =
        if n.Sign < 0 then None
        elif n.IsZero || n.IsOne then Some n
        else
            // Newton's method from above in integers.
            let bits = int (n.GetBitLength())
            let mutable x = BigInteger.One <<< (bits / k + 1)
            let mutable go = true
            while go do
                let y = ((BigInteger(k - 1)) * x + n / BigInteger.Pow(x, k - 1)) / BigInteger k
                if y >= x then go <- false else x <- y
            if BigInteger.Pow(x, k) = n then Some x else None

    /// The primes below 1000, for trial division of radicands.
    let private smallPrimes =
        let sieve = Array.create 1000 true
        [| for n in 2 .. 999 do
             if sieve[n] then
                 for m in n * n .. n .. 999 do sieve[m] <- false
                 yield BigInteger n |]

    /// Radicands up to this many bits (after trial division) are factored completely when Pollard's ρ manages
    /// in its budget (<see cref="IntegerFactorization.rhoIterations"/>); larger ones keep trial division's result.
    let private maxFactoredBits = 256L

    /// n = outside^k · inside with every prime whose k-th power divides n moved outside: trial division by the
    /// primes below 1000, then the rest factored (Miller–Rabin, Pollard's ρ) when that succeeds in budget, else
    /// inside moved out entirely only when it is itself a perfect k-th power.
    let private splitPerfectPower (n: BigInteger) (k: int) : BigInteger * BigInteger =
        let mutable outside = BigInteger.One
        let mutable inside = n
        let mutable i = 0
        while i < smallPrimes.Length && BigInteger.Pow(smallPrimes[i], k) <= inside do
            let p = smallPrimes[i]
            let pk = BigInteger.Pow(p, k)
            while (inside % pk).IsZero do
                inside <- inside / pk
                outside <- outside * p
            i <- i + 1
        match exactRoot inside k with
        | Some r -> outside * r, BigInteger.One
        | None ->
            let factors =
                if inside.GetBitLength() > maxFactoredBits then None else IntegerFactorization.primeFactors inside
            match factors with
            | None -> outside, inside
            | Some ps ->
                ps |> List.countBy id |> List.fold (fun (o: BigInteger, rest: BigInteger) (p, e) ->
                    o * BigInteger.Pow(p, e / k), rest * BigInteger.Pow(p, e % k)) (outside, BigInteger.One)

    /// The canonical q-th root of a positive integer n: n^(1/q) = outside · inside^(1/root) with root | q,
    /// inside free of q-th powers of primes (of those below 1000 always, of all when it factors in budget) and not a perfect d-th power for any d | root, d > 1
    /// (so 4^(1/6) is 2^(1/3), 12^(1/2) is 2·3^(1/2)). Returns (outside, inside, root); inside = 1 when the root is exact.
    let rec private canonicalRoot (n: BigInteger) (q: int) : BigInteger * BigInteger * int =
        let outside, inside = splitPerfectPower n q
        if inside.IsOne then outside, inside, 1
        else
            // inside = s^d with d | q gives inside^(1/q) = s^(1/(q/d)); take the largest such d.
            let divisor =
                seq { q .. -1 .. 2 } |> Seq.filter (fun d -> q % d = 0) |> Seq.tryPick (fun d -> exactRoot inside d |> Option.map (fun s -> d, s))
            match divisor with
            | Some(d, s) ->
                let o, i, r = canonicalRoot s (q / d)
                outside * o, i, r
            | None -> outside, inside, q

    /// A numeric radical factor: n^e with n a positive integer and e a non-integer rational (negative bases,
    /// which are not real, are left alone).
    let private isNumericRadical (f: Expression) =
        match f with
        | Power(Number n, Number e) -> n.Sign > 0 && n.IsInteger && not e.IsInteger
        | _ -> false

    /// Radicals above this common root index, or whose combined radicand would exceed this many bits, are
    /// left as separate factors rather than combined (a guard against huge radicands, not a mathematical limit).
    let private maxRootIndex = 64
    let private maxRadicandBits = 4096L

    /// Rational exponents whose numerator or denominator exceeds this in magnitude are refused (ArgumentException): b^e would
    /// be a number of millions of digits or a polynomial of that degree, and larger ones overflow the machine integers the
    /// algebra indexes powers with (2^(2^100) crashed with an Int32 overflow).
    let maxExponent = 1_000_000

    let private radicand (f: Expression) =
        match f with
        | Power(Number n, Number e) -> n.Num, e
        | _ -> invalidArg "f" "not a numeric radical"

    /// Π n_i^(p_i/q_i) = c · R^(1/q) with q = lcm q_i, R = Π n_i^(p_i q/q_i), canonicalised; None when the
    /// combined radicand would be too large.
    let private combineRadicals (radicals: Expression list) : (BigInteger * Expression list) option =
        let parts = radicals |> List.map radicand
        // The common index in big integers first: radicals left uncombined may have large indices, whose lcm overflows an int.
        let common = parts |> List.fold (fun acc (_, e) -> acc / BigInteger.GreatestCommonDivisor(acc, e.Den) * e.Den) BigInteger.One
        if common > BigInteger maxRootIndex then None
        else
        let q = int common
        let bits = parts |> List.sumBy (fun (n, e) -> int64 (n.GetBitLength()) * int64 (e.Num * BigInteger q / e.Den))
        if bits > maxRadicandBits then None
        else
            let r = parts |> List.fold (fun acc (n, e) -> acc * BigInteger.Pow(n, int (e.Num * BigInteger q / e.Den))) BigInteger.One
            let outside, inside, root = canonicalRoot r q
            Some(outside, (if inside.IsOne then [] else [ Power(Number(Rational.ofBigInt inside), Number(Rational.make 1 root)) ]))

    /// A positive rational or a real radical of one (so its real powers obey (xy)^e = x^e y^e).
    let private isPositiveNumeric (f: Expression) =
        match f with
        | Number r -> r.Sign > 0
        | Power(Number n, Number _) -> n.Sign > 0
        | _ -> false

    let rec add (terms: Expression list) : Expression =
        let mutable constant = Rational.Zero
        let coefficients = Dictionary<Expression, Rational>(HashIdentity.Structural)
        let order = List<Expression>()
        let rec collect (t: Expression) =
            match t with
            | Sum ts -> List.iter collect ts
            | Number r -> constant <- constant + r
            | t ->
                let c, rest = splitCoefficient t
                match coefficients.TryGetValue rest with
                | true, s -> coefficients[rest] <- s + c
                | _ ->
                    coefficients[rest] <- c
                    order.Add rest
        List.iter collect terms
        let collected =
            [ for rest in order do
                  let c = coefficients[rest]
                  if not c.IsZero then yield scaleTerm c rest ]
            |> sortBy (fun t -> snd (splitCoefficient t))
        let all = if constant.IsZero then collected else Number constant :: collected
        match all with
        | [] -> zero
        | [ t ] -> t
        | ts -> Sum ts

    and mul (factors: Expression list) : Expression =
        let mutable coefficient = Rational.One
        let exponents = Dictionary<Expression, Expression list>(HashIdentity.Structural)
        let order = List<Expression>()
        let mutable expArguments = []
        let rec collect (f: Expression) =
            match f with
            | Product fs -> List.iter collect fs
            | Number r -> coefficient <- coefficient * r
            | Apply(Exp, a) -> expArguments <- a :: expArguments
            | f ->
                let b, e = splitPower f
                match exponents.TryGetValue b with
                | true, es -> exponents[b] <- e :: es
                | _ ->
                    exponents[b] <- [ e ]
                    order.Add b
        List.iter collect factors
        if coefficient.IsZero then zero
        else
            let rebuilt = List<Expression>()
            // A collected power may simplify to a new base (e.g. (√x)² = x); then collect once more.
            let mutable again = false
            let absorb (b: Expression) (p: Expression) =
                let keep f =
                    if Expression.Compare(fst (splitPower f), b) <> 0 then again <- true
                    rebuilt.Add f
                match p with
                | Number r -> coefficient <- coefficient * r
                | Product fs -> for f in fs do (match f with Number r -> coefficient <- coefficient * r | f -> keep f)
                | p -> keep p
            for b in order do
                let es = exponents[b]
                absorb b (match es with [ e ] -> (if e = one then b else Power(b, e)) | es -> pow b (add es))
            if not expArguments.IsEmpty then
                let p = apply Exp (add expArguments)
                match p with
                | Apply(Exp, _) -> rebuilt.Add p
                | p -> absorb (Constant E) p
            // Radicals of rationals combine into one (√2·√3 = √6, √6/√2 = √3), so structural equality decides them.
            if not again && (rebuilt |> Seq.filter isNumericRadical |> Seq.truncate 2 |> Seq.length) = 2 then
                match combineRadicals (rebuilt |> Seq.filter isNumericRadical |> List.ofSeq) with
                | Some(outside, radical) ->
                    rebuilt.RemoveAll(fun f -> isNumericRadical f) |> ignore
                    coefficient <- coefficient * Rational.ofBigInt outside
                    rebuilt.AddRange radical
                | None -> ()
            if again then mul (Number coefficient :: List.ofSeq rebuilt)
            elif coefficient.IsZero then zero
            else
                let sorted = rebuilt |> List.ofSeq |> sortBy (fun f -> fst (splitPower f))
                match (if coefficient = Rational.One then sorted else Number coefficient :: sorted) with
                // A number times a single sum distributes, so that a − a = 0 and 2(x + 1) = 2x + 2.
                | [ Number c; Sum ts ] -> add (ts |> List.map (fun t -> mul [ Number c; t ]))
                | [] -> one
                | [ f ] -> f
                | fs -> Product fs

    and private powNumber (b: Rational) (e: Rational) : Expression =
        if e.IsInteger then
            if b.IsZero && e.Sign < 0 then raise (System.DivideByZeroException "0 raised to a negative power")
            Number(Rational.pow b (int e.Num))
        elif b.Sign < 0 then Power(Number b, Number e)
        else
            // b^(p/q) = b^⌊p/q⌋ · b^f with f = p'/q in (0, 1); with b = n/d, b^f = d^(−1) · (n^p' d^(q−p'))^(1/q),
            // so the radical is one q-th root of an integer (denominators rationalised).
            let whole = BigInteger.Divide(e.Num - (if e.Num.Sign < 0 then e.Den - BigInteger.One else BigInteger.Zero), e.Den)
            let frac = e - Rational.ofBigInt whole
            let wholePart = Number(Rational.pow b (int whole))
            let q = int frac.Den
            let p = int frac.Num
            // Perfect q-th powers come out first (n = on^q·in, d = od^q·id), so the radicand stays small.
            let on, inN = splitPerfectPower b.Num q
            let od, inD = splitPerfectPower b.Den q
            let bits = int64 (inN.GetBitLength()) * int64 p + int64 (inD.GetBitLength()) * int64 (q - p)
            if q > maxRootIndex || bits > maxRadicandBits then mul [ wholePart; Power(Number b, Number frac) ]
            else
                let r = BigInteger.Pow(inN, p) * BigInteger.Pow(inD, q - p)
                let outside, inside, root = canonicalRoot r q
                let rational = Rational.pow (Rational(on, od)) p * Rational(outside, inD)
                let radical = if inside.IsOne then [] else [ Power(Number(Rational.ofBigInt inside), Number(Rational.make 1 root)) ]
                mul (wholePart :: Number rational :: radical)

    and pow (b: Expression) (e: Expression) : Expression =
        match e with
        | Number r when BigInteger.Abs r.Num > BigInteger maxExponent || r.Den > BigInteger maxExponent ->
            raise (System.ArgumentException $"the exponent {r} is too large: exponents are rationals with numerator and denominator at most {maxExponent} in magnitude")
        | _ -> ()
        match b, e with
        | _, Number r when r.IsZero -> one
        | b, Number r when r = Rational.One -> b
        | Number r, _ when r = Rational.One -> one
        | Number r, Number s when r.IsZero ->
            if s.Sign > 0 then zero else raise (System.DivideByZeroException "0 raised to a non-positive power")
        | Number r, Number s -> powNumber r s
        | Power(b', e'), Number n when n.IsInteger -> pow b' (mul [ e'; e ])
        | Product fs, Number n when n.IsInteger -> mul (fs |> List.map (fun f -> pow f e))
        // A positive number's powers multiply for any exponent: (n^f)^e = n^(f·e), (c·n^f)^e = c^e·n^(f·e).
        | Power(Number n, Number f), Number _ when n.Sign > 0 -> pow (Number n) (mul [ Number f; e ])
        | Product fs, Number _ when fs |> List.forall isPositiveNumeric -> mul (fs |> List.map (fun f -> pow f e))
        | Apply(Exp, a), e -> apply Exp (mul [ a; e ])
        | Constant E, e -> apply Exp e
        | b, e -> Power(b, e)

    /// True when the expression is syntactically negative (a negative leading coefficient), so odd and
    /// even functions can move the sign out canonically.
    and isNegative (x: Expression) =
        match x with
        | Number r -> r.Sign < 0
        | Product(Number c :: _) -> c.Sign < 0
        | Sum(Number _ :: t :: _)
        | Sum(t :: _) -> isNegative t
        | _ -> false

    and apply (f: Function) (x: Expression) : Expression =
        let neg x = mul [ minusOne; x ]
        match f, x with
        // Values at exact points.
        | Exp, Number r when r.IsZero -> one
        | Exp, Apply(Log, y) -> y // exp(log y) = y wherever log y is defined
        | Log, Number r when r = Rational.One -> zero
        | Log, Constant E -> one
        | Log, Apply(Exp, y) -> y
        | (Sin | Arcsin | Arctan | Erf), Number r when r.IsZero -> zero
        | Cos, Number r when r.IsZero -> one
        | Arccos, Number r when r.IsZero -> mul [ half; pi ]
        | Arcsin, Number r when r = Rational.One -> mul [ half; pi ]
        | Arccos, Number r when r = Rational.One -> zero
        | Sin, Constant Pi -> zero
        | Cos, Constant Pi -> minusOne
        | Sin, Product [ Number h; Constant Pi ] when h = Rational.make 1 2 -> one
        | Cos, Product [ Number h; Constant Pi ] when h = Rational.make 1 2 -> zero
        // Inverse pairs, valid wherever the inner function is defined.
        | Sin, Apply(Arcsin, t) -> t
        | Cos, Apply(Arccos, t) -> t
        // Parity: odd functions take the sign out, even ones drop it (arccos(−t) = π − arccos t).
        | (Sin | Arcsin | Arctan | Erf), x when isNegative x -> neg (apply f (neg x))
        | Cos, x when isNegative x -> apply Cos (neg x)
        | Arccos, x when isNegative x -> add [ pi; neg (apply Arccos (neg x)) ]
        | f, x -> Apply(f, x)

    let sqrt (x: Expression) = pow x half
    let neg (x: Expression) = mul [ minusOne; x ]
    let sub (a: Expression) (b: Expression) = add [ a; neg b ]
    let div (a: Expression) (b: Expression) = mul [ a; pow b minusOne ]
    let exp x = apply Exp x
    let log x = apply Log x
    let sin x = apply Sin x
    let cos x = apply Cos x
    let arcsin x = apply Arcsin x
    let arccos x = apply Arccos x
    let arctan x = apply Arctan x
    let erf x = apply Erf x

    /// Σ r_k π^k as an expression (κ's coefficients and other Q[π, 1/π] values).
    let ofPiLaurent (p: PiLaurent) : Expression =
        add [ for KeyValue(k, r) in p.Terms -> mul [ Number r; pow pi (ofInt k) ] ]

    /// The immediate children of a node.
    let children (x: Expression) =
        match x with
        | Number _ | Symbol _ | Constant _ -> []
        | Sum ts | Product ts -> ts
        | Power(b, e) -> [ b; e ]
        | Apply(_, a) -> [ a ]

    /// Rebuilds a node from new children through the smart constructors (used by every tree rewrite).
    let rebuild (x: Expression) (kids: Expression list) =
        match x, kids with
        | Sum _, ts -> add ts
        | Product _, fs -> mul fs
        | Power _, [ b; e ] -> pow b e
        | Apply(f, _), [ a ] -> apply f a
        | x, _ -> x

    /// Bottom-up rewrite: children first, then `f` on the rebuilt node.
    let rec transform (f: Expression -> Expression) (x: Expression) : Expression =
        match x with
        | Number _ | Symbol _ | Constant _ -> f x
        | x -> f (rebuild x (children x |> List.map (transform f)))

    /// The free symbols, sorted.
    let symbols (x: Expression) : string list =
        let acc = HashSet<string>()
        let rec go x =
            match x with
            | Symbol s -> acc.Add s |> ignore
            | x -> children x |> List.iter go
        go x
        acc |> Seq.sort |> List.ofSeq

    let rec contains (s: string) (x: Expression) =
        match x with
        | Symbol t -> s = t
        | x -> children x |> List.exists (contains s)

    /// The rational value, when the expression is a Number.
    let tryRational = function Number r -> Some r | _ -> None

    let name (f: Function) =
        match f with
        | Exp -> "exp"
        | Log -> "log"
        | Sin -> "sin"
        | Cos -> "cos"
        | Arcsin -> "arcsin"
        | Arccos -> "arccos"
        | Arctan -> "arctan"
        | Erf -> "erf"

    let functions = [ Exp; Log; Sin; Cos; Arcsin; Arccos; Arctan; Erf ]

/// Operators, so expressions read like mathematics (`x * x + one`) and so the generic series code
/// (PowerSeries) accepts Expression coefficients.
type Expression with
    static member (+)(a: Expression, b: Expression) = Expression.add [ a; b ]
    static member (-)(a: Expression, b: Expression) = Expression.sub a b
    static member (*)(a: Expression, b: Expression) = Expression.mul [ a; b ]
    static member (/)(a: Expression, b: Expression) = Expression.div a b
    static member (~-)(a: Expression) = Expression.neg a
    static member Pow(a: Expression, b: Expression) = Expression.pow a b
    static member Pow(a: Expression, n: int) = Expression.pow a (Expression.ofInt n)
    static member Zero = Expression.zero
    static member One = Expression.one
    static member FromInt(n: int) = Expression.ofInt n
    static member DivideByInt(a: Expression, n: int) = Expression.mul [ a; Expression.rational 1 n ]
