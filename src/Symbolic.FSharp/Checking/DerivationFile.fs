namespace FimVerify.Symbolic

open System
open System.Collections.Generic

/// One claim: Lhs Relation Rhs. With `Derivative = Some v` the claim is d(Lhs)/dv = Rhs (Lhs is then already
/// wrapped in `diff`).
type DerivationStep =
    { Line: int
      Lhs: Term
      Rhs: Term
      Relation: Relation
      Derivative: string option
      Justification: string option
      /// The step as written (for reports).
      Text: string }

type DerivationFile =
    { Title: string option
      Symbols: SymbolDeclaration list
      Steps: DerivationStep list }

/// A malformed derivation file: where (1-based line and column) and why.
type DerivationFileError =
    { Line: int
      Column: int
      Message: string }
    override e.ToString() = $"line {e.Line}, column {e.Column}: {e.Message}"

exception DerivationFileException of DerivationFileError

/// Parser for the plain-text derivation format documented in docs/derivation-files.md.
[<RequireQualifiedAccess>]
module DerivationFile =
    let private fail line column message = raise (DerivationFileException { Line = line; Column = column; Message = message })

    let private isIdentifier (s: string) =
        s.Length > 0 && Char.IsLetter s[0] && s |> Seq.forall (fun c -> Char.IsLetterOrDigit c || c = '_' || c = '\'')

    /// Splits `text # justification` (the first '#').
    let private splitComment (text: string) =
        match text.IndexOf '#' with
        | -1 -> text, None
        | i -> text.Substring(0, i), Some(text.Substring(i + 1).Trim())

    /// The state of reading a file: declarations and definitions so far.
    type private Scope =
        { Symbols: List<SymbolDeclaration>
          Lets: Dictionary<string, Term>
          Functions: Dictionary<string, FunctionDefinition> }

        member s.IsDeclared name = s.Symbols |> Seq.exists (fun d -> d.Name = name)
        member s.IsDefined name = s.Lets.ContainsKey name || s.Functions.ContainsKey name

    /// Is t a closed constant that is exactly 0 (after the definitions)?
    let private isZeroConstant (t: Term) =
        if not (Term.isClosed t) || TermCalculus.hasCalculus t then false
        else
            let session = PointEvaluation.pointSession { Precision = 128; Limits = CheckLimits.defaults; Budget = WorkBudget(5.0); Cache = PointCache() }
            try TermLowering.lowerTerm session t = Expression.zero
            with
            | LoweringGaveUp _ | Divergent _ | NoClosedForm _ | BudgetExceeded _ -> false

    /// Checks a parsed expression of line `line` (its text starting at `column`): every free name declared, defined or
    /// bound; ∞ only as an integral bound; diff and at on declared or bound variables; no divisor that is the constant 0.
    /// Returns the expression with the definitions substituted.
    let private resolve (scope: Scope) (line: int) (column: int) (parameters: Set<string>) (columns: IReadOnlyDictionary<Term, int>) (t: Term) : Term =
        let at (node: Term) (fallback: int) = match columns.TryGetValue node with | true, c -> column + c - 1 | _ -> fallback
        let lets = scope.Lets |> Seq.map (fun (KeyValue(k, v)) -> k, v) |> Map.ofSeq |> Map.filter (fun k _ -> not (parameters.Contains k))
        let substituted (x: Term) = Term.substitute lets x
        let rec walk (bound: Set<string>) (near: int) (t: Term) =
            let here = at t near
            match t with
            | Term.Var v ->
                if not (bound.Contains v || parameters.Contains v || scope.Lets.ContainsKey v || scope.IsDeclared v) then
                    fail line here $"the symbol '{v}' is not declared (add `symbol {v}` above)"
            | Term.Inf _ -> fail line here "inf is allowed only as a bound of an integral"
            | Term.Integral(body, x, lo, hi) ->
                walk (bound.Add x) here body
                for b in [ lo; hi ] do
                    match b with
                    | Term.Inf _ -> ()
                    | b -> walk bound here b
            | Term.Diff(body, x, _) ->
                if scope.IsDefined x && not (bound.Contains x || parameters.Contains x) then
                    fail line here $"'{x}' is a definition; diff and at need a declared symbol"
                if not (bound.Contains x || parameters.Contains x || scope.IsDeclared x) then
                    fail line here $"the variable '{x}' is not declared (add `symbol {x}` above)"
                walk bound here body
            | Term.At(body, x, value) ->
                // at(f, x, v) evaluates f at x = v: inside f, x stands for that value (a defined function's
                // parameter substituted into a diff arrives this way).
                if scope.IsDefined x && not (bound.Contains x || parameters.Contains x) then
                    fail line here $"'{x}' is a definition; diff and at need a declared symbol"
                walk (bound.Add x) here body
                walk bound here value
            | Term.Div(_, d) ->
                for (c, b) in Term.childrenWithBinders t do walk (Set.union bound (Set.ofList b)) here c
                if Set.intersect (Term.freeVariables d) (Set.union bound parameters) |> Set.isEmpty && isZeroConstant (substituted d) then
                    let shown = match columns.TryGetValue d with | true, c -> column + c - 1 | _ -> here
                    fail line shown "division by zero: this divisor is the constant 0"
            | Term.Pow(b, e) ->
                for (c, bs) in Term.childrenWithBinders t do walk (Set.union bound (Set.ofList bs)) here c
                let closed x = Set.intersect (Term.freeVariables x) (Set.union bound parameters) |> Set.isEmpty
                if closed b && closed e && isZeroConstant (substituted b) then
                    match e with
                    | Term.Neg _ -> fail line here "0 raised to a negative power"
                    | Term.Num r when r.Sign < 0 -> fail line here "0 raised to a negative power"
                    | _ -> ()
            | t -> for (c, b) in Term.childrenWithBinders t do walk (Set.union bound (Set.ofList b)) here c
        walk Set.empty column t
        substituted t

    /// Parses an expression chain at 1-based `column` of `line`; errors carry file positions.
    let private chain (scope: Scope) (line: int) (column: int) (text: string) =
        if String.IsNullOrWhiteSpace text then fail line column "an expression is missing here"
        let functions = scope.Functions |> Seq.map (fun (KeyValue(k, v)) -> k, v) |> Map.ofSeq
        match TermParser.tryParseChain functions text with
        | Result.Ok c -> c
        | Result.Error e ->
            let why = match e.Message.IndexOf "Expecting:" with -1 -> e.Message | i -> e.Message.Substring i
            fail line (if e.Line = 1 then column + e.Column - 1 else e.Column) $"cannot read the expression: {why}"

    /// Reads `symbol NAME[: [integer,] ASSUMPTION]`.
    let private symbolLine (scope: Scope) (lineNo: int) (column: int) (body: string) =
        let rest, _ = splitComment (body.Substring 7)
        let restColumn = column + 7
        let name, assumption, assumptionColumn =
            match rest.IndexOf ':' with
            | -1 -> rest.Trim(), None, 0
            | i -> rest.Substring(0, i).Trim(), Some(rest.Substring(i + 1)), restColumn + i + 1
        if not (isIdentifier name) then fail lineNo restColumn $"'{name}' is not a valid symbol name"
        if TermParser.reserved.Contains name then fail lineNo restColumn $"'{name}' is a reserved name"
        if scope.IsDeclared name || scope.IsDefined name then fail lineNo restColumn $"'{name}' is declared twice"
        // An `integer` marker, alone or before a comma.
        let isInteger, assumption, assumptionColumn =
            match assumption with
            | Some a when a.Trim() = "integer" -> true, None, assumptionColumn
            | Some a when a.TrimStart().StartsWith "integer," ->
                let skip = a.IndexOf ',' + 1
                true, Some(a.Substring skip), assumptionColumn + skip
            | a -> false, a, assumptionColumn
        let lower, upper =
            match assumption with
            | None -> None, None
            | Some c ->
                let leading = c.Length - c.TrimStart().Length
                let parsed = chain scope lineNo (assumptionColumn + leading) (c.Trim())
                let bound (t: Term) =
                    if not (Term.freeVariables t).IsEmpty then fail lineNo assumptionColumn "a bound must be a constant (numbers, pi, e, functions of them)"
                    let resolved = Term.substitute (scope.Lets |> Seq.map (fun (KeyValue(k, v)) -> k, v) |> Map.ofSeq) t
                    let session = PointEvaluation.pointSession { Precision = 128; Limits = CheckLimits.defaults; Budget = WorkBudget(5.0); Cache = PointCache() }
                    try TermLowering.lowerTerm session resolved
                    with _ -> fail lineNo assumptionColumn "a bound must be a constant the engine can evaluate"
                let isName (t: Term) = (match t with Term.Var v -> v = name | _ -> false)
                let less (r: Relation) = r = Relation.Less || r = Relation.LessEqual
                let greater (r: Relation) = r = Relation.Greater || r = Relation.GreaterEqual
                let strict (r: Relation) = r = Relation.Less || r = Relation.Greater
                let b (t: Term) (r: Relation) = { Value = bound t; Strict = strict r }
                match parsed.Leading, parsed.Terms, parsed.Relations with
                | None, [ lo; n; hi ], [ o1; o2 ] when isName n && less o1 && less o2 -> Some(b lo o1), Some(b hi o2)
                | None, [ hi; n; lo ], [ o1; o2 ] when isName n && greater o1 && greater o2 -> Some(b lo o2), Some(b hi o1)
                | None, [ n; x ], [ o ] when isName n && less o -> None, Some(b x o)
                | None, [ n; x ], [ o ] when isName n && greater o -> Some(b x o), None
                | None, [ x; n ], [ o ] when isName n && less o -> Some(b x o), None
                | None, [ x; n ], [ o ] when isName n && greater o -> None, Some(b x o)
                | _ -> fail lineNo assumptionColumn $"expected an assumption like `0 < {name} < 1`, `{name} > 0`, `{name} <= pi` or `integer, 0 <= {name} <= 30`"
        let declaration = { Name = name; Lower = lower; Upper = upper; Integer = isInteger; Line = lineNo }
        let where = assumptionColumn + (match assumption with Some a -> a.Length - a.TrimStart().Length | None -> 0)
        match Domain.emptiness declaration with
        | Emptiness.Empty why -> fail lineNo where $"the assumption on '{name}' describes an empty interval ({why})"
        | Emptiness.Undecidable why -> fail lineNo where $"cannot tell whether the assumption on '{name}' describes an empty interval ({why})"
        | Emptiness.NonEmpty ->
            match Domain.range declaration with
            | Result.Error why -> fail lineNo where $"the assumption on '{name}' cannot be used: {why}"
            | Result.Ok _ -> scope.Symbols.Add declaration

    /// Reads `let NAME = EXPRESSION` or `let NAME(p, q) = EXPRESSION`.
    let private letLine (scope: Scope) (lineNo: int) (column: int) (body: string) =
        let rest, _ = splitComment (body.Substring 4)
        match rest.IndexOf '=' with
        | -1 -> fail lineNo (column + 4) "expected `let NAME = EXPRESSION`"
        | i ->
            let head = rest.Substring(0, i).Trim()
            let name, parameters =
                match head.IndexOf '(' with
                | -1 -> head, []
                | j when head.EndsWith ")" ->
                    head.Substring(0, j).Trim(), head.Substring(j + 1, head.Length - j - 2).Split(',') |> Array.map (fun p -> p.Trim()) |> List.ofArray
                | _ -> fail lineNo (column + 4) "expected `let NAME(PARAMETERS) = EXPRESSION`"
            if not (isIdentifier name) || TermParser.reserved.Contains name then fail lineNo (column + 4) $"'{name}' cannot be defined"
            if scope.IsDeclared name || scope.IsDefined name then fail lineNo (column + 4) $"'{name}' is declared twice"
            for p in parameters do
                if not (isIdentifier p) || TermParser.reserved.Contains p then fail lineNo (column + 4) $"'{p}' cannot be a parameter"
            if (List.distinct parameters).Length <> parameters.Length then fail lineNo (column + 4) "a parameter is named twice"
            let valueColumn = column + 4 + i + 1
            let text = rest.Substring(i + 1)
            let parsed = chain scope lineNo valueColumn text
            match parsed.Leading, parsed.Terms with
            | None, [ value ] ->
                let lead = valueColumn + (text.Length - text.TrimStart().Length)
                let resolved = resolve scope lineNo lead (Set.ofList parameters) parsed.Columns value
                if parameters.IsEmpty then scope.Lets[name] <- resolved
                else scope.Functions[name] <- { Parameters = parameters; Body = resolved }
            | _ -> fail lineNo valueColumn "a definition is one expression, not a relation"

    let parse (text: string) : DerivationFile =
        // Line ends as any system writes them: \r\n, \n, or a lone \r (classic Mac OS).
        let lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n')
        // A keyword is followed by white space of any kind (`symbol<TAB>x` is `symbol x`).
        let keyword (body: string) (word: string) = body.Length > word.Length && body.StartsWith word && Char.IsWhiteSpace body[word.Length]
        let mutable title = None
        let scope = { Symbols = List(); Lets = Dictionary(); Functions = Dictionary() }
        let steps = List<DerivationStep>()
        let mutable previous : Term option = None
        for index in 0 .. lines.Length - 1 do
            let lineNo = index + 1
            let raw = lines[index]
            let indent = raw.Length - raw.TrimStart().Length
            let body = raw.Trim()
            let column = indent + 1
            if body = "" || body.StartsWith "#" then ()
            elif body.StartsWith "title:" then title <- Some(body.Substring(6).Trim())
            elif keyword body "symbol" then symbolLine scope lineNo column body
            elif keyword body "let" then letLine scope lineNo column body
            else
                let claim, justification = splitComment body
                let derivative, claim, claimColumn =
                    if keyword claim "derivative" then
                        match claim.IndexOf ':' with
                        | -1 -> fail lineNo column "expected `derivative VAR: EXPRESSION = EXPRESSION`"
                        | i ->
                            let v = claim.Substring(11, i - 11).Trim()
                            if not (scope.IsDeclared v) then fail lineNo (column + 11) $"the variable '{v}' is not a declared symbol"
                            Some v, claim.Substring(i + 1), column + i + 1
                    else None, claim, column
                let trimmed = claim.TrimStart()
                let lead = claimColumn + (claim.Length - trimmed.Length)
                let parsed = chain scope lineNo lead trimmed
                let terms = parsed.Terms |> List.map (resolve scope lineNo lead Set.empty parsed.Columns)
                let record lhs relation rhs =
                    let lhs = match derivative with Some v -> Term.Diff(lhs, v, 1) | None -> lhs
                    steps.Add { Line = lineNo; Lhs = lhs; Rhs = rhs; Relation = relation; Derivative = derivative; Justification = justification; Text = body }
                    previous <- Some rhs
                match parsed.Leading, terms, parsed.Relations with
                | Some relation, first :: rest, relations ->
                    if derivative.IsSome then fail lineNo lead "a derivative step cannot continue a chain"
                    match previous with
                    | None -> fail lineNo lead $"a chain step `{relation.Symbol} …` needs an expression before it"
                    | Some lhs ->
                        record lhs relation first
                        List.zip relations rest |> List.fold (fun l (r, t) -> record l r t; t) first |> ignore
                | None, [ single ], [] ->
                    if derivative.IsSome then fail lineNo lead "expected `derivative VAR: EXPRESSION = EXPRESSION`"
                    previous <- Some single
                | None, first :: rest, relations ->
                    if derivative.IsSome && (relations.Length <> 1 || relations.Head <> Relation.Equal) then
                        fail lineNo lead "expected `derivative VAR: EXPRESSION = EXPRESSION`"
                    List.zip relations rest |> List.fold (fun l (r, t) -> record l r t; t) first |> ignore
                | _ -> fail lineNo lead "expected a step"
        if steps.Count = 0 then fail lines.Length 1 "the file has no step to check (a line `LHS = RHS` or `= RHS`)"
        { Title = title; Symbols = List.ofSeq scope.Symbols; Steps = List.ofSeq steps }
