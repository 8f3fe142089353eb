namespace FimVerify.Symbolic

/// A trigonometric polynomial Σ_k a_k cos(kφ) + b_k sin(kφ) (k ≥ 0) with symbolic coefficients.
type TrigPolynomial =
    { Terms: Map<int, Expression * Expression> }

    static member Zero = { Terms = Map.empty }
    static member Cos = { Terms = Map.ofList [ 1, (Expression.one, Expression.zero) ] }
    static member Sin = { Terms = Map.ofList [ 1, (Expression.zero, Expression.one) ] }

    static member private Add(m: Map<int, Expression * Expression>, k: int, a: Expression, b: Expression) =
        // cos(−kφ) = cos kφ, sin(−kφ) = −sin kφ: keep k ≥ 0.
        let k, b = if k < 0 then -k, Expression.neg b else k, b
        let b = if k = 0 then Expression.zero else b
        let a0, b0 = m |> Map.tryFind k |> Option.defaultValue (Expression.zero, Expression.zero)
        m.Add(k, (Expand.expand (a0 + a), Expand.expand (b0 + b)))

    static member (+)(x: TrigPolynomial, y: TrigPolynomial) =
        { Terms = y.Terms |> Map.fold (fun acc k (a, b) -> TrigPolynomial.Add(acc, k, a, b)) x.Terms }

    static member Scale(c: Expression, x: TrigPolynomial) =
        { Terms = x.Terms |> Map.map (fun _ (a, b) -> Expand.expand (c * a), Expand.expand (c * b)) }

    /// Product by the product-to-sum formulas.
    static member (*)(x: TrigPolynomial, y: TrigPolynomial) =
        let half = Expression.half
        let mutable acc = Map.empty
        for KeyValue(j, (a1, b1)) in x.Terms do
            for KeyValue(k, (a2, b2)) in y.Terms do
                // cos j cos k = [cos(j−k) + cos(j+k)]/2, sin j sin k = [cos(j−k) − cos(j+k)]/2,
                // cos j sin k = [sin(j+k) − sin(j−k)]/2, sin j cos k = [sin(j+k) + sin(j−k)]/2.
                let aa, bb, ab, ba = a1 * a2 * half, b1 * b2 * half, a1 * b2 * half, b1 * a2 * half
                acc <- TrigPolynomial.Add(acc, j - k, aa + bb, ba - ab)
                acc <- TrigPolynomial.Add(acc, j + k, aa - bb, ab + ba)
        { Terms = acc |> Map.filter (fun _ (a, b) -> a <> Expression.zero || b <> Expression.zero) }

/// An angle m·θ + q·π with integer m and q a multiple of 1/2 (the arc ends of Theorem 1).
type ArcEnd =
    { ThetaMultiple: int
      PiMultiple: Rational }
    member x.ToExpression(theta: Expression) =
        Expression.ofInt x.ThetaMultiple * theta + Expression.number x.PiMultiple * Expression.pi

/// Tian's Theorem 1 derived in the plane of e and w, and its consequences (Lemma 1, the ReLU Gaussian
/// integrals of MATH.md §2). Everything is in the symbols `theta` (0 < θ < π), `nw` = ‖w‖, with c = cos θ
/// and s = sin θ written as the symbols `c`, `s` and reduced with s² = 1 − c².
type TianDerivation =
    { /// E r² for x ∈ R² standard normal (from the radial moment with d = 2).
      RadialSecondMoment: Rational
      /// The e- and e⊥-components of x (x·w)/(r² nw) as trigonometric polynomials in φ.
      Integrand: TrigPolynomial * TrigPolynomial
      ArcLower: ArcEnd
      ArcUpper: ArcEnd
      ArcLength: Expression
      /// E[F(e, w)] in the basis (e, e⊥), derived.
      Result: Expression * Expression
      /// (1/2π)[(π − θ) w + ‖w‖ sin θ e] in the same basis.
      Stated: Expression * Expression
      Holds: bool
      /// Lemma 1: J_ij = n_i e·E[F] with nw = n_j, in θ, and its diagonal value at θ = 0.
      Lemma1: Expression
      Lemma1Holds: bool
      Diagonal: Expression
      /// ReLU mean-field integrals from the same arc: I_φ'[a, b] = (π − θ)/(2π) with θ = arccos(b/a), and
      /// ∫Dz φ'(√q z)² = 1/2 (θ = 0).
      ReluDerivativeKernel: Expression
      ReluDerivativeSquare: Expression
      /// I_φ[a, b] for ReLU: Lemma 1 with n_i = n_j = √a and θ = arccos c, c = b/a (so s = √(1 − c²)).
      ReluKernel: Expression
      /// ∫Dz φ(√q z)² = the diagonal with n_i² = q.
      ReluSquare: Expression }

