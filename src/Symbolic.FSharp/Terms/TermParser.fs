namespace FimVerify.Symbolic

open System.Collections.Generic
open FParsec

/// A relation between two sides of a step.
[<RequireQualifiedAccess>]
type Relation =
    | Equal
    | Less
    | LessEqual
    | Greater
    | GreaterEqual

    member r.Symbol =
        match r with
        | Equal -> "="
        | Less -> "<"
        | LessEqual -> "<="
        | Greater -> ">"
        | GreaterEqual -> ">="

/// A function defined in a derivation file (`let f(x, y) = …`): its parameters and body.
type FunctionDefinition =
    { Parameters: string list
      Body: Term }

/// Terms joined by relations (`a < x <= b`, `lhs = rhs`, or a lone `<= rhs`), with the 1-based column of nodes that
/// error messages point at (variables, quotients, powers, calls), keyed by node identity.
type ParsedChain =
    { Terms: Term list
      Relations: Relation list
      /// A relation before the first term (a chain continuation such as `<= rhs`).
      Leading: Relation option
      Columns: IReadOnlyDictionary<Term, int> }

/// Infix text → Term, the derivation language: `+ - * / ^` as in InfixParser (^ right associative and tighter than
/// unary minus), decimals as exact rationals, `pi`, `e`, `inf`, the functions of `Head`, the binding forms `gauss`,
/// `gauss2`, `integral`, `sum`, `product`, and `diff`, `at`; calls of functions defined in the file are expanded.
/// Nesting deeper than `maxNesting` is refused (so no input can exhaust the stack).
[<RequireQualifiedAccess>]
module TermParser =
    /// Deepest nesting of parentheses, calls, unary minus and powers accepted in one expression.
    let maxNesting = 200

    let binderNames = set [ "gauss"; "gauss2"; "integral"; "sum"; "product"; "diff"; "at" ]

    /// Names that cannot be symbols: constants, functions, binding forms.
    let reserved = Set.unionMany [ set [ "pi"; "e"; "inf" ]; binderNames; Head.byName |> Map.keys |> Set.ofSeq ]

    type internal State(functions: Map<string, FunctionDefinition>) =
        member val Depth = 0 with get, set
        member val Columns = Dictionary<Term, int>(HashIdentity.Reference)
        member _.Functions = functions

    type internal P<'a> = Parser<'a, State>

    let private ws : P<unit> = spaces
    let private token (s: string) : P<unit> = skipString s .>> ws

    /// Runs p one level deeper, refusing nesting beyond maxNesting.
    let private nested (p: P<'a>) : P<'a> =
        fun stream ->
            let state = stream.UserState
            if state.Depth >= maxNesting then
                Reply(Error, messageError $"the expression is nested more than {maxNesting} levels deep")
            else
                state.Depth <- state.Depth + 1
                let reply = p stream
                state.Depth <- state.Depth - 1
                reply

    /// Records the column where `p` started for the node it returns.
    let private located (p: P<Term>) : P<Term> =
        fun stream ->
            let column = int stream.Column
            let reply = p stream
            if reply.Status = Ok then stream.UserState.Columns[reply.Result] <- column
            reply

    let private identifier : P<string> =
        many1Satisfy2L isLetter (fun c -> isLetter c || isDigit c || c = '_' || c = '\'') "a name" .>> ws

    let private expressionPair = createParserForwardedToRef<Term, State> ()
    let private expression = fst expressionPair
    let private expressionRef = snd expressionPair

    let private argument = nested expression

    let private comma = token ","

    let private boundName : P<string> =
        identifier >>= fun n -> if reserved.Contains n then fail $"'{n}' is a reserved name and cannot be a variable" else preturn n

    let private order : P<int> =
        many1Satisfy isDigit .>> ws >>= fun s ->
            match System.Int32.TryParse s with
            | true, n when n >= 1 && n <= 20 -> preturn n
            | _ -> fail "the order of a derivative must be a whole number from 1 to 20"

    let private call (name: string) : P<Term> =
        let args p = between (token "(") (token ")") p
        match name with
        | "gauss" -> args (pipe4 (argument .>> comma) (boundName .>> comma) (argument .>> comma) argument (fun b z m v -> Term.Gauss(b, z, m, v)))
        | "gauss2" ->
            args (tuple3 (argument .>> comma) (boundName .>> comma) (boundName .>> comma) .>>. tuple3 (argument .>> comma) (argument .>> comma) argument)
            >>= fun ((b, u, w), (a, c12, c)) ->
                if u = w then fail "gauss2 needs two different variables" else preturn (Term.Gauss2(b, u, w, a, c12, c))
        | "integral" -> args (pipe4 (argument .>> comma) (boundName .>> comma) (argument .>> comma) argument (fun b x lo hi -> Term.Integral(b, x, lo, hi)))
        | "sum" -> args (pipe4 (argument .>> comma) (boundName .>> comma) (argument .>> comma) argument (fun b x lo hi -> Term.SumOf(b, x, lo, hi)))
        | "product" -> args (pipe4 (argument .>> comma) (boundName .>> comma) (argument .>> comma) argument (fun b x lo hi -> Term.ProductOf(b, x, lo, hi)))
        | "diff" -> args (pipe3 (argument .>> comma) boundName (opt (comma >>. order)) (fun b x n -> Term.Diff(b, x, defaultArg n 1)))
        | "at" -> args (pipe3 (argument .>> comma) (boundName .>> comma) argument (fun b x v -> Term.At(b, x, v)))
        | _ ->
            match Head.byName.TryFind name with
            | Some(head, arity) ->
                args (sepBy1 argument comma) >>= fun xs ->
                    if xs.Length <> arity then fail $"{name} takes {arity} argument(s), not {xs.Length}"
                    else preturn (Term.Call(head, xs))
            | None ->
                fun stream ->
                    match stream.UserState.Functions.TryFind name with
                    | Some f ->
                        let reply = args (sepBy1 argument comma) stream
                        if reply.Status <> Ok then Reply(reply.Status, reply.Error)
                        elif reply.Result.Length <> f.Parameters.Length then
                            Reply(Error, messageError $"{name} takes {f.Parameters.Length} argument(s), not {reply.Result.Length}")
                        else Reply(Term.substitute (List.zip f.Parameters reply.Result |> Map.ofList) f.Body)
                    | None -> Reply(Error, messageError $"'{name}' is not a function (the functions are listed in docs/derivation-files.md)")

    let private atom : P<Term> =
        let number = ParserSupport.decimal |>> Term.Num
        let parenthesised = between (token "(") (token ")") argument
        let named =
            identifier >>= fun name ->
                let isCall = followedBy (skipChar '(')
                (isCall >>. call name)
                <|> (match name with
                     | "pi" -> preturn Term.Pi
                     | "e" -> preturn Term.E
                     | "inf" -> preturn (Term.Inf 1)
                     | _ when reserved.Contains name -> fail $"'{name}' needs arguments in parentheses"
                     | _ -> preturn (Term.Var name))
        choiceL [ number; parenthesised; located named ] "a number, a name or '('"

    let private unaryPair = createParserForwardedToRef<Term, State> ()
    let private unary = fst unaryPair
    let private unaryRef = snd unaryPair

    let private power : P<Term> =
        located (atom .>>. opt (token "^" >>. nested unary) |>> fun (b, e) -> match e with Some e -> Term.Pow(b, e) | None -> b)

    do unaryRef.Value <- (token "-" >>. nested unary |>> fun t -> match t with Term.Inf s -> Term.Inf -s | t -> Term.Neg t) <|> power

    let private term : P<Term> =
        let step =
            (token "*" >>. unary |>> fun x -> true, x) <|> (located (token "/" >>. unary) |>> fun x -> false, x)
        // a*b*c stays one product (factors gathered in reverse); a/b divides everything before it.
        let build (reversed: Term list) = match reversed with [ x ] -> x | xs -> Term.Mul(List.rev xs)
        unary .>>. many step
        |>> fun (first, rest) ->
            rest |> List.fold (fun acc (times, x) -> if times then x :: acc else [ Term.Div(build acc, x) ]) [ first ] |> build

    do expressionRef.Value <-
        let step = (token "+" >>. term |>> fun x -> x) <|> (token "-" >>. term |>> Term.Neg)
        term .>>. many step |>> fun (first, rest) -> if rest.IsEmpty then first else Term.Add(first :: rest)

    let private relation : P<Relation> =
        choice [ token "<=" >>% Relation.LessEqual; token ">=" >>% Relation.GreaterEqual; token "<" >>% Relation.Less
                 token ">" >>% Relation.Greater; token "=" >>% Relation.Equal ]

    let private chain : P<Relation option * Term list * Relation list> =
        ws >>. opt relation .>>. expression .>>. many (relation .>>. expression) .>> eof
        |>> fun ((leading, first), rest) -> leading, first :: (rest |> List.map snd), rest |> List.map fst

    /// Parses `t0 rel t1 rel t2 …` (or `rel t1 …` for a continuation), with the functions defined so far.
    let tryParseChain (functions: Map<string, FunctionDefinition>) (text: string) : Result<ParsedChain, ParseError> =
        let state = State(functions)
        match runParserOnString chain state "" text with
        | Success((leading, terms, relations), _, _) ->
            // A divisor's recorded column is that of its '/', recorded last.
            Result.Ok { Terms = terms; Relations = relations; Leading = leading; Columns = state.Columns }
        | Failure(message, error, _) -> Result.Error(ParserSupport.error message error)

    /// Parses one expression (no relation).
    let tryParse (functions: Map<string, FunctionDefinition>) (text: string) : Result<Term * IReadOnlyDictionary<Term, int>, ParseError> =
        match tryParseChain functions text with
        | Result.Ok { Terms = [ t ]; Relations = []; Leading = None; Columns = columns } -> Result.Ok(t, columns)
        | Result.Ok _ -> Result.Error { Line = 1; Column = 1; Message = "expected one expression, not a relation" }
        | Result.Error e -> Result.Error e
