namespace FimVerify.Symbolic

open FParsec

/// Where and why infix text failed to parse (line and column are 1-based).
type ParseError =
    { Line: int
      Column: int
      Message: string }
    override e.ToString() = $"line {e.Line}, column {e.Column}: {e.Message}"

exception InfixParseException of ParseError

/// Infix text → canonical Expression. Accepts what `Infix.format` prints and the usual hand-written forms:
/// `+ - * / ^` (^ binds tightest and is right associative, unary minus binds looser than ^), integers and
/// decimals (read as exact rationals), `pi`, `e`, `sqrt(x)`, exp, log, sin, cos, arcsin, arccos, arctan, erf.
/// Any other identifier (letters, digits, `_`, `'`) is a symbol.
[<RequireQualifiedAccess>]
module InfixParser =
    let private ws = spaces
    let private token (s: string) = skipString s .>> ws

    /// Largest |k| of a decimal exponent `e±k`: 10^k is formed exactly, so an absurd exponent must not exhaust memory.
    let maxDecimalExponent = 10_000

    /// An exact rational from decimal notation: 12, 1.5, 2.5e-3, 1E6 (the exponent only where digits follow the e,
    /// so the constant e is never swallowed: `2*e` is still two times e).
    let private number : Parser<Expression, unit> =
        let digits = many1Satisfy isDigit
        let exponent =
            attempt (anyOf "eE" >>. opt (anyOf "+-") .>>. digits)
            >>= fun (sign, k) ->
                match System.Int32.TryParse k with
                | true, n when n <= maxDecimalExponent -> preturn (if sign = Some '-' then -n else n)
                | _ -> fail $"a decimal exponent must lie between -{maxDecimalExponent} and {maxDecimalExponent}"
        // "5." is 5, as in most languages (it used to fail with FParsec's "Unknown Error(s)").
        digits .>>. opt (pchar '.' >>. manySatisfy isDigit) .>>. opt exponent .>> ws
        |>> fun ((whole, fraction), power) ->
            let ten k = System.Numerics.BigInteger.Pow(System.Numerics.BigInteger 10, k)
            let mantissa =
                match fraction with
                | None | Some "" -> Rational.ofBigInt (System.Numerics.BigInteger.Parse whole)
                | Some f -> Rational(System.Numerics.BigInteger.Parse(whole + f), ten f.Length)
            match power with
            | None | Some 0 -> Expression.number mantissa
            | Some k when k > 0 -> Expression.number (mantissa * Rational.ofBigInt (ten k))
            | Some k -> Expression.number (mantissa / Rational.ofBigInt (ten -k))

    let private identifier : Parser<string, unit> =
        many1Satisfy2L isLetter (fun c -> isLetter c || isDigit c || c = '_' || c = '\'') "identifier" .>> ws

    let private expression, expressionRef = createParserForwardedToRef<Expression, unit> ()

    let private functionByName =
        Expression.functions |> List.map (fun f -> Expression.name f, Expression.apply f) |> Map.ofList
        |> Map.add "sqrt" Expression.sqrt

    let private atom : Parser<Expression, unit> =
        let parenthesised = between (token "(") (token ")") expression
        let named =
            identifier >>= fun name ->
                match functionByName.TryFind name, name with
                | Some f, _ -> parenthesised |>> f
                | None, "pi" -> preturn Expression.pi
                | None, "e" -> preturn Expression.e
                | None, s -> preturn (Expression.symbol s)
        choiceL [ number; parenthesised; named ] "a number, a name or '('"

    let private unary, unaryRef = createParserForwardedToRef<Expression, unit> ()

    let private power : Parser<Expression, unit> =
        atom .>>. opt (token "^" >>. unary) |>> fun (b, e) -> match e with Some e -> Expression.pow b e | None -> b

    do unaryRef.Value <- (token "-" >>. unary |>> Expression.neg) <|> power

    let private term =
        let op = (token "*" >>% (fun a b -> Expression.mul [ a; b ])) <|> (token "/" >>% Expression.div)
        chainl1 unary op

    do expressionRef.Value <-
        let op = (token "+" >>% (fun a b -> Expression.add [ a; b ])) <|> (token "-" >>% Expression.sub)
        chainl1 term op

    let private whole = ws >>. expression .>> eof

    /// Parses infix text, or says where it went wrong.
    let tryParse (text: string) : Result<Expression, ParseError> =
        try
            match run whole text with
            | Success(x, _, _) -> Result.Ok x
            | Failure(message, error, _) ->
                // FParsec's message is "Error in Ln: … Col: …", the source line, a caret line, then the reasons.
                let lines = message.Split('\n')
                let caret = lines |> Array.tryFindIndex (fun l -> l.Trim() = "^")
                let reasons = match caret with Some i -> lines[i + 1 ..] | None -> lines[1..]
                let detail = reasons |> Array.map (fun l -> l.Trim()) |> Array.filter (fun l -> l <> "") |> String.concat " "
                Result.Error { Line = int error.Position.Line; Column = int error.Position.Column; Message = detail.Trim() }
        with
        | :? System.DivideByZeroException as ex -> Result.Error { Line = 1; Column = 1; Message = ex.Message }
        // An expression the engine refuses to build (an exponent beyond Expression.maxExponent) is a parse error with a reason.
        | :? System.ArgumentException as ex -> Result.Error { Line = 1; Column = 1; Message = ex.Message }

    /// Parses infix text; throws InfixParseException with line and column on malformed input.
    let parse (text: string) : Expression =
        match tryParse text with
        | Result.Ok x -> x
        | Result.Error e -> raise (InfixParseException e)
