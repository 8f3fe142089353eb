namespace FimVerify.Symbolic

open FParsec

/// Where and why infix text failed to parse (line and column are 1-based).
type ParseError =
    { Line: int
      Column: int
      Message: string }
    override e.ToString() = $"line {e.Line}, column {e.Column}: {e.Message}"

/// Pieces shared by the infix parsers (InfixParser for canonical expressions, TermParser for the derivation language).
[<RequireQualifiedAccess>]
module ParserSupport =
    /// Largest |k| of a decimal exponent `e±k`: 10^k is formed exactly, so an absurd exponent must not exhaust memory.
    let maxDecimalExponent = 10_000

    /// An exact rational from decimal notation: 12, 1.5, 2.5e-3, 1E6 (the exponent only where digits follow the e,
    /// so the constant e is never swallowed: `2*e` is still two times e). Trailing white space is consumed.
    let decimal<'u> : Parser<Rational, 'u> =
        let digits = many1Satisfy isDigit
        let exponent =
            attempt (anyOf "eE" >>. opt (anyOf "+-") .>>. digits)
            >>= fun (sign, k) ->
                match System.Int32.TryParse k with
                | true, n when n <= maxDecimalExponent -> preturn (if sign = Some '-' then -n else n)
                | _ -> fail $"a decimal exponent must lie between -{maxDecimalExponent} and {maxDecimalExponent}"
        // "5." is 5, as in most languages.
        digits .>>. opt (pchar '.' >>. manySatisfy isDigit) .>>. opt exponent .>> spaces
        |>> fun ((whole, fraction), power) ->
            let ten k = System.Numerics.BigInteger.Pow(System.Numerics.BigInteger 10, k)
            let mantissa =
                match fraction with
                | None | Some "" -> Rational.ofBigInt (System.Numerics.BigInteger.Parse whole)
                | Some f -> Rational(System.Numerics.BigInteger.Parse(whole + f), ten f.Length)
            match power with
            | None | Some 0 -> mantissa
            | Some k when k > 0 -> mantissa * Rational.ofBigInt (ten k)
            | Some k -> mantissa / Rational.ofBigInt (ten -k)

    /// FParsec's failure as a ParseError: its message is "Error in Ln: … Col: …", the source line, a caret line, then
    /// the reasons; only the reasons are kept.
    let error (message: string) (error: FParsec.Error.ParserError) : ParseError =
        let lines = message.Split('\n')
        let caret = lines |> Array.tryFindIndex (fun l -> l.Trim() = "^")
        let reasons = match caret with Some i -> lines[i + 1 ..] | None -> lines[1..]
        let detail = reasons |> Array.map (fun l -> l.Trim()) |> Array.filter (fun l -> l <> "") |> String.concat " "
        { Line = int error.Position.Line; Column = int error.Position.Column; Message = detail.Trim() }
