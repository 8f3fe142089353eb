namespace FimVerify.Symbolic

/// Re-parseable infix text: `InfixParser.parse (Infix.format x) = x` for every canonical x.
/// Grammar of the output: + − * / ^ (right associative), sqrt(·), the functions by name, `pi`, `e`.
[<RequireQualifiedAccess>]
module Infix =
    /// Binding strength of the printed form: 1 sum, 2 product or quotient or unary minus, 3 power, 4 atom.
    type private Printed = { Text: string; Precedence: int }

    let private atom s = { Text = s; Precedence = 4 }
    let private wrap (minimum: int) (p: Printed) = if p.Precedence < minimum then $"({p.Text})" else p.Text

    let private numberText (r: Rational) =
        if r.IsInteger then { Text = string r.Num; Precedence = (if r.Sign < 0 then 2 else 4) }
        else { Text = $"{r.Num}/{r.Den}"; Precedence = 2 }

    let rec private print (x: Expression) : Printed =
        match x with
        | Number r -> numberText r
        | Symbol s -> atom s
        | Constant Pi -> atom "pi"
        | Constant E -> atom "e"
        | Apply(f, a) -> atom $"{Expression.name f}({(print a).Text})"
        | Power(b, Number h) when h = Rational.make 1 2 -> atom $"sqrt({(print b).Text})"
        | Power(_, Number r) when r.Sign < 0 -> printProduct Rational.One [ x ]
        | Power(b, e) ->
            let baseText =
                match b with
                | Number r when r.Sign < 0 || not r.IsInteger -> $"({(print b).Text})"
                | b -> wrap 4 (print b)
            let exponentText =
                match e with
                | Number r when r.IsInteger && r.Sign > 0 -> string r.Num
                | e -> wrap 4 (print e)
            { Text = $"{baseText}^{exponentText}"; Precedence = 3 }
        | Product(Number c :: fs) -> printProduct c fs
        | Product fs -> printProduct Rational.One fs
        | Sum(t :: ts) ->
            let first = print t
            let rest =
                ts
                |> List.map (fun t ->
                    if Expression.isNegative t then " - " + wrap 2 (print (Expression.neg t))
                    else " + " + wrap 2 (print t))
            { Text = wrap 1 first + String.concat "" rest; Precedence = 1 }
        | Sum [] -> numberText Rational.Zero

    /// c · Π fs as `-p*a*b/(q*c*d)`: factors with negative numeric exponents go below the line.
    and private printProduct (c: Rational) (fs: Expression list) : Printed =
        // A number times a lone sum distributes when parsed, so `2*(1 + x)*y` would come back as
        // (2 + 2x)·y; grouping the rest first (`2*((1 + x)*y)`) keeps the canonical form.
        if c <> Rational.One && fs.Length >= 2 && fs |> List.exists (function Sum _ -> true | _ -> false) then
            let rest = wrap 4 (printProduct Rational.One fs)
            let sign = if c.Sign < 0 then "-" else ""
            let numerator = if (abs c.Num).IsOne then rest else $"{abs c.Num}*{rest}"
            let text = if c.Den.IsOne then numerator else $"{numerator}/{c.Den}"
            { Text = sign + text; Precedence = 2 }
        else
            let above, below =
                fs
                |> List.fold (fun (up, down) f ->
                    match f with
                    | Power(b, Number r) when r.Sign < 0 -> up, Expression.pow b (Number(-r)) :: down
                    | f -> f :: up, down) ([], [])
            let numerator =
                (if (abs c.Num).IsOne then [] else [ string (abs c.Num) ]) @ (List.rev above |> List.map (print >> wrap 2))
            // With a sum below the line the numeric denominator is printed on its own (`x/3/(1 + y)`):
            // `x/(3*(1 + y))` would re-parse as x/(3 + 3y), since a number times a sum distributes.
            let denominator = List.rev below |> List.map print
            let top = if numerator.IsEmpty then "1" else String.concat "*" numerator
            let sumBelow = below |> List.exists (function Sum _ -> true | _ -> false)
            let overNumber = if sumBelow && not c.Den.IsOne then $"{top}/{c.Den}" else top
            let numberBelow = if sumBelow || c.Den.IsOne then [] else [ atom (string c.Den) ]
            let text =
                match numberBelow @ denominator with
                | [] -> overNumber
                | [ d ] -> $"{overNumber}/{wrap 3 d}"
                | ds -> $"""{overNumber}/({ds |> List.map (wrap 2) |> String.concat "*"})"""
            let sign = if c.Sign < 0 then "-" else ""
            let precedence = if sign = "" && denominator.IsEmpty && c.Den.IsOne && numerator.Length = 1 && fs.Length = 1 then (print fs.Head).Precedence else 2
            { Text = sign + text; Precedence = precedence }

    /// The infix text of an expression.
    let format (x: Expression) : string = (print x).Text