[<RequireQualifiedAccess>]
module TianTheorem1 =
    let theta = Expression.symbol "theta"
    let nw = Expression.symbol "nw"
    let c = Expression.symbol "c"
    let s = Expression.symbol "s"
    let private two = Expression.ofInt 2

    /// cos(jθ), sin(jθ) as polynomials in c, s (Chebyshev recurrences).
    let rec private cosSinMultiple (j: int) : Expression * Expression =
        if j < 0 then let co, si = cosSinMultiple -j in co, Expression.neg si
        elif j = 0 then Expression.one, Expression.zero
        else
            let co, si = cosSinMultiple (j - 1)
            Expand.expand (co * c - si * s), Expand.expand (si * c + co * s)

    /// cos and sin of k·(mθ + qπ), exactly, as polynomials in c, s.
    let private cosSinAt (k: int) (x: ArcEnd) : Expression * Expression =
        let n = Rational.ofInt (2 * k) * x.PiMultiple
        if not n.IsInteger then invalidArg "x" "the π part of an arc end must be a multiple of π/2"
        let quarter = ((int n.Num % 4) + 4) % 4
        let cq, sq = [| 1, 0; 0, 1; -1, 0; 0, -1 |][quarter]
        let ct, st = cosSinMultiple (k * x.ThetaMultiple)
        let cq, sq = Expression.ofInt cq, Expression.ofInt sq
        Expand.expand (ct * cq - st * sq), Expand.expand (st * cq + ct * sq)

    /// ∫_lower^upper p(φ) dφ, exactly: a_k sin(kφ)/k − b_k cos(kφ)/k, and a_0 φ.
    let integrate (p: TrigPolynomial) (lower: ArcEnd) (upper: ArcEnd) : Expression =
        let at (x: ArcEnd) =
            p.Terms
            |> Map.toList
            |> List.map (fun (k, (a, b)) ->
                if k = 0 then a * x.ToExpression theta
                else
                    let co, si = cosSinAt k x
                    (a * si - b * co) / Expression.ofInt k)
            |> Expression.add
        Expand.expand (at upper - at lower)

    /// Reduces with s² = 1 − c²: every power s^n (n ≥ 2) becomes s^(n mod 2) (1 − c²)^(n div 2), then expands.
    /// On polynomials in c and s this is a canonical form (at most linear in s).
    let reduce (x: Expression) =
        Expand.expand x
        |> Expression.transform (function
            | Power(Symbol "s", Number n) when n.IsInteger && n.Sign > 0 && n.Num >= System.Numerics.BigInteger 2 ->
                let k = int n.Num
                Expression.pow s (Expression.ofInt (k % 2)) * Expression.pow (Expression.one - c * c) (Expression.ofInt (k / 2))
            | y -> y)
        |> Expand.expand

    let derive () : TianDerivation =
        // Plane of e and w: e = (1, 0), w = nw (c, s), x = r (cos φ, sin φ); x·w = r nw (c cos φ + s sin φ).
        let xw = TrigPolynomial.Scale(c, TrigPolynomial.Cos) + TrigPolynomial.Scale(s, TrigPolynomial.Sin)
        let alongE = TrigPolynomial.Cos * xw
        let across = TrigPolynomial.Sin * xw
        // 1{x·e > 0}: φ ∈ (−π/2, π/2); 1{x·w > 0}: φ ∈ (θ − π/2, θ + π/2). For 0 < θ < π the intersection is
        // (θ − π/2, π/2): the lower ends differ by θ > 0 and the upper ends by θ > 0.
        let lower = { ThetaMultiple = 1; PiMultiple = Rational.make -1 2 }
        let upper = { ThetaMultiple = 0; PiMultiple = Rational.make 1 2 }
        let length = Expand.expand (upper.ToExpression theta - lower.ToExpression theta)
        let radial = (GaussianMoments.radial 1).Evaluate(Rational.ofInt 2)   // E r² = d at d = 2
        // E[F] = E r² · nw · (1/2π) ∫_arc (cos φ, sin φ)(c cos φ + s sin φ) dφ.
        let factor = Expression.number radial * nw / (two * Expression.pi)
        let result = reduce (factor * integrate alongE lower upper), reduce (factor * integrate across lower upper)
        // Stated: (1/2π)[(π − θ) w + ‖w‖ sin θ e] = (1/2π)[(π − θ) nw (c, s) + nw s (1, 0)].
        let stated =
            reduce ((Expression.pi - theta) * nw * c / (two * Expression.pi) + nw * s / (two * Expression.pi)),
            reduce ((Expression.pi - theta) * nw * s / (two * Expression.pi))
        let holds = fst result = fst stated && snd result = snd stated
        // Lemma 1: J_ij = E[(x·W^(i))⁺ (x·W^(j))⁺] = n_i e·E[F(e, W^(j))], with nw = n_j.
        let ni, nj = Expression.symbol "ni", Expression.symbol "nj"
        let lemma1 = Substitute.one "nw" nj (fst result) * ni |> reduce
        let lemma1Stated = reduce (((Expression.pi - theta) * c + s) * ni * nj / (two * Expression.pi))
        // Diagonal: θ = 0 (c = 1, s = 0, w = n_i e).
        let diagonal = lemma1 |> Substitute.many (Map.ofList [ "theta", Expression.zero; "c", Expression.one; "s", Expression.zero; "nj", ni ]) |> Expand.expand
        // The derivative kernel: E[1{x·e>0}1{x·w>0}] = (arc length)/(2π) (the indicator is radial-free).
        let derivativeKernel = Expand.expand (length / (two * Expression.pi))
        let derivativeSquare = Substitute.one "theta" Expression.zero derivativeKernel
        { RadialSecondMoment = radial
          Integrand = alongE, across
          ArcLower = lower
          ArcUpper = upper
          ArcLength = length
          Result = result
          Stated = stated
          Holds = holds
          Lemma1 = lemma1
          Lemma1Holds = (lemma1 = lemma1Stated)
          Diagonal = diagonal
          ReluDerivativeKernel = derivativeKernel
          ReluDerivativeSquare = derivativeSquare
          ReluKernel =
            lemma1
            |> Substitute.many (Map.ofList [ "ni", Expression.sqrt (Expression.symbol "a"); "nj", Expression.sqrt (Expression.symbol "a")
                                             "theta", Expression.arccos (Expression.symbol "c")
                                             "s", Expression.sqrt (Expression.one - Expression.pow (Expression.symbol "c") two) ])
            |> Expand.expand
          ReluSquare = diagonal |> Substitute.one "ni" (Expression.sqrt (Expression.symbol "q")) |> Expand.expand }
