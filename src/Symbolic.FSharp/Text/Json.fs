namespace FimVerify.Symbolic

open System.Text.Json.Nodes

/// A JSON tree for scripts, lossless both ways:
/// `{"number":"3/4"}`, `{"symbol":"x"}`, `{"constant":"pi"|"e"}`, `{"sum":[…]}`, `{"product":[…]}`,
/// `{"power":[base, exponent]}`, `{"apply":"sin","argument":…}`. Reading rebuilds through the smart
/// constructors, so the result is canonical.
[<RequireQualifiedAccess>]
module Json =
    let rec toNode (x: Expression) : JsonNode =
        let single (key: string) (value: JsonNode) = JsonObject([ System.Collections.Generic.KeyValuePair(key, value) ]) :> JsonNode
        let array (xs: Expression list) = JsonArray(xs |> List.map toNode |> Array.ofList) :> JsonNode
        match x with
        | Number r -> single "number" (JsonValue.Create(string r))
        | Symbol s -> single "symbol" (JsonValue.Create s)
        | Constant Pi -> single "constant" (JsonValue.Create "pi")
        | Constant E -> single "constant" (JsonValue.Create "e")
        | Sum ts -> single "sum" (array ts)
        | Product fs -> single "product" (array fs)
        | Power(b, e) -> single "power" (array [ b; e ])
        | Apply(f, a) ->
            let o = JsonObject()
            o["apply"] <- JsonValue.Create(Expression.name f)
            o["argument"] <- toNode a
            o :> JsonNode

    /// Compact JSON text.
    let format (x: Expression) : string = (toNode x).ToJsonString()

    let private fail (message: string) = raise (System.FormatException message)

    let rec ofNode (node: JsonNode) : Expression =
        let o = match node with :? JsonObject as o -> o | _ -> fail "an expression must be a JSON object"
        let items (key: string) = (o[key] :?> JsonArray) |> Seq.map ofNode |> List.ofSeq
        let text (key: string) = o[key].GetValue<string>()
        if o.ContainsKey "number" then
            let s = text "number"
            match s.Split '/' with
            | [| p |] -> Expression.number (Rational.ofBigInt (System.Numerics.BigInteger.Parse p))
            | [| p; q |] -> Expression.number (Rational(System.Numerics.BigInteger.Parse p, System.Numerics.BigInteger.Parse q))
            | _ -> fail $"not a rational number: {s}"
        elif o.ContainsKey "symbol" then Expression.symbol (text "symbol")
        elif o.ContainsKey "constant" then
            match text "constant" with
            | "pi" -> Expression.pi
            | "e" -> Expression.e
            | c -> fail $"unknown constant {c}"
        elif o.ContainsKey "sum" then Expression.add (items "sum")
        elif o.ContainsKey "product" then Expression.mul (items "product")
        elif o.ContainsKey "power" then
            match items "power" with
            | [ b; e ] -> Expression.pow b e
            | _ -> fail "a power has exactly two operands"
        elif o.ContainsKey "apply" then
            let name = text "apply"
            match Expression.functions |> List.tryFind (fun f -> Expression.name f = name) with
            | Some f -> Expression.apply f (ofNode o["argument"])
            | None -> fail $"unknown function {name}"
        else fail "unknown expression node"

    /// Reads the JSON text written by `format`.
    let parse (text: string) : Expression = ofNode (JsonNode.Parse text)
