namespace FimVerify.Symbolic

open System

/// One side of an assumption `lo < x < hi`: a constant expression and whether the inequality is strict.
type Bound =
    { Value: Expression
      Strict: bool }

/// `symbol NAME` or `symbol NAME: lo < NAME < hi` (either side may be missing; `<=` allowed).
type SymbolDeclaration =
    { Name: string
      Lower: Bound option
      Upper: Bound option
      Line: int }

/// One claimed equality. With `Derivative = Some v` the claim is d(Lhs)/dv = Rhs.
type DerivationStep =
    { Line: int
      Lhs: Expression
      Rhs: Expression
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

    let private reserved = Set.ofList ([ "pi"; "e"; "sqrt" ] @ (Expression.functions |> List.map Expression.name))

    let private isIdentifier (s: string) =
        s.Length > 0 && Char.IsLetter s[0] && s |> Seq.forall (fun c -> Char.IsLetterOrDigit c || c = '_' || c = '\'')

    /// Splits `text # justification` (the first '#').
    let private splitComment (text: string) =
        match text.IndexOf '#' with
        | -1 -> text, None
        | i -> text.Substring(0, i), Some(text.Substring(i + 1).Trim())

    /// Parses an infix expression that starts at 1-based `column` of `line`; errors carry file positions.
    let private expression (line: int) (column: int) (text: string) =
        if String.IsNullOrWhiteSpace text then fail line column "an expression is missing here"
        match InfixParser.tryParse text with
        | Ok x -> x
        | Error e ->
            let why = match e.Message.IndexOf "Expecting:" with -1 -> e.Message | i -> e.Message.Substring i
            fail line (if e.Line = 1 then column + e.Column - 1 else e.Column) $"cannot read the expression: {why}"

    let parse (text: string) : DerivationFile =
        // Line ends as any system writes them: \r\n, \n, or a lone \r (classic Mac OS).
        let lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n')
        // A keyword is followed by white space of any kind (`symbol<TAB>x` is `symbol x`).
        let keyword (body: string) (word: string) = body.Length > word.Length && body.StartsWith word && Char.IsWhiteSpace body[word.Length]
        let mutable title = None
        let symbols = Collections.Generic.List<SymbolDeclaration>()
        let definitions = Collections.Generic.List<string * Expression>()
        let steps = Collections.Generic.List<DerivationStep>()
        let mutable previous : Expression option = None
        // Replaces defined names by their (already expanded) definitions, then checks every symbol is declared.
        let resolve (line: int) (column: int) (source: string) (x: Expression) =
            let bound = definitions |> Seq.fold (fun acc (name, value) -> Substitute.one name value acc) x
            for s in Expression.symbols bound do
                if not (symbols |> Seq.exists (fun d -> d.Name = s)) then
                    let at = source.IndexOf(s, StringComparison.Ordinal)
                    fail line (if at >= 0 then column + at else column) $"the symbol '{s}' is not declared (add `symbol {s}` above)"
            bound
        let parseExpression line column (source: string) = expression line column source |> resolve line column source
        for index in 0 .. lines.Length - 1 do
            let lineNo = index + 1
            let raw = lines[index]
            let indent = raw.Length - raw.TrimStart().Length
            let body = raw.Trim()
            let column = indent + 1
            if body = "" || body.StartsWith "#" then ()
            elif body.StartsWith "title:" then title <- Some(body.Substring(6).Trim())
            elif keyword body "symbol" then
                let rest, _ = splitComment (body.Substring 7)
                let restColumn = column + 7
                let name, assumption, assumptionColumn =
                    match rest.IndexOf ':' with
                    | -1 -> rest.Trim(), None, 0
                    | i -> rest.Substring(0, i).Trim(), Some(rest.Substring(i + 1)), restColumn + i + 1
                if not (isIdentifier name) then fail lineNo restColumn $"'{name}' is not a valid symbol name"
                if reserved.Contains name then fail lineNo restColumn $"'{name}' is a reserved name"
                if symbols |> Seq.exists (fun d -> d.Name = name) || definitions |> Seq.exists (fun (n, _) -> n = name) then
                    fail lineNo restColumn $"'{name}' is declared twice"
                let lower, upper =
                    match assumption with
                    | None -> None, None
                    | Some c ->
                        // Split at the relational operators, remembering each part's column.
                        let parts = Collections.Generic.List<string * int>()
                        let ops = Collections.Generic.List<string>()
                        let mutable start = 0
                        let mutable i = 0
                        while i < c.Length do
                            if c[i] = '<' || c[i] = '>' then
                                let op = if i + 1 < c.Length && c[i + 1] = '=' then c.Substring(i, 2) else c.Substring(i, 1)
                                parts.Add(c.Substring(start, i - start), start)
                                ops.Add op
                                i <- i + op.Length
                                start <- i
                            else i <- i + 1
                        parts.Add(c.Substring start, start)
                        let bound (part: string, at: int) =
                            let x = expression lineNo (assumptionColumn + at + (part.Length - part.TrimStart().Length)) (part.Trim())
                            if not (Expression.symbols x).IsEmpty then fail lineNo (assumptionColumn + at) "a bound must be a constant (numbers, pi, e, functions of them)"
                            x
                        let isName (part: string, _) = part.Trim() = name
                        let less (op: string) = op.StartsWith "<"
                        let strict (op: string) = not (op.EndsWith "=")
                        match List.ofSeq parts, List.ofSeq ops with
                        | [ lo; n; hi ], [ o1; o2 ] when isName n && less o1 && less o2 ->
                            Some { Value = bound lo; Strict = strict o1 }, Some { Value = bound hi; Strict = strict o2 }
                        | [ lo; n; hi ], [ o1; o2 ] when isName n && not (less o1) && not (less o2) ->
                            Some { Value = bound hi; Strict = strict o2 }, Some { Value = bound lo; Strict = strict o1 }
                        | [ n; x ], [ o ] when isName n -> if less o then None, Some { Value = bound x; Strict = strict o } else Some { Value = bound x; Strict = strict o }, None
                        | [ x; n ], [ o ] when isName n -> if less o then Some { Value = bound x; Strict = strict o }, None else None, Some { Value = bound x; Strict = strict o }
                        | _ -> fail lineNo assumptionColumn $"expected an assumption like `0 < {name} < 1`, `{name} > 0` or `{name} <= pi`"
                match lower, upper with
                | Some lo, Some hi ->
                    // An empty interval would leave no point to test at: say so rather than decide vacuously.
                    let l, h = Floating.evaluate Map.empty lo.Value, Floating.evaluate Map.empty hi.Value
                    if not (l < h || (l = h && not lo.Strict && not hi.Strict)) then
                        let text = defaultArg assumption ""
                        fail lineNo (assumptionColumn + text.Length - text.TrimStart().Length) $"the assumption on '{name}' describes an empty interval (lower bound {l} is not below the upper bound {h})"
                | _ -> ()
                symbols.Add { Name = name; Lower = lower; Upper = upper; Line = lineNo }
            elif keyword body "let" then
                let rest, _ = splitComment (body.Substring 4)
                match rest.IndexOf '=' with
                | -1 -> fail lineNo (column + 4) "expected `let NAME = EXPRESSION`"
                | i ->
                    let name = rest.Substring(0, i).Trim()
                    if not (isIdentifier name) || reserved.Contains name then fail lineNo (column + 4) $"'{name}' cannot be defined"
                    if symbols |> Seq.exists (fun d -> d.Name = name) || definitions |> Seq.exists (fun (n, _) -> n = name) then
                        fail lineNo (column + 4) $"'{name}' is declared twice"
                    let value = parseExpression lineNo (column + 4 + i + 1) (rest.Substring(i + 1))
                    definitions.Add(name, value)
            else
                let claim, justification = splitComment body
                let derivative, claim, claimColumn =
                    if keyword claim "derivative" then
                        match claim.IndexOf ':' with
                        | -1 -> fail lineNo column "expected `derivative VAR: EXPRESSION = EXPRESSION`"
                        | i ->
                            let v = claim.Substring(11, i - 11).Trim()
                            if not (symbols |> Seq.exists (fun d -> d.Name = v)) then fail lineNo (column + 11) $"the variable '{v}' is not a declared symbol"
                            Some v, claim.Substring(i + 1), column + i + 1
                    else None, claim, column
                let record lhs rhs =
                    steps.Add { Line = lineNo; Lhs = lhs; Rhs = rhs; Derivative = derivative; Justification = justification; Text = body }
                    previous <- Some rhs
                let trimmed = claim.TrimStart()
                let lead = claimColumn + (claim.Length - trimmed.Length)
                if trimmed.StartsWith "=" then
                    if derivative.IsSome then fail lineNo lead "a derivative step cannot continue a chain"
                    match previous with
                    | None -> fail lineNo lead "a chain step `= …` needs an expression before it"
                    | Some lhs -> record lhs (parseExpression lineNo (lead + 1) (trimmed.Substring 1))
                else
                    match trimmed.IndexOf '=' with
                    | -1 ->
                        if derivative.IsSome then fail lineNo lead "expected `derivative VAR: EXPRESSION = EXPRESSION`"
                        previous <- Some(parseExpression lineNo lead trimmed)
                    | i ->
                        let lhs = parseExpression lineNo lead (trimmed.Substring(0, i))
                        let rhs = parseExpression lineNo (lead + i + 1) (trimmed.Substring(i + 1))
                        record lhs rhs
        if steps.Count = 0 then fail (lines.Length) 1 "the file has no step to check (a line `LHS = RHS` or `= RHS`)"
        { Title = title; Symbols = List.ofSeq symbols; Steps = List.ofSeq steps }
