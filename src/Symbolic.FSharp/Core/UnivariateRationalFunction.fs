namespace FimVerify.Symbolic

open System

/// A univariate rational function N(x)/D(x) over Q in canonical form: gcd(N, D) = 1 and D monic
/// (zero is 0/1), so structural equality is equality of functions. Exact backend for quantities that
/// depend on a symbolic dimension d or a symbolic index n.
[<CustomEquality; NoComparison>]
type UnivariateRationalFunction =
    { Num: UnivariatePolynomial
      Den: UnivariatePolynomial }

    static member Make(n: UnivariatePolynomial, d: UnivariatePolynomial) =
        if d.IsZero then raise (DivideByZeroException "rational function with zero denominator")
        if n.IsZero then { Num = UnivariatePolynomial.Zero; Den = UnivariatePolynomial.One }
        else
            let g = UnivariatePolynomial.Gcd(n, d)
            let n, _ = UnivariatePolynomial.DivRem(n, g)
            let d, _ = UnivariatePolynomial.DivRem(d, g)
            let lead = d.Leading
            { Num = UnivariatePolynomial.Scale(Rational.One / lead, n); Den = UnivariatePolynomial.Scale(Rational.One / lead, d) }

    static member OfPolynomial(p: UnivariatePolynomial) = { Num = p; Den = UnivariatePolynomial.One }
    static member OfRational(r: Rational) = UnivariateRationalFunction.OfPolynomial(UnivariatePolynomial.Constant r)
    static member OfInt(n: int) = UnivariateRationalFunction.OfRational(Rational.OfInt n)
    static member Zero = UnivariateRationalFunction.OfInt 0
    static member One = UnivariateRationalFunction.OfInt 1
    static member X = UnivariateRationalFunction.OfPolynomial UnivariatePolynomial.X
    /// Used by generic code through member constraints.
    static member FromInt(n: int) = UnivariateRationalFunction.OfInt n

    member f.IsZero = f.Num.IsZero

    static member (+)(a: UnivariateRationalFunction, b: UnivariateRationalFunction) =
        if a.Den = b.Den then UnivariateRationalFunction.Make(a.Num + b.Num, a.Den)
        else UnivariateRationalFunction.Make(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den)
    static member (~-)(a: UnivariateRationalFunction) = { Num = -a.Num; Den = a.Den }
    static member (-)(a: UnivariateRationalFunction, b: UnivariateRationalFunction) = a + (-b)
    static member (*)(a: UnivariateRationalFunction, b: UnivariateRationalFunction) = UnivariateRationalFunction.Make(a.Num * b.Num, a.Den * b.Den)
    static member (/)(a: UnivariateRationalFunction, b: UnivariateRationalFunction) =
        if b.IsZero then raise (DivideByZeroException "division by the zero rational function")
        UnivariateRationalFunction.Make(a.Num * b.Den, a.Den * b.Num)
    static member Pow(a: UnivariateRationalFunction, k: int) =
        let mutable acc = UnivariateRationalFunction.One
        for _ in 1 .. abs k do acc <- acc * a
        if k < 0 then UnivariateRationalFunction.One / acc else acc

    /// Value at a rational point; fails on a pole.
    member f.Evaluate(x: Rational) =
        let den = f.Den.Evaluate x
        if den.IsZero then raise (DivideByZeroException $"the rational function has a pole at {x}")
        f.Num.Evaluate x / den

    /// f(x + s).
    member f.Shift(s: Rational) = UnivariateRationalFunction.Make(f.Num.Shift s, f.Den.Shift s)

    /// The rational number this function is, if it is constant.
    member f.TryConstant = if f.Num.Degree <= 0 && f.Den.Degree = 0 then Some(f.Num.Evaluate Rational.Zero) else None

    /// Re-parseable infix with integer coefficients, e.g. `(d - 1)/(d + 2)`, `1/(2*n + 2)`.
    /// (N, D) scaled to integer coefficients with no common integer content; D = 1 for polynomials
    /// with integer coefficients. The value N/D is f.
    member f.IntegerForm =
        if f.IsZero then UnivariatePolynomial.Zero, UnivariatePolynomial.One
        else
            // Clear denominators, then divide out the common integer content, for the smallest integer form.
            let all = Array.append f.Num.Coeffs f.Den.Coeffs |> Array.filter (fun c -> not c.IsZero)
            let lcm = all |> Array.fold (fun (acc: System.Numerics.BigInteger) c -> acc * c.Den / System.Numerics.BigInteger.GreatestCommonDivisor(acc, c.Den)) System.Numerics.BigInteger.One
            let scaledAll = all |> Array.map (fun c -> c.Num * (lcm / c.Den))
            let content = scaledAll |> Array.fold (fun acc c -> System.Numerics.BigInteger.GreatestCommonDivisor(acc, c)) System.Numerics.BigInteger.Zero
            let factor = Rational(lcm, content)
            UnivariatePolynomial.Scale(factor, f.Num), UnivariatePolynomial.Scale(factor, f.Den)

    /// Re-parseable infix with integer coefficients, e.g. `(d - 1)/(d + 2)`, `1/(2*n + 2)`.
    member f.Format(variable: string) =
        if f.IsZero then "0"
        else
            let num, den = f.IntegerForm
            let terms (p: UnivariatePolynomial) = p.Coeffs |> Array.filter (fun c -> not c.IsZero) |> Array.length
            let wrap (p: UnivariatePolynomial) = if terms p > 1 || (terms p = 1 && p.Degree > 0 && p.Leading <> Rational.One) then $"({p.Format variable})" else p.Format variable
            let numText = if terms num > 1 then $"({num.Format variable})" else num.Format variable
            if den = UnivariatePolynomial.One then num.Format variable else $"{numText}/{wrap den}"

    /// LaTeX, e.g. `\frac{d - 1}{d + 2}`.
    member f.ToLatex(variable: string) =
        let latex (p: UnivariatePolynomial) =
            System.Text.RegularExpressions.Regex.Replace(p.Format(variable).Replace("*", " "), @"\^(\d+)", "^{$1}")
        let num, den = f.IntegerForm
        if den = UnivariatePolynomial.One then latex num else $"\\frac{{{latex num}}}{{{latex den}}}"

    override f.ToString() = f.Format "x"
    override f.Equals(o: obj) =
        match o with
        | :? UnivariateRationalFunction as g -> f.Num = g.Num && f.Den = g.Den
        | _ -> false
    override f.GetHashCode() = HashCode.Combine(f.Num.GetHashCode(), f.Den.GetHashCode())

[<RequireQualifiedAccess>]
module UnivariateRationalFunction =
    let x = UnivariateRationalFunction.X
    let ofInt (n: int) = UnivariateRationalFunction.OfInt n
    let ofRational (r: Rational) = UnivariateRationalFunction.OfRational r
    let ofPolynomial (p: UnivariatePolynomial) = UnivariateRationalFunction.OfPolynomial p
    /// (c·x + e) as a rational function.
    let linear (c: int) (e: int) = UnivariateRationalFunction.OfPolynomial(UnivariatePolynomial.linear c e)
    let evaluate (r: Rational) (f: UnivariateRationalFunction) = f.Evaluate r
    let pow (f: UnivariateRationalFunction) (k: int) = UnivariateRationalFunction.Pow(f, k)
