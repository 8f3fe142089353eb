namespace FimVerify.Symbolic

open System
open System.Numerics

/// How a step was decided.
type StepVerdict =
    /// The two sides have the same canonical (expanded) form, or are equal as rational functions of their atoms.
    | Proved
    /// Equal at every one of `Points` random points inside the assumptions, exactly (rational identities)
    /// or to at least 50 significant digits (everything else).
    | Plausible of Points: int * Exact: bool
    /// Different at this point: symbol values and the two sides' values (as text).
    | False of Point: (string * string) list * Lhs: string * Rhs: string
    /// No point inside the assumptions where both sides are defined was found.
    | Undecided of Reason: string

type StepOutcome =
    { Step: DerivationStep
      Verdict: StepVerdict }

/// Decides each step of a derivation file: PROVED by canonical symbolic equality (expanded forms, or rational normal
/// forms with common factors cancelled); otherwise PLAUSIBLE by
/// exact evaluation at random rational points (when both sides are rational functions of the symbols) or
/// by ≥ 50-digit evaluation at random points inside the assumptions; FALSE with a counterexample.
[<RequireQualifiedAccess>]
module StepChecker =
    /// Digits the two sides must agree to (relative to max(1, |lhs|, |rhs|)); Real carries about 115.
    let agreementDigits = 60

    let private tolerance =
        Real.OfRational(Rational(BigInteger.One, BigInteger.Pow(BigInteger 10, agreementDigits)))

    /// True when the expression is built from symbols and rationals by + × and integer powers only.
    let rec isRationalFunction (x: Expression) =
        match x with
        | Number _ | Symbol _ -> true
        | Constant _ | Apply _ -> false
        | Power(b, Number r) -> r.IsInteger && isRationalFunction b
        | Power _ -> false
        | Sum xs | Product xs -> List.forall isRationalFunction xs

    /// The interval a symbol is sampled from: its assumption, or a window of width 3 next to a one-sided
    /// bound, or (−3, 3) without one.
    let private interval (s: SymbolDeclaration) =
        let value (b: Bound) = Precise.evaluate Map.empty b.Value
        match s.Lower, s.Upper with
        | Some lo, Some hi -> value lo, value hi
        | Some lo, None -> value lo, value lo + Real.OfInt 3
        | None, Some hi -> value hi - Real.OfInt 3, value hi
        | None, None -> Real.OfInt -3, Real.OfInt 3

    /// A random point strictly inside (lo, hi): lo + (hi − lo)·k/2^20 with 1 ≤ k < 2^20, rounded to a
    /// rational with denominator 2^40 for the exact route (still strictly inside).
    let private samplePoint (rng: Random) (lo: Real, hi: Real) : Rational =
        let k = rng.Next(1, 1 <<< 20)
        let x = lo + (hi - lo) * Real.OfRational(Rational(BigInteger k, BigInteger(1 <<< 20)))
        let scale = BigInteger.One <<< 40
        Rational(BigInteger.Divide(x.Mantissa * scale, BigInteger.One <<< Real.Bits), scale)

    let private claimOf (step: DerivationStep) =
        match step.Derivative with
        | Some v -> Differentiate.withRespectTo v step.Lhs, step.Rhs
        | None -> step.Lhs, step.Rhs

    let private show (r: Real) = r.ToString 30

    /// Equal as rational functions of their atoms (symbols, and sin x, √x, … taken as independent indeterminates): an
    /// identity there holds under every substitution where both sides are defined, so it proves the step, e.g.
    /// (x² − 1)/(x − 1) = x + 1. A division by zero met on the way means "not proved", never an error.
    /// (Called after expansion has failed, so it goes straight to the normal form rather than through `areEqual`,
    /// which would expand the difference again.)
    let private rationallyEqual (lhs: Expression) (rhs: Expression) =
        try RationalFunction.normalForm (lhs - rhs) = Expression.zero with :? DivideByZeroException -> false

    /// Decides one step. `points` random points (default 24); `seed` fixes them (with the line number).
    let checkStep (symbols: SymbolDeclaration list) (points: int) (seed: int) (step: DerivationStep) : StepOutcome =
        if points < 1 then invalidArg "points" "at least one point is needed"
        let lhs, rhs = claimOf step
        let difference = Expand.expand (lhs - rhs)
        let verdict =
            if difference = Expression.zero || Expand.expand lhs = Expand.expand rhs || rationallyEqual lhs rhs then Proved
            else
                let rng = Random(seed * 1_000_003 + step.Line)   // deterministic (HashCode.Combine is salted per process)
                let used = Expression.symbols (lhs - rhs) |> Set.ofList |> Set.union (Set.ofList (Expression.symbols lhs @ Expression.symbols rhs))
                let relevant = symbols |> List.filter (fun s -> used.Contains s.Name)
                let intervals = relevant |> List.map (fun s -> s.Name, interval s)
                let exact = isRationalFunction lhs && isRationalFunction rhs
                let mutable agreed = 0
                let mutable attempts = 0
                let mutable counterexample = None
                while counterexample.IsNone && agreed < points && attempts < 20 * points do
                    attempts <- attempts + 1
                    let point = intervals |> List.map (fun (name, range) -> name, samplePoint rng range)
                    if exact then
                        let values = Map.ofList point
                        match Precise.tryExact values lhs, Precise.tryExact values rhs with
                        | Some a, Some b ->
                            if a = b then agreed <- agreed + 1
                            else counterexample <- Some(point |> List.map (fun (n, v) -> n, string v), string a, string b)
                        | _ -> ()
                    else
                        let values = point |> List.map (fun (n, v) -> n, Real.OfRational v) |> Map.ofList
                        match Precise.tryEvaluate values lhs, Precise.tryEvaluate values rhs with
                        | Some a, Some b ->
                            let scale = [ Real.One; a.Abs; b.Abs ] |> List.max
                            if (a - b).Abs <= scale * tolerance then agreed <- agreed + 1
                            else counterexample <- Some(point |> List.map (fun (n, v) -> n, show (Real.OfRational v)), show a, show b)
                        | _ -> ()
                match counterexample with
                | Some(p, a, b) -> False(p, a, b)
                | None when agreed = points -> Plausible(points, exact)
                | None when agreed > 0 -> Undecided $"only {agreed} of {attempts} random points lie where both sides are defined"
                | None -> Undecided "no random point inside the assumptions where both sides are defined"
        { Step = step; Verdict = verdict }

    /// Decides every step of a parsed file.
    let check (points: int) (seed: int) (file: DerivationFile) : StepOutcome list =
        file.Steps |> List.map (checkStep file.Symbols points seed)

    /// Parses and decides a file's text; DerivationFileException on a malformed file.
    let checkText (points: int) (seed: int) (text: string) : DerivationFile * StepOutcome list =
        let file = DerivationFile.parse text
        file, check points seed file
