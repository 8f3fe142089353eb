namespace FimVerify.Symbolic

/// Replacing symbols by expressions; the result is rebuilt through the smart constructors, so it is canonical.
[<RequireQualifiedAccess>]
module Substitute =
    /// Replaces every symbol named in `bindings` (simultaneously, not repeatedly).
    let many (bindings: Map<string, Expression>) (x: Expression) : Expression =
        x |> Expression.transform (function
            | Symbol s as sym -> bindings.TryFind s |> Option.defaultValue sym
            | y -> y)

    /// Replaces the symbol `name` by `value`.
    let one (name: string) (value: Expression) (x: Expression) = many (Map.ofList [ name, value ]) x

    /// Replaces every occurrence of the subexpression `target` (compared canonically) by `value`.
    let subexpression (target: Expression) (value: Expression) (x: Expression) : Expression =
        let rec go (y: Expression) =
            if y = target then value
            else
                match y with
                | Number _ | Symbol _ | Constant _ -> y
                | y -> Expression.rebuild y (Expression.children y |> List.map go)
        go x
