namespace FimVerify.Symbolic

/// Exact symbolic differentiation of every construct of the Expression union.
[<RequireQualifiedAccess>]
module Differentiate =
    module X = Expression

    /// f'(a) for each elementary function f.
    let derivativeOf (f: Function) (a: Expression) : Expression =
        match f with
        | Exp -> X.exp a
        | Log -> X.pow a X.minusOne
        | Sin -> X.cos a
        | Cos -> X.neg (X.sin a)
        | Arcsin -> X.pow (X.sub X.one (X.pow a (X.ofInt 2))) (X.rational -1 2)
        | Arccos -> X.neg (X.pow (X.sub X.one (X.pow a (X.ofInt 2))) (X.rational -1 2))
        | Arctan -> X.pow (X.add [ X.one; X.pow a (X.ofInt 2) ]) X.minusOne
        | Erf -> X.mul [ X.ofInt 2; X.pow X.pi (X.rational -1 2); X.exp (X.neg (X.pow a (X.ofInt 2))) ]

    /// ∂x/∂v.
    let rec withRespectTo (v: string) (x: Expression) : Expression =
        match x with
        | Number _ | Constant _ -> X.zero
        | Symbol s -> if s = v then X.one else X.zero
        | _ when not (X.contains v x) -> X.zero
        | Sum ts -> X.add (ts |> List.map (withRespectTo v))
        | Product fs ->
            // Product rule: Σ_i (∂f_i) Π_{j≠i} f_j.
            X.add [ for i in 0 .. fs.Length - 1 -> X.mul (fs |> List.mapi (fun j f -> if i = j then withRespectTo v f else f)) ]
        | Power(b, e) when not (X.contains v e) -> X.mul [ e; X.pow b (X.sub e X.one); withRespectTo v b ]
        | Power(b, e) ->
            // d(b^e) = b^e (e' log b + e b'/b).
            X.mul [ x; X.add [ X.mul [ withRespectTo v e; X.log b ]; X.mul [ e; withRespectTo v b; X.pow b X.minusOne ] ] ]
        | Apply(f, a) -> X.mul [ derivativeOf f a; withRespectTo v a ]

    /// The n-th derivative.
    let nth (n: int) (v: string) (x: Expression) = Seq.fold (fun acc _ -> withRespectTo v acc) x (seq { 1 .. n })
