module FimVerify.Symbolic.Tests.IntegerFactorizationTests

open System.Numerics
open Expecto
open FsCheck
open FimVerify.Symbolic

let private config = { FsCheckConfig.defaultConfig with maxTest = 300; replay = Some(20261201UL, 7UL, None) }

let private sievePrimes limit =
    let composite = Array.zeroCreate (limit + 1)
    [ for k in 2 .. limit do
        if not composite[k] then
            if k <= limit / k then
                for m in k * k .. k .. limit do composite[m] <- true
            yield k ] |> Set.ofList

[<Tests>]
let tests =
    testList "Integer factorization (radicands)" [
        test "Miller–Rabin agrees with a sieve below 50 000, and knows the Carmichael numbers and big primes" {
            let primes = sievePrimes 50_000
            for k in 0 .. 50_000 do
                Expect.equal (IntegerFactorization.isProbablePrime (BigInteger k)) (primes.Contains k) $"{k}"
            for carmichael in [ 561L; 41041L; 825265L; 321197185L; 3215031751L ] do
                Expect.isFalse (IntegerFactorization.isProbablePrime (BigInteger carmichael)) $"{carmichael} is composite"
            Expect.isTrue (IntegerFactorization.isProbablePrime (BigInteger.Pow(BigInteger 2, 61) - BigInteger.One)) "2^61 − 1 is prime"
            Expect.isFalse (IntegerFactorization.isProbablePrime (BigInteger.Pow(BigInteger 2, 67) - BigInteger.One)) "2^67 − 1 is not"
        }
        test "ρ splits Cole's 2^67 − 1 = 193707721 · 761838257287" {
            let m67 = BigInteger.Pow(BigInteger 2, 67) - BigInteger.One
            Expect.equal (IntegerFactorization.primeFactors m67) (Some [ BigInteger 193707721; BigInteger 761838257287L ]) "Cole (1903)"
        }
        test "a product of two primes beyond ρ's budget is reported as not factored, quickly" {
            let p, q = BigInteger.Pow(BigInteger 2, 89) - BigInteger.One, BigInteger.Pow(BigInteger 2, 107) - BigInteger.One
            let watch = System.Diagnostics.Stopwatch.StartNew()
            Expect.isNone (IntegerFactorization.primeFactors (p * q)) "two Mersenne primes of 89 and 107 bits"
            Expect.isLessThan watch.Elapsed.TotalSeconds 5.0 "bounded effort (a guard against a hang, not a timing claim)"
        }
        testPropertyWithConfig config "factors multiply back, are prime and ascending" (fun (a: uint32) (b: uint32) (c: uint16) ->
            // Three factors below 2^24 (so every prime factor is too): ρ needs about 2^12 steps for each, well in budget.
            let part (x: uint64) = BigInteger ((x % (1UL <<< 24)) + 1UL)
            let n = part (uint64 a) * part (uint64 b) * part (uint64 c)
            match IntegerFactorization.primeFactors n with
            | None -> failwith $"{n} (a product of three numbers below 2^24) was not factored"
            | Some fs ->
                List.fold (*) BigInteger.One fs = n
                && fs |> List.forall IntegerFactorization.isProbablePrime
                && fs = List.sort fs)
    ]
