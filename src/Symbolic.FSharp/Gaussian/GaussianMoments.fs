namespace FimVerify.Symbolic

open System.Numerics

/// Exact moments of z ~ N(0, I_d) and of u = z/|z|, uniform on S^(d−1), with the dimension d symbolic:
/// results are polynomials / rational functions of d (the variable of UnivariatePolynomial and UnivariateRationalFunction).
/// Exponents are given for distinct named coordinates, so every result holds for each d ≥ their number.
[<RequireQualifiedAccess>]
module GaussianMoments =
    /// E z^k for one standard normal coordinate: (k−1)!! for even k, 0 for odd k
    /// (from E z^(k+2) = (k+1) E z^k, integration by parts against the density).
    let scalar (k: int) : BigInteger =
        if k < 0 then invalidArg "k" "negative exponent"
        elif k % 2 = 1 then BigInteger.Zero
        else
            let mutable acc = BigInteger.One
            for j in 1 .. 2 .. k - 1 do acc <- acc * BigInteger j
            acc

    /// E[Π z_i^(k_i)] over distinct coordinates: the product of scalar moments (independent coordinates).
    let monomial (exponents: int seq) : Rational =
        exponents |> Seq.fold (fun acc k -> acc * Rational.ofBigInt (scalar k)) Rational.One

    /// d(d+2)…(d+2m−2) shifted to start at d + 2·start: Π_{j=start}^{start+m−1} (d + 2j).
    let private risingByTwo (start: int) (m: int) =
        Seq.init m (fun j -> UnivariatePolynomial.linear 1 (2 * (start + j))) |> Seq.fold (*) UnivariatePolynomial.One

    /// E|z|^(2m) = d(d+2)…(d+2m−2): |z|² is chi-square with d degrees of freedom.
    let radial (m: int) : UnivariatePolynomial =
        if m < 0 then invalidArg "m" "negative power" else risingByTwo 0 m

    /// E[Π u_i^(k_i)] for u uniform on S^(d−1). Since z = |z|·u with |z| independent of u,
    /// E[Π z^k] = E|z|^K · E[Π u^k] with K = Σ k, so E[Π u^k] = Π (k_i−1)!! / (d(d+2)…(d+K−2)).
    let sphere (exponents: int seq) : UnivariateRationalFunction =
        let ks = List.ofSeq exponents
        let total = List.sum ks
        if ks |> List.exists (fun k -> k % 2 = 1) then UnivariateRationalFunction.Zero
        else UnivariateRationalFunction.Make(UnivariatePolynomial.constant (monomial ks), radial (total / 2))

    /// E[|z|^(2m) Π z_i^(k_i)] = E|z|^(2m+K) E[Π u^k] = Π (k_i−1)!! · (d+K)(d+K+2)…(d+K+2m−2).
    let withRadius (m: int) (exponents: int seq) : UnivariatePolynomial =
        let ks = List.ofSeq exponents
        if ks |> List.exists (fun k -> k % 2 = 1) then UnivariatePolynomial.Zero
        else UnivariatePolynomial.Scale(monomial ks, risingByTwo (List.sum ks / 2) m)
