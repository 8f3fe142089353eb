namespace FimVerify.Symbolic

open System.Numerics

/// Prime factors of the integers that radicals hold, so √(2·1009²) becomes 1009·√2 and canonical radicals stay
/// canonical beyond trial division. Miller–Rabin decides primality (deterministic below 3.3·10²⁴ with the first
/// twelve primes as bases); Pollard–Brent ρ splits composites within a fixed budget, so a radicand with two huge
/// prime factors costs milliseconds, not hours, and is then only partly factored (`None`).
[<RequireQualifiedAccess>]
module IntegerFactorization =
    let private bases = [ 2; 3; 5; 7; 11; 13; 17; 19; 23; 29; 31; 37 ] |> List.map BigInteger

    /// Miller–Rabin with the first twelve primes as bases: exact for n < 3.3·10²⁴, and wrong beyond only for
    /// composites that are strong pseudoprimes to all twelve bases (none is known below 2^81).
    let isProbablePrime (n: BigInteger) : bool =
        if n < BigInteger 2 then false
        elif bases |> List.exists (fun b -> n = b) then true
        elif bases |> List.exists (fun b -> (n % b).IsZero) then false
        else
            let mutable d = n - BigInteger.One
            let mutable s = 0
            while d.IsEven do
                d <- d >>> 1
                s <- s + 1
            let witness (a: BigInteger) =
                let mutable x = BigInteger.ModPow(a, d, n)
                if x.IsOne || x = n - BigInteger.One then false
                else
                    let mutable composite = true
                    let mutable r = 1
                    while composite && r < s do
                        x <- BigInteger.ModPow(x, BigInteger 2, n)
                        if x = n - BigInteger.One then composite <- false
                        r <- r + 1
                    composite
            not (bases |> List.exists witness)

    /// Iterations of ρ per polynomial x² + c, and polynomials tried, before giving up on a composite: enough for
    /// every factor below about 2^28.
    let rhoIterations = 1 <<< 15
    let private rhoPolynomials = 4

    /// A non-trivial factor of the odd composite n by Brent's variant of Pollard's ρ, if one turns up in budget.
    let private rho (n: BigInteger) : BigInteger option =
        let step (c: BigInteger) (x: BigInteger) = (x * x + c) % n
        let attempt (c: BigInteger) =
            // Brent: y runs ahead in blocks of doubling length r; gcds are batched m steps at a time.
            let m = 64
            let mutable y = BigInteger 2
            let mutable x = y
            let mutable ys = y
            let mutable g = BigInteger.One
            let mutable q = BigInteger.One
            let mutable r = 1
            let mutable spent = 0
            while g.IsOne && spent < rhoIterations do
                x <- y
                for _ in 1 .. r do y <- step c y
                let mutable k = 0
                while k < r && g.IsOne && spent < rhoIterations do
                    ys <- y
                    for _ in 1 .. min m (r - k) do
                        y <- step c y
                        q <- (q * BigInteger.Abs(x - y)) % n
                    spent <- spent + min m (r - k)
                    g <- BigInteger.GreatestCommonDivisor(q, n)
                    k <- k + m
                r <- r * 2
            if g = n then
                // The batch overshot: replay it one step at a time from ys.
                g <- BigInteger.One
                let mutable guard = 0
                while g.IsOne && guard < m * 2 do
                    ys <- step c ys
                    g <- BigInteger.GreatestCommonDivisor(BigInteger.Abs(x - ys), n)
                    guard <- guard + 1
            if g.IsOne || g = n then None else Some g
        seq { 1 .. rhoPolynomials } |> Seq.tryPick (fun c -> attempt (BigInteger c))

    /// The prime factors of n ≥ 1 with multiplicity (ascending), or None when ρ ran out of budget on a composite part.
    let primeFactors (n: BigInteger) : BigInteger list option =
        if n.Sign <= 0 then invalidArg "n" "only positive integers are factored"
        let rec split (m: BigInteger) : BigInteger list option =
            if m.IsOne then Some []
            elif m.IsEven then split (m >>> 1) |> Option.map (fun fs -> BigInteger 2 :: fs)
            elif isProbablePrime m then Some [ m ]
            else
                match rho m with
                | None -> None
                | Some f ->
                    match split f, split (m / f) with
                    | Some a, Some b -> Some(a @ b)
                    | _ -> None
        split n |> Option.map List.sort
