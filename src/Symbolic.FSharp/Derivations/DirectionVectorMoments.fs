namespace FimVerify.Symbolic

/// One direction vector of Theorem 2 / Lemma 2, named by the coordinates of R^d it uses.
type Direction =
    /// v⁽⁰⁾, v⁽⁰⁾_i = n_i/√d.
    | V0
    /// W_a, row a of W.
    | Row of int
    /// v^(a,b) for a < b, v^(a,b)_i = √d W_ai W_bi / n_i.
    | Pair of int * int
    /// v^(a) = (v^(a,a) − v⁽⁰⁾)/√2, v^(a)_i = √(d/2)(W_ai² − n_i²/d)/n_i.
    | Gamma of int

    member x.Coordinates =
        match x with
        | V0 -> []
        | Row a | Gamma a -> [ a ]
        | Pair(a, b) -> [ a; b ]

    override x.ToString() =
        let idx i = string (char (int 'a' + i))
        match x with
        | V0 -> "v0"
        | Row a -> $"W_{idx a}"
        | Pair(a, b) -> $"v({idx a},{idx b})"
        | Gamma a -> $"v({idx a})"

/// Mean and variance of one Gram entry a·b of the direction vectors, as exact functions of d.
/// With z_i = √p W^(i) ~ N(0, I_d) i.i.d. over the p columns, every entry is a·b = (1/p) Σ_i X(z_i) with
/// X(z) = |z|² s_a s_b P_a(u) P_b(u), u = z/|z|, where s_a² is a rational multiple of a power of d and P_a
/// a polynomial on the sphere. Hence E[a·b] = E X and Var[a·b] = Var X / p exactly.
type GramEntryMoments =
    { Left: Direction
      Right: Direction
      /// The number of distinct coordinates the pattern uses: the result holds for every d ≥ this.
      MinimumDimension: int
      /// E X = E[a·b].
      Mean: UnivariateRationalFunction
      /// Var X = p·Var[a·b], the per-column variance.
      Variance: UnivariateRationalFunction }

[<RequireQualifiedAccess>]
module DirectionVectorMoments =
    let private d = UnivariateRationalFunction.x

    /// (s², P) with X's column factor |z|·s·P(u) for the direction.
    let columnFactor (direction: Direction) : UnivariateRationalFunction * SpherePolynomial =
        let u = SpherePolynomial.Coordinate
        match direction with
        | V0 -> UnivariateRationalFunction.One / d, SpherePolynomial.One
        | Row a -> UnivariateRationalFunction.One, u a
        | Pair(a, b) ->
            if a >= b then invalidArg "direction" "v^(a,b) needs a < b"
            d, u a * u b
        | Gamma a -> d / UnivariateRationalFunction.ofInt 2, u a * u a - SpherePolynomial.Constant(UnivariateRationalFunction.One / d)

    /// √(s_a² s_b²) when it lies in Q(d), i.e. when the product is a square rational times an even power of d.
    let private trySquareRoot (f: UnivariateRationalFunction) : UnivariateRationalFunction option =
        let sqrtRational (r: Rational) =
            let root (n: System.Numerics.BigInteger) =
                if n.Sign < 0 then None
                else
                    let s = System.Numerics.BigInteger(System.Math.Sqrt(float n))
                    [ s - System.Numerics.BigInteger.One; s; s + System.Numerics.BigInteger.One ] |> List.tryFind (fun c -> c.Sign >= 0 && c * c = n)
            match root r.Num, root r.Den with
            | Some a, Some b -> Some(Rational(a, b))
            | _ -> None
        let monomialPower (p: UnivariatePolynomial) =
            // p = c·d^k exactly?
            let nonZero = p.Coeffs |> Array.indexed |> Array.filter (fun (_, c) -> not c.IsZero)
            if nonZero.Length = 1 then Some(fst nonZero[0], snd nonZero[0]) else None
        match monomialPower f.Num, monomialPower f.Den with
        | Some(kn, cn), Some(kd, cd) when (kn - kd) % 2 = 0 ->
            sqrtRational (cn / cd) |> Option.map (fun c -> UnivariateRationalFunction.ofRational c * UnivariateRationalFunction.pow d ((kn - kd) / 2))
        | _ -> None

    /// Mean and per-column variance of the Gram entry a·b.
    let gramEntry (a: Direction) (b: Direction) : GramEntryMoments =
        let sa2, pa = columnFactor a
        let sb2, pb = columnFactor b
        let meanOfP = (pa * pb).Expectation
        let radial2 = UnivariateRationalFunction.ofPolynomial (GaussianMoments.radial 1)   // E|z|² = d
        let radial4 = UnivariateRationalFunction.ofPolynomial (GaussianMoments.radial 2)   // E|z|⁴ = d(d+2)
        let mean =
            if meanOfP.IsZero then UnivariateRationalFunction.Zero
            else
                match trySquareRoot (sa2 * sb2) with
                | Some s -> radial2 * s * meanOfP
                | None -> invalidOp $"the mean of {a}·{b} is not in Q(d)"
        let secondMoment = radial4 * sa2 * sb2 * (pa * pa * pb * pb).Expectation
        { Left = a
          Right = b
          MinimumDimension = Set.count (Set.ofList (a.Coordinates @ b.Coordinates))
          Mean = mean
          Variance = secondMoment - mean * mean }

    /// E‖a‖² = E[a·a].
    let expectedSquaredNorm (a: Direction) = (gramEntry a a).Mean

    let private rank (x: Direction) = match x with V0 -> 0 | Row _ -> 1 | Pair _ -> 2 | Gamma _ -> 3

    let rec private permutations (xs: int list) =
        match xs with
        | [] -> [ [] ]
        | _ -> [ for x in xs do for rest in permutations (List.filter ((<>) x) xs) do yield x :: rest ]

    /// The least relabelling of the pattern (over all permutations of its coordinates and, for equal kinds,
    /// both orders), so exchangeable patterns coincide.
    let private canonical (a: Direction, b: Direction) =
        let used = (a.Coordinates @ b.Coordinates) |> List.distinct
        let relabelled (perm: int list) (x: Direction) =
            let r i = perm[List.findIndex ((=) i) used]
            match x with
            | V0 -> V0
            | Row i -> Row(r i)
            | Gamma i -> Gamma(r i)
            | Pair(i, j) -> Pair(min (r i) (r j), max (r i) (r j))
        [ for perm in permutations [ 0 .. used.Length - 1 ] do
              let x, y = relabelled perm a, relabelled perm b
              yield x, y
              if rank x = rank y then yield y, x ]
        |> List.min

    /// Every distinct kind of Gram entry up to relabelling coordinates: 17 kinds, needing d ≥ 1 … 4.
    let patterns : (Direction * Direction) list =
        let all =
            [ yield V0
              for i in 0 .. 3 do yield Row i
              for i in 0 .. 3 do yield Gamma i
              for i in 0 .. 3 do
                  for j in i + 1 .. 3 do yield Pair(i, j) ]
        [ for x in all do
              for y in all do
                  if rank x <= rank y then yield canonical (x, y) ]
        |> List.distinct
        |> List.sortBy (fun (x, y) -> rank x, rank y, Set.count (Set.ofList (x.Coordinates @ y.Coordinates)), string x, string y)

    /// Every Gram-entry kind with its exact mean and per-column variance.
    let allGramEntries () = patterns |> List.map (fun (a, b) -> gramEntry a b)
