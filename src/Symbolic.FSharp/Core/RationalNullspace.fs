namespace FimVerify.Symbolic

/// The null space of a matrix over Q, by exact Gauss–Jordan elimination.
[<RequireQualifiedAccess>]
module RationalNullspace =
    /// A basis of { x : A x = 0 } for the rows of A (all of the same length).
    let basis (rows: Rational[][]) : Rational[][] =
        if rows.Length = 0 then invalidArg "rows" "no equations"
        let cols = rows[0].Length
        let a = rows |> Array.map Array.copy
        let pivots = ResizeArray<int * int>()   // (row, column)
        let mutable r = 0
        for c in 0 .. cols - 1 do
            if r < a.Length then
                match seq { r .. a.Length - 1 } |> Seq.tryFind (fun i -> not a[i].[c].IsZero) with
                | None -> ()
                | Some i ->
                    let tmp = a[i] in a[i] <- a[r]; a[r] <- tmp
                    let p = a[r].[c]
                    a[r] <- a[r] |> Array.map (fun x -> x / p)
                    for k in 0 .. a.Length - 1 do
                        if k <> r && not a[k].[c].IsZero then
                            let f = a[k].[c]
                            a[k] <- Array.init cols (fun j -> a[k].[j] - f * a[r].[j])
                    pivots.Add(r, c)
                    r <- r + 1
        let pivotCols = pivots |> Seq.map snd |> Set.ofSeq
        [| for free in 0 .. cols - 1 do
               if not (pivotCols.Contains free) then
                   let x = Array.create cols Rational.Zero
                   x[free] <- Rational.One
                   for (pr, pc) in pivots do
                       x[pc] <- -a[pr].[free]
                   yield x |]
