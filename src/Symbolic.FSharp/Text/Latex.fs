namespace FimVerify.Symbolic

/// LaTeX for documents: \frac for quotients, \sqrt, \pi, \operatorname{erf}, \left( \right) around arguments.
[<RequireQualifiedAccess>]
module Latex =
    /// 1 sum, 2 product or unary minus, 3 power, 4 atom (as in Infix).
    type private Printed = { Text: string; Precedence: int }

    let private atom s = { Text = s; Precedence = 4 }
    let private wrap (minimum: int) (p: Printed) = if p.Precedence < minimum then $"\\left({p.Text}\\right)" else p.Text

    let private functionName (f: Function) =
        match f with
        | Erf -> "\\operatorname{erf}"
        | f -> "\\" + Expression.name f

    let private numberText (r: Rational) =
        let magnitude = if r.IsInteger then string (abs r.Num) else $"\\frac{{{abs r.Num}}}{{{r.Den}}}"
        if r.Sign < 0 then { Text = "-" + magnitude; Precedence = 2 } else atom magnitude

    let private greek =
        set [ "alpha"; "beta"; "gamma"; "delta"; "epsilon"; "zeta"; "eta"; "theta"; "iota"; "kappa"; "lambda"; "mu"; "nu"; "xi"
              "rho"; "sigma"; "tau"; "phi"; "chi"; "psi"; "omega"; "Gamma"; "Delta"; "Theta"; "Lambda"; "Sigma"; "Phi"; "Omega" ]

    /// The default rendering of a symbol name: Greek letter names as letters, other multi-letter names upright,
    /// and a name_sub (or a name ending in digits) with a subscript: alpha_0 → \alpha_{0}, kappa1 → \kappa_{1}.
    let defaultSymbol (name: string) : string =
        let stem (s: string) = if greek.Contains s then "\\" + s elif s.Length > 1 then $"\\mathrm{{{s}}}" else s
        let underscore = name.IndexOf '_'
        if underscore > 0 && underscore < name.Length - 1 then $"{stem name[.. underscore - 1]}_{{{name[underscore + 1 ..]}}}"
        else
            let letters = name.TrimEnd([| '0' .. '9' |])
            if letters.Length > 0 && letters.Length < name.Length then $"{stem letters}_{{{name[letters.Length ..]}}}" else stem name

    /// Printing with a symbol renderer (None falls back to `defaultSymbol`).
    let rec private print (symbol: string -> string option) (x: Expression) : Printed =
        let print = print symbol
        let printProduct = printProduct symbol
        match x with
        | Number r -> numberText r
        | Symbol s -> atom (symbol s |> Option.defaultWith (fun () -> defaultSymbol s))
        | Constant Pi -> atom "\\pi"
        | Constant E -> atom "e"
        | Apply(f, a) -> atom $"{functionName f}\\left({(print a).Text}\\right)"
        | Power(b, Number h) when h = Rational.make 1 2 -> atom $"\\sqrt{{{(print b).Text}}}"
        | Power(_, Number r) when r.Sign < 0 -> printProduct Rational.One [ x ]
        | Power(b, e) ->
            let baseText = match b with Number r when r.Sign < 0 || not r.IsInteger -> $"\\left({(print b).Text}\\right)" | b -> wrap 4 (print b)
            { Text = $"{baseText}^{{{(print e).Text}}}"; Precedence = 3 }
        | Product(Number c :: fs) -> printProduct c fs
        | Product fs -> printProduct Rational.One fs
        | Sum(t :: ts) ->
            let rest =
                ts |> List.map (fun t ->
                    if Expression.isNegative t then " - " + wrap 2 (print (Expression.neg t)) else " + " + wrap 2 (print t))
            { Text = wrap 1 (print t) + String.concat "" rest; Precedence = 1 }
        | Sum [] -> atom "0"

    and private printProduct (symbol: string -> string option) (c: Rational) (fs: Expression list) : Printed =
        let print = print symbol
        let above = fs |> List.filter (function Power(_, Number r) -> r.Sign >= 0 | _ -> true)
        let below = fs |> List.choose (function Power(b, Number r) when r.Sign < 0 -> Some(Expression.pow b (Number(-r))) | _ -> None)
        let join (items: Expression list) (number: System.Numerics.BigInteger) =
            // Inside a fraction a lone factor needs no parentheses.
            let factors =
                match items with
                | [ single ] when number.IsOne && not (below.IsEmpty && c.Den.IsOne) -> [ (print single).Text ]
                | items -> items |> List.map (print >> wrap 2)
            let all = (if number.IsOne then [] else [ string number ]) @ factors
            if all.IsEmpty then "1" else String.concat " " all
        let top = join above (abs c.Num)
        let text = if below.IsEmpty && c.Den.IsOne then top else $"\\frac{{{top}}}{{{join below c.Den}}}"
        let precedence = if c.Sign >= 0 && below.IsEmpty && c.Den.IsOne && fs.Length = 1 && c.Num.IsOne then (print fs.Head).Precedence else 2
        { Text = (if c.Sign < 0 then "-" else "") + text; Precedence = precedence }

    /// The LaTeX text of an expression (math mode, without delimiters).
    let format (x: Expression) : string = (print (fun _ -> None) x).Text

    /// The LaTeX text with some symbols rendered by `symbol` (e.g. qhat1_0 as \hat{q}^{0}_{1}).
    let formatWith (symbol: string -> string option) (x: Expression) : string = (print symbol x).Text
