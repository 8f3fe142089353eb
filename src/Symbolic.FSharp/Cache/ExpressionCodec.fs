namespace FimVerify.Symbolic

open System
open System.Numerics
open System.Text

/// A compact exact text form of expressions and strings for the derivation cache: prefix order, one token per node, rationals
/// as num/den in decimal, strings length-prefixed (any character). Decoding rebuilds the same canonical tree node by node (the
/// union cases directly, not the smart constructors: the tree was canonical when it was written), so a decoded expression is
/// structurally equal to the one encoded.
[<RequireQualifiedAccess>]
module ExpressionCodec =
    let private functionCode f =
        match f with
        | Exp -> 'e' | Log -> 'l' | Sin -> 's' | Cos -> 'c' | Arcsin -> 'S' | Arccos -> 'C' | Arctan -> 'T' | Erf -> 'f'

    let private functionOf (c: char) =
        match c with
        | 'e' -> Exp | 'l' -> Log | 's' -> Sin | 'c' -> Cos | 'S' -> Arcsin | 'C' -> Arccos | 'T' -> Arctan | 'f' -> Erf
        | _ -> raise (FormatException $"unknown function code '{c}'")

    /// Appends a string as its length, ':' and its characters.
    let writeString (sb: StringBuilder) (s: string) = sb.Append(s.Length).Append(':').Append(s) |> ignore

    let rec write (sb: StringBuilder) (x: Expression) =
        match x with
        | Number r -> sb.Append('n').Append(r.Num.ToString()).Append('/').Append(r.Den.ToString()).Append(' ') |> ignore
        | Symbol s -> sb.Append('y') |> ignore; writeString sb s
        | Constant Pi -> sb.Append('p') |> ignore
        | Constant E -> sb.Append('E') |> ignore
        | Sum ts -> sb.Append('+').Append(ts.Length).Append(' ') |> ignore; ts |> List.iter (write sb)
        | Product fs -> sb.Append('*').Append(fs.Length).Append(' ') |> ignore; fs |> List.iter (write sb)
        | Power(b, e) -> sb.Append('^') |> ignore; write sb b; write sb e
        | Apply(f, a) -> sb.Append('a').Append(functionCode f) |> ignore; write sb a

    /// A cursor over encoded text.
    type Reader(text: string) =
        let mutable position = 0
        member _.AtEnd = position >= text.Length
        member _.Next() =
            if position >= text.Length then raise (FormatException "the encoded text ends early")
            let c = text[position]
            position <- position + 1
            c
        /// Characters up to (not including) the terminator, which is consumed.
        member r.Until(terminator: char) =
            let stop = text.IndexOf(terminator, position)
            if stop < 0 then raise (FormatException $"missing '{terminator}'")
            let s = text.Substring(position, stop - position)
            position <- stop + 1
            s
        member r.ReadString() =
            let length = Int32.Parse(r.Until ':')
            if length < 0 || position + length > text.Length then raise (FormatException "a string runs past the end")
            let s = text.Substring(position, length)
            position <- position + length
            s
        member r.ReadInt() = Int32.Parse(r.Until ' ')

    let rec read (r: Reader) : Expression =
        match r.Next() with
        | 'n' ->
            let num = BigInteger.Parse(r.Until '/')
            let den = BigInteger.Parse(r.Until ' ')
            if den.Sign <= 0 then raise (FormatException "a denominator must be positive")
            Number(Rational(num, den))
        | 'y' -> Symbol(r.ReadString())
        | 'p' -> Constant Pi
        | 'E' -> Constant E
        | '+' -> let n = r.ReadInt() in Sum [ for _ in 1 .. n -> read r ]
        | '*' -> let n = r.ReadInt() in Product [ for _ in 1 .. n -> read r ]
        | '^' -> let b = read r in Power(b, read r)
        | 'a' -> let f = functionOf (r.Next()) in Apply(f, read r)
        | c -> raise (FormatException $"unknown node code '{c}'")

    let encode (x: Expression) =
        let sb = StringBuilder()
        write sb x
        sb.ToString()

    let decode (text: string) = read (Reader text)
