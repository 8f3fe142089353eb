namespace FimVerify.Symbolic

/// The size limits of multiplying out (`Expand.expand`) and of the rational normal form, checked before any work: the
/// number of terms the expansion can produce (an upper bound: like terms are not collected) and the largest degree to
/// which a sum is raised (the binomial coefficients of (1 + x)^n grow to n bits, and the normal form raises a denominator
/// sum to its power too, so the cost grows like the degree cubed: (1 + x)^1000 took minutes to simplify).
type ExpansionBudget =
    { /// Terms an expansion may produce.
      MaxTerms: float
      /// The largest |n| to which a polynomial of total degree d may be raised, counted as n·d (the degree multiplied out).
      MaxDegree: float }

/// A request beyond an <see cref="ExpansionBudget"/>, refused before any work; the message is one sentence.
type ExpansionBudgetException(message: string) =
    inherit System.ArgumentException(message)

[<RequireQualifiedAccess>]
module ExpansionBudget =
    /// The engine's default for expressions that come from users: 20,000 terms (as the derivation checker's limit) and degree
    /// 256 (simplifying the derivative of (1 + x)^256 takes about a second; (1 + x)^1000 took 60 s before this budget).
    let defaults = { MaxTerms = 20_000.0; MaxDegree = 256.0 }

    /// ln(k!) exactly (summed logs) up to 256, where most expansions live and Stirling's error would show in small counts;
    /// beyond, Stirling's series to the 1/(12x) term, which bounds ln(x!) from above (relative error below 1e-9 there).
    let private smallLogFactorials =
        Array.scan (fun acc (k: int) -> acc + log (float k)) 0.0 [| 1 .. 256 |]

    let private logFactorial (x: float) =
        if x < 1.0 then 0.0
        elif x <= 256.0 && x = floor x then smallLogFactorials[int x]
        else x * log x - x + 0.5 * log (2.0 * System.Math.PI * x) + 1.0 / (12.0 * x)

    let private logBinomial (n: float) (k: float) = logFactorial n - logFactorial k - logFactorial (n - k)

    /// Terms of x multiplied out at its top level (an upper bound, as a float: may be astronomically large).
    let rec terms (x: Expression) : float =
        match x with
        | Sum ts -> ts |> List.sumBy terms
        | Product fs -> fs |> List.fold (fun acc f -> acc * terms f) 1.0
        | Power(b, Number n) when n.IsInteger && n.Sign > 0 ->
            let t = terms b
            if t <= 1.0 then 1.0
            else
                let k = float n.Num
                // Monomials of degree k in t terms: C(k + t − 1, t − 1).
                exp (logBinomial (k + t - 1.0) (t - 1.0))
        | _ -> 1.0

    /// Upper bound on the terms `Expand.expand` produces anywhere in x: at the top level and inside function arguments and
    /// exponents, which it expands too.
    let rec estimate (x: Expression) : float =
        Expression.children x |> List.fold (fun acc c -> max acc (estimate c)) (terms x)

    /// The total degree of x as a polynomial in its atoms (function applications and non-integer powers count as atoms).
    let rec private totalDegree (x: Expression) : float =
        match x with
        | Number _ -> 0.0
        | Sum ts -> ts |> List.fold (fun acc t -> max acc (totalDegree t)) 0.0
        | Product fs -> fs |> List.sumBy totalDegree
        | Power(b, Number n) when n.IsInteger -> abs (float n.Num) * totalDegree b
        | _ -> 1.0

    /// The largest degree to which a sum is raised anywhere in x: |n|·(total degree of b) over the integer powers b^n whose
    /// base multiplies out to more than one term (negative powers too: the normal form raises denominators to them).
    let rec degree (x: Expression) : float =
        let own =
            match x with
            | Power(b, Number n) when n.IsInteger && terms b > 1.0 -> abs (float n.Num) * totalDegree b
            | _ -> 0.0
        Expression.children x |> List.fold (fun acc c -> max acc (degree c)) own

    /// Raises ExpansionBudgetException, with the estimate and the limit in one sentence, when x is beyond the budget.
    let require (budget: ExpansionBudget) (x: Expression) =
        let t = estimate x
        if t > budget.MaxTerms then
            raise (ExpansionBudgetException $"multiplying out would give about {t:g3} terms, beyond the symbolic engine's budget of {budget.MaxTerms:g} terms")
        let d = degree x
        if d > budget.MaxDegree then
            raise (ExpansionBudgetException $"multiplying out would raise a sum to degree {d:g}, beyond the symbolic engine's budget of degree {budget.MaxDegree:g}")
