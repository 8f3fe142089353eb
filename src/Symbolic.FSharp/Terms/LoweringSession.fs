namespace FimVerify.Symbolic

open System.Collections.Generic

/// What is known about the sign of an expression on the whole domain.
[<RequireQualifiedAccess>]
type Sign =
    | Positive
    | NonNegative
    | Negative
    | NonPositive
    | NonZero
    | Zero
    | Unknown

    member s.AtLeastZero = (match s with Sign.Positive | Sign.NonNegative | Sign.Zero -> true | _ -> false)
    member s.AtMostZero = (match s with Sign.Negative | Sign.NonPositive | Sign.Zero -> true | _ -> false)
    member s.NotZero = (match s with Sign.Positive | Sign.Negative | Sign.NonZero -> true | _ -> false)

/// A requirement for a term to be defined (or for a closed form to apply), on a lowered expression.
[<RequireQualifiedAccess>]
type Requirement =
    | Positive
    | NonNegative
    | NonZero
    | Integer
    /// Something the symbolic route cannot establish (e.g. that an integral without a closed form converges).
    | Unprovable of string

type Condition =
    { Requirement: Requirement
      Value: Expression }

/// The symbolic route cannot continue (a budget, or a constant that is undefined); the step goes to evaluation.
exception LoweringGaveUp of string

/// The state of lowering the two sides of one step to canonical expressions: the opaque atoms (subterms with no
/// canonical form, such as step(x) or an expectation without a closed form, each a fresh symbol `@k` shared by equal
/// subterms on both sides), the conditions under which the lowered forms equal the terms, and the sign oracle that
/// folds piecewise functions and orders break points using the assumptions.
type LoweringSession(limits: CheckLimits, budget: WorkBudget, integerSymbols: Set<string>, signOf: LoweringSession -> Expression -> Sign) =
    let atoms = Dictionary<Term, string>(HashIdentity.Structural)
    let atomTerms = Dictionary<string, Term>()
    let conditions = List<Condition>()
    let integers = HashSet<string>(integerSymbols)
    let mutable counter = 0

    member _.Limits = limits
    member _.Budget = budget
    member _.Conditions : IReadOnlyList<Condition> = conditions
    member _.AtomTerms : IReadOnlyDictionary<string, Term> = atomTerms

    /// The atom standing for `t` (a term in user symbols and placeholders).
    member _.Atom(t: Term) : Expression =
        match atoms.TryGetValue t with
        | true, name -> Symbol name
        | _ ->
            counter <- counter + 1
            let name = $"@{counter}"
            atoms[t] <- name
            atomTerms[name] <- t
            Symbol name

    member _.IsAtom(name: string) = atomTerms.ContainsKey name

    /// A fresh placeholder symbol for a bound variable (`z#k`, a name no user can write).
    member _.Placeholder(name: string, isInteger: bool) : string =
        counter <- counter + 1
        let p = $"{name}#{counter}"
        if isInteger then integers.Add p |> ignore
        p

    /// The number of conditions so far, and a rollback to it (an abandoned closed form leaves none behind).
    member _.ConditionCount = conditions.Count
    member _.RollBack(count: int) = if conditions.Count > count then conditions.RemoveRange(count, conditions.Count - count)

    member _.Require(requirement: Requirement, value: Expression) =
        match requirement, value with
        | Requirement.Positive, Number r when r.Sign > 0 -> ()
        | Requirement.NonNegative, Number r when r.Sign >= 0 -> ()
        | Requirement.NonZero, Number r when not r.IsZero -> ()
        | Requirement.Integer, Number r when r.IsInteger -> ()
        | _ -> conditions.Add { Requirement = requirement; Value = value }

    member s.Sign(x: Expression) : Sign =
        match x with
        | Number r -> if r.Sign > 0 then Sign.Positive elif r.Sign < 0 then Sign.Negative else Sign.Zero
        | x -> signOf s x

    /// Does x depend on the symbol v, directly or through an atom whose term mentions v?
    member _.DependsOn (v: string) (x: Expression) : bool =
        Expression.symbols x |> List.exists (fun s ->
            s = v || (match atomTerms.TryGetValue s with true, t -> (Term.freeVariables t).Contains v | _ -> false))

    /// Integer-valued by structure: integers, integer symbols (declared `integer` or summation variables), and sums,
    /// products and natural powers of those.
    member s.IsInteger(x: Expression) : bool =
        match x with
        | Number r -> r.IsInteger
        | Symbol v -> integers.Contains v
        | Sum ts | Product ts -> ts |> List.forall s.IsInteger
        | Power(b, Number n) -> n.IsInteger && n.Sign > 0 && s.IsInteger b
        | _ -> false

    member _.IntegerSymbols = integers :> IReadOnlySet<string>

/// Guards for the engine's polynomial operations: their output size is estimated before they run (the core's
/// `ExpansionBudget.estimate`, against the checker's limits).
[<RequireQualifiedAccess>]
module ExpansionGuard =
    /// Upper bound on the number of terms `Expand.expand` produces, and on any expansion it performs inside function
    /// arguments and exponents (as a float: may be astronomically large).
    let estimate (x: Expression) : float = ExpansionBudget.estimate x

    /// Expand.expand, or LoweringGaveUp when it would exceed the limit.
    let expand (limits: CheckLimits) (x: Expression) : Expression =
        let e = estimate x
        if e > limits.MaxExpansionTerms then
            raise (LoweringGaveUp $"multiplying out would give about {e:g3} terms (limit {limits.MaxExpansionTerms:g})")
        Expand.expand x

    /// Whether the rational normal form is affordable: a moderate expansion and no integer power above 1000.
    let affordsNormalForm (x: Expression) : bool =
        let rec smallPowers (x: Expression) =
            match x with
            | Power(b, Number n) when n.IsInteger -> abs (float n.Num) <= 1000.0 && smallPowers b
            | x -> Expression.children x |> List.forall smallPowers
        estimate x <= 2_000.0 && smallPowers x
