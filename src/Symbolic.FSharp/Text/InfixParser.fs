namespace FimVerify.Symbolic

open FParsec

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
    let maxDecimalExponent = ParserSupport.maxDecimalExponent

    /// An exact rational from decimal notation (ParserSupport.decimal).
    let private number : Parser<Expression, unit> = ParserSupport.decimal |>> Expression.number

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
            | Failure(message, error, _) -> Result.Error(ParserSupport.error message error)
        with
        | :? System.DivideByZeroException as ex -> Result.Error { Line = 1; Column = 1; Message = ex.Message }
        // An expression the engine refuses to build (an exponent beyond Expression.maxExponent) is a parse error with a reason.
        | :? System.ArgumentException as ex -> Result.Error { Line = 1; Column = 1; Message = ex.Message }

    /// Parses infix text; throws InfixParseException with line and column on malformed input.
    let parse (text: string) : Expression =
        match tryParse text with
        | Result.Ok x -> x
        | Result.Error e -> raise (InfixParseException e)
