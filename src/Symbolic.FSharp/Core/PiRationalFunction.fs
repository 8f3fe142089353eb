namespace FimVerify.Symbolic

/// Σ_k r_k(d) π^k with r_k ∈ Q(d): the exact coefficients of Theorem 2, which mix the symbolic dimension d
/// and powers of π. Zero coefficients are never stored, so structural equality is equality.
[<CustomEquality; NoComparison>]
type PiRationalFunction =
    { Terms: Map<int, UnivariateRationalFunction> }

    static member private Normalise(m: Map<int, UnivariateRationalFunction>) = { Terms = m |> Map.filter (fun _ r -> not r.IsZero) }
    static member Zero = { Terms = Map.empty }
    static member OfRationalFunction(r: UnivariateRationalFunction) = PiRationalFunction.Normalise(Map.ofList [ 0, r ])
    static member OfPiLaurent(x: PiLaurent) =
        PiRationalFunction.Normalise(x.Terms |> Map.map (fun _ r -> UnivariateRationalFunction.ofRational r))

    member x.IsZero = x.Terms.IsEmpty

    static member (+)(a: PiRationalFunction, b: PiRationalFunction) =
        b.Terms
        |> Map.fold (fun (acc: Map<int, UnivariateRationalFunction>) k r ->
            acc.Add(k, (match acc.TryFind k with Some s -> s + r | None -> r))) a.Terms
        |> PiRationalFunction.Normalise

    static member (*)(a: PiRationalFunction, b: PiRationalFunction) =
        let mutable acc = PiRationalFunction.Zero
        for KeyValue(i, r) in a.Terms do
            for KeyValue(j, s) in b.Terms do
                acc <- acc + PiRationalFunction.Normalise(Map.ofList [ i + j, r * s ])
        acc

    static member Scale(c: UnivariateRationalFunction, a: PiRationalFunction) =
        PiRationalFunction.Normalise(a.Terms |> Map.map (fun _ r -> c * r))

    /// The value at an integer dimension d, back in Q[π, 1/π].
    member x.AtDimension(d: int) =
        x.Terms |> Map.fold (fun (acc: PiLaurent) k r -> acc + PiLaurent.Monomial(r.Evaluate(Rational.ofInt d), k)) PiLaurent.Zero

    /// Infix in d and pi, e.g. `(2*d + 1)/(4*pi)`.
    member x.Format(variable: string) =
        if x.IsZero then "0"
        else
            x.Terms
            |> Seq.sortByDescending (fun (KeyValue(k, _)) -> k)
            |> Seq.map (fun (KeyValue(k, r)) ->
                let body = r.Format variable
                match k with
                | 0 -> body
                | k ->
                    let piPow = if abs k = 1 then "pi" else $"pi^{abs k}"
                    if k > 0 then $"({body})*{piPow}"
                    else
                        // Put π into the denominator: a/(b) → a/(b*pi).
                        match body.LastIndexOf '/' with
                        | -1 -> $"{body}/{piPow}"
                        | i ->
                            let num, den = body.Substring(0, i), body.Substring(i + 1)
                            let den = if den.StartsWith "(" && den.EndsWith ")" && not (den.Contains " ") then den.[1 .. den.Length - 2] else den
                            $"{num}/({den}*{piPow})")
            |> String.concat " + "

    /// LaTeX, e.g. `\frac{2 d + 1}{4\pi}`.
    member x.ToLatex(variable: string) =
        if x.IsZero then "0"
        else
            x.Terms
            |> Seq.sortByDescending (fun (KeyValue(k, _)) -> k)
            |> Seq.map (fun (KeyValue(k, r)) ->
                let piPow = if abs k = 1 then "\\pi" else $"\\pi^{{{abs k}}}"
                let num, den = r.IntegerForm
                let poly (p: UnivariatePolynomial) = (UnivariateRationalFunction.OfPolynomial p).ToLatex variable
                let wrapped (p: UnivariatePolynomial) = if p.Coeffs |> Array.filter (fun c -> not c.IsZero) |> Array.length > 1 then $"({poly p})" else poly p
                match k with
                | 0 -> r.ToLatex variable
                | k when k > 0 -> if den = UnivariatePolynomial.One then $"{wrapped num}{piPow}" else $"\\frac{{{poly num}}}{{{poly den}}}{piPow}"
                | _ ->
                    let d = if den = UnivariatePolynomial.One then piPow else $"{wrapped den}{piPow}"
                    $"\\frac{{{poly num}}}{{{d}}}")
            |> String.concat " + "

    override x.ToString() = x.Format "d"
    override x.Equals(o: obj) =
        match o with
        | :? PiRationalFunction as y -> x.Terms = y.Terms
        | _ -> false
    override x.GetHashCode() = x.Terms.Count
