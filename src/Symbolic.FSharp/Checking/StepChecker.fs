namespace FimVerify.Symbolic

open System
open System.Numerics

/// How a step was decided; each verdict names the route that decided it.
type StepVerdict =
    /// True on the whole domain: canonical forms (with closed forms and the assumptions) and every side condition
    /// proved, or every point of a finite integer domain checked exactly.
    | Proved of Route: string
    /// Held at `Points` points inside the assumptions, by the route named (exact, interval arithmetic to some
    /// digits, or numerical integration within its estimated error).
    | Plausible of Points: int * Route: string
    /// Fails at this point: symbol values and the two sides' values (as text), and how that was established.
    | False of Point: (string * string) list * Lhs: string * Rhs: string * Route: string
    /// Not decided, with the reason (a budget, no defined point, an integral that does not converge, …).
    | Undecided of Reason: string

type StepOutcome =
    { Step: DerivationStep
      Verdict: StepVerdict }

/// Decides each step of a derivation file. First symbolically: both sides lowered to canonical expressions (closed
/// forms of expectations, integrals and sums; piecewise functions folded by the assumptions) and compared; PROVED
/// when they agree and every condition under which the lowering holds is proved on the domain (inequalities: the sign
/// of the difference proved). Otherwise at exact rational points strictly inside the assumptions (uniform, toward
/// each end, simple values, far out on unbounded sides; every point of a small integer domain), evaluated in
/// certified interval arithmetic whose precision rises until the sides separate or agree to the target; a point
/// where one side is defined and the other is not makes the step FALSE.
[<RequireQualifiedAccess>]
module StepChecker =
    /// Bits of working precision at which two overlapping enclosures count as agreeing (≈ 60 digits).
    let agreementBits = 200
    /// Digits the agreement target corresponds to (for reports).
    let agreementDigits = 60
    /// Points of each step evaluated up to CheckLimits.MaxPrecisionBits even when they agree at agreementBits.
    let deepPoints = 3
    /// Points of a step decided by numerical integration (each costs quadratures; an estimate is no better for more).
    let quadraturePoints = 8

    type private Agreement =
        | ExactlyEqual
        /// An inequality settled by certified enclosures.
        | Certain
        | ByIdentity
        | WithinBits of float
        | WithinQuadrature of float

    type private PointOutcome =
        | Agree of Agreement
        | Disagree of lhs: string * rhs: string * route: string
        | BothUndefined
        | NotDecided of string

    let private rationalText (r: Rational) =
        let s = string r
        if s.Length <= 60 then s else (Dyadic.ofRational Down 200 r |> Interval.point |> Interval.toText 30) |> fun t -> "≈" + t

    let private valueTextAt (digits: int) (v: PointValue) =
        match v with
        | PointValue.Value a ->
            match a.Exact with
            | Some r -> rationalText r
            | None -> Interval.toText digits a.Enclosure + (if a.Certified then "" else " (estimated)")
        | PointValue.Undefined why -> $"undefined ({why})"
        | PointValue.Unknown why -> $"not evaluated ({why})"

    let private valueText = valueTextAt 20

    /// The two sides of a counterexample with enough digits to tell them apart (up to 80).
    let private sidesText (l: PointValue) (r: PointValue) =
        let digits = [ 20; 30; 45; 60; 80 ] |> List.tryFind (fun d -> valueTextAt d l <> valueTextAt d r) |> Option.defaultValue 80
        valueTextAt digits l, valueTextAt digits r

    /// The closed form of a binding form when its conditions hold on the whole domain (for differentiating it).
    let private closeForDerivative (ctx: ProverContext) (t: Term) : Term option =
        let session = LoweringSession(ctx.Limits, ctx.Budget, Set.empty, fun s x -> SignProver.sign ctx (Some s) x)
        try
            let x = TermLowering.lowerTerm session t
            let hasAtoms = Expression.symbols x |> List.exists session.IsAtom
            let placeholders = Expression.symbols x |> List.exists (fun v -> v.Contains '#' || not (ctx.Ranges.ContainsKey v))
            let proved (c: Condition) =
                match c.Requirement with
                | Requirement.Positive -> SignProver.sign ctx (Some session) c.Value = Sign.Positive
                | Requirement.NonNegative -> (SignProver.sign ctx (Some session) c.Value).AtLeastZero
                | Requirement.NonZero -> (SignProver.sign ctx (Some session) c.Value).NotZero
                | Requirement.Integer -> session.IsInteger c.Value
                | Requirement.Unprovable _ -> false
            if hasAtoms || placeholders || not (session.Conditions |> Seq.forall proved) then None else Some(Term.ofExpression x)
        with
        | LoweringGaveUp _ | Divergent _ | NoClosedForm _ -> None

    /// Whether a condition is proved on the domain (its expression simplified by the assumptions first).
    let private provedOn (ctx: ProverContext) (session: LoweringSession) (c: Condition) =
        let sign () =
            match SignProver.sign ctx (Some session) c.Value with
            | Sign.Positive | Sign.Negative as s -> s
            | s ->
                match SignProver.sign ctx (Some session) (AssumptionSimplify.simplify ctx (Some session) c.Value) with
                | Sign.Unknown -> s
                | better -> better
        match c.Requirement with
        | Requirement.Positive -> sign () = Sign.Positive
        | Requirement.NonNegative -> (sign ()).AtLeastZero
        | Requirement.NonZero -> (sign ()).NotZero
        | Requirement.Integer -> session.IsInteger c.Value
        | Requirement.Unprovable _ -> false

    /// Is a − b = 0 by the engine's canonical forms? The route that showed it.
    let private zeroBy (limits: CheckLimits) (a: Expression) (b: Expression) : string option =
        let d = Expression.sub a b
        if a = b || d = Expression.zero then Some "canonical form"
        elif ExpansionGuard.estimate d <= limits.MaxExpansionTerms && Expand.expand d = Expression.zero then Some "expanded form"
        elif ExpansionGuard.affordsNormalForm d then
            let normal = try RationalFunction.normalForm d = Expression.zero with :? DivideByZeroException -> false
            if normal then Some "rational normal form"
            else
                let simplified = try Simplify.simplify d = Expression.zero with :? DivideByZeroException -> false
                if simplified then Some "trigonometric simplification" else None
        else None

    /// The symbolic route's findings for one step.
    type private Symbolic =
        { Verdict: StepVerdict option
          /// The two sides agree wherever the session's conditions hold.
          Identity: bool
          Session: LoweringSession option }

    let private describe (t: Term) =
        Term.exists (function Term.Gauss _ | Term.Gauss2 _ | Term.Integral _ | Term.SumOf _ | Term.ProductOf _ -> true | _ -> false) t

    let private relationIsEquality (r: Relation) = r = Relation.Equal

    let private symbolicRoute (ctx: ProverContext) (integers: Set<string>) (step: DerivationStep) (lhs: Term) (rhs: Term) : Symbolic =
        let session = LoweringSession(ctx.Limits, ctx.Budget, integers, fun s x -> SignProver.sign ctx (Some s) x)
        let none = { Verdict = None; Identity = false; Session = Some session }
        try
            let l = TermLowering.lowerTerm session lhs
            let middle = session.ConditionCount
            let r = TermLowering.lowerTerm session rhs
            let closed = if describe lhs || describe rhs then "closed forms, then " else ""
            // An expectation without a closed form is defined exactly where it converges; when the same ones occur
            // on both sides, both sides are undefined together where one diverges, so the step needs nothing more.
            let unprovable (from: int) (until: int) =
                [ for i in from .. until - 1 do
                      match session.Conditions[i].Requirement with
                      | Requirement.Unprovable _ -> yield session.Conditions[i].Value
                      | _ -> () ] |> Set.ofList
            let shared = unprovable 0 middle = unprovable middle session.ConditionCount
            let allProved () =
                session.Conditions |> Seq.forall (fun c ->
                    match c.Requirement with
                    | Requirement.Unprovable _ -> shared && relationIsEquality step.Relation
                    | _ -> provedOn ctx session c)
            match step.Relation with
            | Relation.Equal ->
                let route =
                    match zeroBy ctx.Limits l r with
                    | Some route -> Some route
                    | None ->
                        let l', r' = AssumptionSimplify.simplify ctx (Some session) l, AssumptionSimplify.simplify ctx (Some session) r
                        zeroBy ctx.Limits l' r' |> Option.map (fun route -> route + " under the assumptions")
                let sameExpectations = if (unprovable 0 session.ConditionCount).IsEmpty then "" else ", the same expectations without a closed form on both sides"
                match route with
                | Some route when allProved () -> { none with Verdict = Some(Proved(closed + route + sameExpectations)); Identity = true }
                | Some _ -> { none with Identity = true }
                | None -> none
            | relation ->
                // Sign of the difference that must be positive (or non-negative).
                let difference =
                    match relation with
                    | Relation.Less | Relation.LessEqual -> Expression.sub r l
                    | _ -> Expression.sub l r
                let strict = relation = Relation.Less || relation = Relation.Greater
                let simplified = AssumptionSimplify.simplify ctx (Some session) difference
                let signOf (x: Expression) = SignProver.sign ctx (Some session) x
                let sign =
                    match signOf simplified with
                    | s when (if strict then s = Sign.Positive else s.AtLeastZero) -> s
                    | s when ExpansionGuard.affordsNormalForm simplified ->
                        // p/q with q monic: the signs of numerator and denominator separately.
                        try
                            let n, d = RationalFunction.numeratorDenominator simplified
                            let sn, sd = signOf n, signOf d
                            if sd = Sign.Positive then sn elif sd = Sign.Negative then (match sn with Sign.Positive -> Sign.Negative | Sign.Negative -> Sign.Positive | Sign.NonNegative -> Sign.NonPositive | Sign.NonPositive -> Sign.NonNegative | x -> x) else s
                        with :? DivideByZeroException -> s
                    | s -> s
                let holds = if strict then sign = Sign.Positive else sign.AtLeastZero
                if holds && allProved () then { none with Verdict = Some(Proved(closed + "sign of the difference by structure and interval arithmetic on the domain")) }
                else none
        with
        | LoweringGaveUp _ | Divergent _ | NoClosedForm _ -> { Verdict = None; Identity = false; Session = None }
        // Arithmetic the engine's constructors refuse (a power of 0 met while rewriting) ends the symbolic route only.
        | :? ArithmeticException -> { Verdict = None; Identity = false; Session = None }

    /// Do the session's conditions hold at this point (so an identity of the lowered forms applies there)?
    let private conditionsHoldAt (ectx: EvaluationContext) (session: LoweringSession) (env: Map<string, Approximation>) =
        let atoms = session.AtomTerms |> Seq.map (fun kv -> kv.Key, kv.Value) |> List.ofSeq
        let atomValues =
            atoms |> List.choose (fun (name, t) -> match PointEvaluation.eval ectx env t with PointValue.Value a -> Some(name, a) | _ -> None)
        let env = atomValues |> List.fold (fun (m: Map<string, Approximation>) (n, a) -> m.Add(n, a)) env
        session.Conditions |> Seq.forall (fun c ->
            let holds (test: Interval -> bool) (exactTest: Rational -> bool) =
                if Expression.symbols c.Value |> List.exists (fun s -> not (env.ContainsKey s)) then false
                else
                    match PointEvaluation.eval ectx env (Term.ofExpression c.Value) with
                    | PointValue.Value a when a.Certified -> (match a.Exact with Some r -> exactTest r | None -> test a.Enclosure)
                    | _ -> false
            match c.Requirement with
            | Requirement.Positive -> holds Interval.positive (fun r -> r.Sign > 0)
            | Requirement.NonNegative -> holds Interval.nonNegative (fun r -> r.Sign >= 0)
            | Requirement.NonZero -> holds (fun iv -> not (Interval.containsZero iv)) (fun r -> not r.IsZero)
            | Requirement.Integer -> holds (fun _ -> false) (fun r -> r.IsInteger)
            | Requirement.Unprovable _ -> false)

    /// Exactly equal at the point by the canonical form of L − R there?
    let private exactlyEqualAt (ectx: EvaluationContext) (env: Map<string, Approximation>) (lhs: Term) (rhs: Term) =
        PointEvaluation.exactlyZero ectx env (Term.sub lhs rhs) = Some true

    /// Decides the relation at one point, raising the precision while it is undecided.
    let private decidePoint (limits: CheckLimits) (budget: WorkBudget) (exhaustive: bool) (deep: bool) (relation: Relation) (identity: (LoweringSession * bool) option) (lhs: Term) (rhs: Term) (env: Map<string, Rational>) : PointOutcome =
        let cache = PointCache()
        let ladder = [ 64; agreementBits; 400; limits.MaxPrecisionBits ] |> List.filter (fun p -> p <= limits.MaxPrecisionBits) |> List.distinct
        let mutable exactlyChecked = None
        let exactEqual ectx approx =
            match exactlyChecked with
            | Some v -> v
            | None ->
                let v = exactlyEqualAt ectx approx lhs rhs
                exactlyChecked <- Some v
                v
        let rec attempt (precisions: int list) (lastReason: string) =
            match precisions with
            | [] -> NotDecided lastReason
            | p :: rest ->
                let ectx = { Precision = p; Limits = limits; Budget = budget; Cache = cache }
                let approx = env |> Map.map (fun _ r -> PointEvaluation.exact p r)
                let l = PointEvaluation.eval ectx approx lhs
                let r = PointEvaluation.eval ectx approx rhs
                match l, r with
                | PointValue.Undefined _, PointValue.Undefined _ -> BothUndefined
                | PointValue.Undefined _, PointValue.Value _ | PointValue.Value _, PointValue.Undefined _ ->
                    Disagree(fst (sidesText l r), snd (sidesText l r), "one side is defined there and the other is not")
                | PointValue.Unknown why, _ | _, PointValue.Unknown why -> attempt rest why
                | PointValue.Value a, PointValue.Value b ->
                    let certified = a.Certified && b.Certified
                    let route = if certified then (if a.Exact.IsSome && b.Exact.IsSome then "exact arithmetic" else "certified interval arithmetic") else "numerical integration (estimated error)"
                    let comparison =
                        match a.Exact, b.Exact with
                        | Some x, Some y -> Some(compare x y)
                        | _ ->
                            if Interval.less a.Enclosure b.Enclosure then Some -1
                            elif Interval.less b.Enclosure a.Enclosure then Some 1
                            else None
                    let near () =
                        // Overlapping enclosures: an identity that applies here, agreement at the target precision, an
                        // exact zero difference by the canonical form at the point (tried late: it can be costly), or not yet.
                        let scale = max (Interval.magnitude a.Enclosure) (Interval.magnitude b.Enclosure)
                        let width = max (Interval.width a.Enclosure) (Interval.width b.Enclosure)
                        let digits = if width = 0.0 then float agreementDigits elif scale > 0.0 then -log10 (width / scale) else 0.0
                        match identity with
                        | Some(session, true) when relation = Relation.Equal && conditionsHoldAt ectx session approx -> Some(Agree ByIdentity)
                        | _ ->
                            if exhaustive && exactEqual ectx approx then Some(Agree ExactlyEqual)
                            elif not certified then Some(Agree(WithinQuadrature digits))
                            elif p < agreementBits then None
                            elif digits >= 0.15 * float p && not (deep && p < limits.MaxPrecisionBits) then Some(Agree(WithinBits(min digits (float p * 0.30103))))
                            elif exactEqual ectx approx then Some(Agree ExactlyEqual)
                            elif p >= limits.MaxPrecisionBits then Some(Agree(WithinBits(max 0.0 digits)))
                            else None
                    match relation with
                    | Relation.Equal ->
                        match comparison with
                        | Some 0 -> Agree ExactlyEqual
                        | Some _ -> Disagree(fst (sidesText l r), snd (sidesText l r), route)
                        | None -> match near () with Some o -> o | None -> attempt rest "the two sides are too close to separate at this precision"
                    | _ ->
                        // L rel R with rel one of < ≤ > ≥, as c = sign(L − R).
                        let holds c =
                            match relation with
                            | Relation.Less -> c < 0
                            | Relation.LessEqual -> c <= 0
                            | Relation.Greater -> c > 0
                            | _ -> c >= 0
                        match comparison with
                        | Some c ->
                            if not (holds c) then Disagree(fst (sidesText l r), snd (sidesText l r), route)
                            elif a.Exact.IsSome && b.Exact.IsSome then Agree ExactlyEqual
                            elif certified then Agree Certain
                            else Agree(WithinQuadrature 0.0)
                        | None ->
                            if certified && p < agreementBits && not rest.IsEmpty then attempt rest "the two sides are too close to order at this precision"
                            elif exactEqual ectx approx then (if holds 0 then Agree ExactlyEqual else Disagree(fst (sidesText l r), snd (sidesText l r), "the two sides are equal there"))
                            elif not rest.IsEmpty && certified then attempt rest "the two sides are too close to order at this precision"
                            elif holds 0 then
                                // ≤ or ≥ with the sides indistinguishable at the highest precision: consistent with the claim.
                                Agree(WithinQuadrature 0.0)
                            else NotDecided "the two sides are too close to order at the highest precision"
        attempt ladder "not evaluated"

    /// The points of a step: every point of a small integer domain, or samples (with `extra` candidates first).
    let private pointsOf (ranges: SymbolRange list) (rng: Random) (extra: Map<string, Rational> list) : Map<string, Rational> seq * bool =
        match Domain.integerPoints ranges 128 with
        | _ when ranges.IsEmpty -> Seq.singleton Map.empty, false
        | Some all -> (all |> Seq.map Map.ofList), true
        | _ ->
            let sampled = Seq.initInfinite (fun _ -> ranges |> List.map (fun r -> r.Declaration.Name, Domain.sample rng r) |> Map.ofList)
            Seq.append extra sampled, false

    /// Candidate witnesses for a difference in definedness: where an unproved condition that is affine in one symbol
    /// vanishes, and just beyond it.
    let private conditionCandidates (session: LoweringSession option) (ranges: SymbolRange list) : Map<string, Rational> list =
        match session with
        | None -> []
        | Some s ->
            let byName = ranges |> List.map (fun r -> r.Declaration.Name, r) |> Map.ofList
            let midpoint (r: SymbolRange) = (r.Low + r.High) / Rational.ofInt 2
            [ for c in s.Conditions |> Seq.truncate 16 do
                  match c.Requirement with
                  | Requirement.NonZero | Requirement.NonNegative | Requirement.Positive ->
                      match Expression.symbols c.Value with
                      | [ v ] when byName.ContainsKey v && not byName[v].Declaration.Integer ->
                          match (try Some(Expand.expand (RationalFunction.normalForm c.Value)) with _ -> None) with
                          | Some e ->
                              let d1 = Differentiate.withRespectTo v e
                              match d1, (try Substitute.one v Expression.zero e with :? ArithmeticException -> e) with
                              | Number slope, Number offset when not slope.IsZero ->
                                  let root = -offset / slope
                                  let r = byName[v]
                                  for candidate in [ root; root - Rational.make 1 1000; root + Rational.make 1 1000 ] do
                                      if r.Low < candidate && candidate < r.High then
                                          yield ranges |> List.map (fun q -> q.Declaration.Name, (if q.Declaration.Name = v then candidate else midpoint q)) |> Map.ofList
                              | _ -> ()
                          | None -> ()
                      | _ -> ()
                  | _ -> () ]

    /// A witness point's coordinates, exactly (an approximation only for very long rationals).
    let private pointText (point: Map<string, Rational>) =
        point |> Map.toList |> List.map (fun (n, v) -> n, (let s = string v in if s.Length <= 120 then s else rationalText v))

    /// Decides one step with explicit limits.
    let checkStepWith (limits: CheckLimits) (symbols: SymbolDeclaration list) (points: int) (seed: int) (index: int) (step: DerivationStep) : StepOutcome =
        if points < 1 then invalidArg "points" "at least one point is needed"
        let budget = WorkBudget(limits.StepSeconds)
        let verdict =
            try
                let size = Term.size step.Lhs + Term.size step.Rhs
                let depth = max (Term.depth step.Lhs) (Term.depth step.Rhs)
                if size > limits.MaxNodes then Undecided $"the step has {size} nodes once its definitions are substituted (limit {limits.MaxNodes})"
                elif depth > limits.MaxDepth then Undecided $"the step is nested {depth} levels deep once its definitions are substituted (limit {limits.MaxDepth})"
                else
                    let used = Set.union (Term.freeVariables step.Lhs) (Term.freeVariables step.Rhs)
                    let declared = symbols |> List.filter (fun s -> used.Contains s.Name)
                    let ranges = declared |> List.map (fun d -> match Domain.range d with Result.Ok r -> r | Result.Error e -> raise (LoweringGaveUp e))
                    let ctx = { Ranges = ranges |> List.map (fun r -> r.Declaration.Name, r) |> Map.ofList; Limits = limits; Budget = budget; Memo = Collections.Generic.Dictionary(HashIdentity.Structural) }
                    let close = closeForDerivative ctx
                    let lhs = TermCalculus.eliminate close step.Lhs
                    let rhs = TermCalculus.eliminate close step.Rhs
                    if Term.size lhs + Term.size rhs > limits.MaxNodes then
                        Undecided $"the derivatives have more than {limits.MaxNodes} nodes"
                    else
                    let integers = declared |> List.filter (fun d -> d.Integer) |> List.map (fun d -> d.Name) |> Set.ofList
                    let symbolic = symbolicRoute ctx integers step lhs rhs
                    match symbolic.Verdict with
                    | Some v -> v
                    | None ->
                        let rng = Random(seed * 1_000_003 + step.Line * 7_919 + index)
                        let extra = conditionCandidates symbolic.Session ranges
                        let candidates, exhaustive = pointsOf ranges rng extra
                        let identity = symbolic.Session |> Option.map (fun s -> s, symbolic.Identity)
                        let mutable agreed = 0
                        let mutable tried = 0
                        let mutable bothUndefined = 0
                        let mutable weakest : Agreement option = None
                        let mutable falsified = None
                        let mutable lastReason = ""
                        // A step without symbols is one evaluation.
                        let points = if ranges.IsEmpty then 1 else points
                        let mutable target = points
                        let maxTries = if exhaustive then Int32.MaxValue elif ranges.IsEmpty then 1 else 4 * points + extra.Length
                        use e = candidates.GetEnumerator()
                        while falsified.IsNone && (exhaustive || agreed < target) && tried < maxTries && e.MoveNext() do
                            budget.Check()
                            tried <- tried + 1
                            let point = e.Current
                            // The first points go on to the highest precision: a difference far below 2^-200 shows there.
                            match decidePoint limits budget exhaustive (tried <= deepPoints) step.Relation identity lhs rhs point with
                            | Agree kind ->
                                agreed <- agreed + 1
                                // Numerical integration is costly and no more exact for more points: at most 8.
                                match kind with
                                | WithinQuadrature _ when not exhaustive -> target <- min target quadraturePoints
                                | _ -> ()
                                let rank = function ExactlyEqual -> 3.0e9 | Certain -> 2.5e9 | ByIdentity -> 2.0e9 | WithinBits d -> 1.0e6 + d | WithinQuadrature d -> d
                                weakest <- match weakest with Some w when rank w <= rank kind -> Some w | _ -> Some kind
                            | Disagree(l, r, route) -> falsified <- Some(False(pointText point, l, r, route))
                            | BothUndefined -> bothUndefined <- bothUndefined + 1
                            | NotDecided why -> lastReason <- why
                        match falsified with
                        | Some f -> f
                        | None when exhaustive && agreed > 0 && agreed + bothUndefined = tried ->
                            match weakest with
                            | Some ExactlyEqual | Some ByIdentity -> Proved $"exhaustively: all {tried} points of the domain, exact"
                            | Some Certain -> Proved $"exhaustively: all {tried} points of the domain, certified interval arithmetic"
                            | Some(WithinBits d) -> Plausible(agreed, $"every point of the domain, interval arithmetic to {int d} digits")
                            | _ -> Plausible(agreed, "every point of the domain, numerical integration within its estimated error")
                        | None when agreed >= target || (exhaustive && agreed > 0 && agreed + bothUndefined = tried) ->
                            let route =
                                match weakest with
                                | Some ExactlyEqual -> "exact arithmetic"
                                | Some Certain -> "certified interval arithmetic"
                                | Some ByIdentity -> "identity of the canonical forms; both sides defined at every point"
                                | Some(WithinBits d) -> $"certified interval arithmetic, agreement to {max 1 (int d)} digits"
                                | Some(WithinQuadrature d) when d > 0.0 -> $"numerical integration, agreement within its estimated error (about {int d} digits)"
                                | _ -> "numerical integration, agreement within its estimated error"
                            Plausible(agreed, route)
                        | None when agreed = 0 && bothUndefined > 0 && lastReason = "" -> Undecided "neither side is defined at any point tried inside the assumptions"
                        | None when agreed = 0 -> Undecided(if lastReason = "" then "no point inside the assumptions could be decided" else lastReason)
                        | None ->
                            let why = if lastReason = "" then "the others have neither side defined" else lastReason
                            Undecided $"only {agreed} of {tried} points tried were decided ({why})"
            with
            | BudgetExceeded reason -> Undecided reason
            | NotDifferentiable reason -> Undecided reason
            | LoweringGaveUp reason -> Undecided reason
            | :? ArithmeticException as e -> Undecided $"the engine could not evaluate this step ({e.Message})"
        { Step = step; Verdict = verdict }

    /// Decides one step (default limits). `points` random points (default 24); `seed` fixes them (with the line number).
    let checkStep (symbols: SymbolDeclaration list) (points: int) (seed: int) (step: DerivationStep) : StepOutcome =
        checkStepWith CheckLimits.defaults symbols points seed 0 step

    /// Runs f on a thread with a large stack (deep terms recurse; no input can overflow the default stack).
    let private onLargeStack (f: unit -> 'a) : 'a =
        let mutable result = Unchecked.defaultof<'a>
        let mutable error : exn = null
        let thread = Threading.Thread((fun () -> try result <- f () with e -> error <- e), 256 * 1024 * 1024)
        thread.Start()
        thread.Join()
        if not (isNull error) then Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw()
        result

    /// Decides every step of a parsed file with explicit limits.
    let checkWith (limits: CheckLimits) (points: int) (seed: int) (file: DerivationFile) : StepOutcome list =
        file.Steps |> List.mapi (fun i s -> checkStepWith limits file.Symbols points seed i s)

    /// Decides every step of a parsed file.
    let check (points: int) (seed: int) (file: DerivationFile) : StepOutcome list = checkWith CheckLimits.defaults points seed file

    /// Parses and decides a file's text with explicit limits; DerivationFileException on a malformed file.
    let checkTextWith (limits: CheckLimits) (points: int) (seed: int) (text: string) : DerivationFile * StepOutcome list =
        onLargeStack (fun () ->
            let file = DerivationFile.parse text
            file, checkWith limits points seed file)

    /// Parses and decides a file's text; DerivationFileException on a malformed file.
    let checkText (points: int) (seed: int) (text: string) : DerivationFile * StepOutcome list =
        checkTextWith CheckLimits.defaults points seed text
