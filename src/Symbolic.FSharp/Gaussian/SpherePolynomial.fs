namespace FimVerify.Symbolic

/// A polynomial in the coordinates u_0, u_1, … of a uniform point on S^(d−1), with coefficients in Q(d).
/// Coordinates with different indices are different coordinates; a monomial maps index → exponent.
/// Zero coefficients are never stored, so structural equality is polynomial equality.
[<CustomEquality; NoComparison>]
type SpherePolynomial =
    { Terms: Map<Map<int, int>, UnivariateRationalFunction> }

    static member private Normalise(m: Map<Map<int, int>, UnivariateRationalFunction>) = { Terms = m |> Map.filter (fun _ c -> not c.IsZero) }
    static member Constant(c: UnivariateRationalFunction) = SpherePolynomial.Normalise(Map.ofList [ Map.empty, c ])
    static member Zero = { Terms = Map.empty }
    static member One = SpherePolynomial.Constant UnivariateRationalFunction.One
    /// The coordinate u_i.
    static member Coordinate(i: int) = { Terms = Map.ofList [ Map.ofList [ i, 1 ], UnivariateRationalFunction.One ] }

    static member (+)(a: SpherePolynomial, b: SpherePolynomial) =
        b.Terms
        |> Map.fold (fun (acc: Map<_, UnivariateRationalFunction>) m c ->
            acc.Add(m, (match acc.TryFind m with Some e -> e + c | None -> c))) a.Terms
        |> SpherePolynomial.Normalise

    static member (~-)(a: SpherePolynomial) = { Terms = a.Terms |> Map.map (fun _ c -> -c) }
    static member (-)(a: SpherePolynomial, b: SpherePolynomial) = a + (-b)

    static member (*)(a: SpherePolynomial, b: SpherePolynomial) =
        let mutable acc = Map.empty
        for KeyValue(m1, c1) in a.Terms do
            for KeyValue(m2, c2) in b.Terms do
                let m = m2 |> Map.fold (fun (m: Map<int, int>) i k -> m.Add(i, (match m.TryFind i with Some e -> e + k | None -> k))) m1
                acc <- acc.Add(m, (match acc.TryFind m with Some e -> e + c1 * c2 | None -> c1 * c2))
        SpherePolynomial.Normalise acc

    static member Scale(c: UnivariateRationalFunction, a: SpherePolynomial) = SpherePolynomial.Normalise(a.Terms |> Map.map (fun _ e -> c * e))

    /// The coordinate indices that occur.
    member a.Coordinates = a.Terms |> Map.toSeq |> Seq.collect (fun (m, _) -> m |> Map.keys) |> Set.ofSeq

    /// E over u uniform on S^(d−1), exact in d; valid for every d ≥ the number of distinct coordinates.
    member a.Expectation =
        a.Terms |> Map.fold (fun acc m c -> acc + c * GaussianMoments.sphere (Map.values m)) UnivariateRationalFunction.Zero

    override a.Equals(o: obj) =
        match o with
        | :? SpherePolynomial as b -> a.Terms = b.Terms
        | _ -> false
    override a.GetHashCode() = a.Terms.Count
