namespace FimVerify.Symbolic

open System

/// An exact number Σ_k r_k π^k (a Laurent polynomial in π with rational coefficients).
/// Every coefficient of the arcsin expansion of the ReLU kernel lives in this ring, so series
/// arithmetic over it stays exact. Terms with zero coefficient are never stored (canonical form).
[<CustomEquality; NoComparison>]
type PiLaurent =
    { Terms: Map<int, Rational> }

    static member private Normalise(m: Map<int, Rational>) = { Terms = m |> Map.filter (fun _ r -> not r.IsZero) }
    static member Zero = { Terms = Map.empty }
    static member One = { Terms = Map.ofList [ 0, Rational.One ] }
    static member OfRational(r: Rational) = PiLaurent.Normalise(Map.ofList [ 0, r ])
    /// r·π^k.
    static member Monomial(r: Rational, k: int) = PiLaurent.Normalise(Map.ofList [ k, r ])
    static member Pi = PiLaurent.Monomial(Rational.One, 1)
    /// Used by generic series code (see PowerSeries) through member constraints.
    static member FromInt(n: int) = PiLaurent.OfRational(Rational.OfInt n)
    static member DivideByInt(a: PiLaurent, n: int) = { Terms = a.Terms |> Map.map (fun _ r -> Rational.DivideByInt(r, n)) }

    member x.IsZero = x.Terms.IsEmpty

    static member (+)(a: PiLaurent, b: PiLaurent) =
        b.Terms
        |> Map.fold (fun (acc: Map<int, Rational>) k r ->
            match acc.TryFind k with
            | Some s -> acc.Add(k, s + r)
            | None -> acc.Add(k, r)) a.Terms
        |> PiLaurent.Normalise

    static member (~-)(a: PiLaurent) = { Terms = a.Terms |> Map.map (fun _ r -> -r) }
    static member (-)(a: PiLaurent, b: PiLaurent) = a + (-b)

    static member (*)(a: PiLaurent, b: PiLaurent) =
        let mutable acc = Map.empty
        for KeyValue(i, r) in a.Terms do
            for KeyValue(j, s) in b.Terms do
                let k = i + j
                acc <- acc.Add(k, (match acc.TryFind k with Some t -> t | None -> Rational.Zero) + r * s)
        PiLaurent.Normalise acc

    /// Division is exact only by a single monomial r·π^k (the only units of the ring).
    static member (/)(a: PiLaurent, b: PiLaurent) =
        match Map.toList b.Terms with
        | [ k, r ] -> { Terms = a.Terms |> Seq.map (fun (KeyValue(i, s)) -> i - k, s / r) |> Map.ofSeq }
        | [] -> raise (DivideByZeroException "division by the exact zero")
        | _ -> invalidOp "division by a non-monomial Laurent polynomial in pi is not exact"

    member x.ToDouble() =
        x.Terms |> Seq.sumBy (fun (KeyValue(k, r)) -> r.ToDouble() * Math.Pow(Math.PI, double k))

    /// True when every coefficient is ≥ 0 (then the value is ≥ 0, since π > 0).
    member x.AllCoefficientsNonNegative = x.Terms |> Map.forall (fun _ r -> r.Sign >= 0)

    override x.Equals(o: obj) =
        match o with
        | :? PiLaurent as y -> x.Terms = y.Terms
        | _ -> false

    override x.GetHashCode() = x.Terms.GetHashCode()

    /// Re-parseable infix, e.g. `1/(4*pi)`, `3*pi/2`, `1/4 + 1/(2*pi)`.
    override x.ToString() =
        let monomial (k: int) (r: Rational) =
            let sign = if r.Sign < 0 then "-" else ""
            let p, q = abs r.Num, r.Den
            let piPow n = if n = 1 then "pi" else $"pi^{n}"
            match k with
            | 0 -> sign + (if q.IsOne then string p else $"{p}/{q}")
            | k when k > 0 ->
                let num = if p.IsOne then piPow k else $"{p}*{piPow k}"
                sign + (if q.IsOne then num else $"{num}/{q}")
            | k ->
                let den = if q.IsOne then piPow -k else $"({q}*{piPow -k})"
                sign + $"{p}/{den}"
        if x.IsZero then "0"
        else
            x.Terms
            |> Seq.sortByDescending (fun (KeyValue(k, _)) -> k)
            |> Seq.map (fun (KeyValue(k, r)) -> monomial k r)
            |> Seq.reduce (fun acc s -> if s.StartsWith "-" then $"{acc} - {s.Substring 1}" else $"{acc} + {s}")

    /// LaTeX, e.g. `\frac{1}{4\pi}`.
    member x.ToLatex() =
        let monomial (k: int) (r: Rational) =
            let sign = if r.Sign < 0 then "-" else ""
            let p, q = abs r.Num, r.Den
            let piPow n = if n = 1 then "\\pi" else $"\\pi^{{{n}}}"
            let num, den =
                match k with
                | 0 -> string p, (if q.IsOne then "" else string q)
                | k when k > 0 -> (if p.IsOne then piPow k else $"{p}{piPow k}"), (if q.IsOne then "" else string q)
                | k -> string p, (if q.IsOne then piPow -k else $"{q}{piPow -k}")
            sign + (if den = "" then num else $"\\frac{{{num}}}{{{den}}}")
        if x.IsZero then "0"
        else
            x.Terms
            |> Seq.sortByDescending (fun (KeyValue(k, _)) -> k)
            |> Seq.map (fun (KeyValue(k, r)) -> monomial k r)
            |> Seq.reduce (fun acc s -> if s.StartsWith "-" then $"{acc} - {s.Substring 1}" else $"{acc} + {s}")
