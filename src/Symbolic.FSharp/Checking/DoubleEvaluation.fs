namespace FimVerify.Symbolic

open System
open System.Collections.Generic

/// Terms compiled to double-precision closures over an array of variable slots: the integrands of the numerical
/// route (expectations and integrals without a closed form). Undefined values are NaN; nested expectations, integrals,
/// sums and products are computed by nested quadrature and loops within the step's budget.
[<RequireQualifiedAccess>]
module DoubleEvaluation =
    /// Γ by Lanczos' approximation (g = 7, nine terms; ~15 digits), with the reflection formula below 1/2.
    let rec gamma (x: float) : float =
        if x < 0.5 then
            if x = Math.Floor x then nan else Math.PI / (Math.Sin(Math.PI * x) * gamma (1.0 - x))
        else
            let c = [| 0.99999999999980993; 676.5203681218851; -1259.1392167224028; 771.32342877765313; -176.61503916999185
                       12.507343278686905; -0.13857109526572012; 9.9843695780195716e-6; 1.5056327351493116e-7 |]
            let x = x - 1.0
            let mutable a = c[0]
            for i in 1 .. 8 do a <- a + c[i] / (x + float i)
            let t = x + 7.5
            Math.Sqrt(2.0 * Math.PI) * Math.Pow(t, x + 0.5) * Math.Exp(-t) * a

    let private isInteger (x: float) = Double.IsFinite x && x = Math.Floor x

    let private factorial (n: float) = if isInteger n && n >= 0.0 then gamma (n + 1.0) else nan

    let private doubleFactorial (n: float) =
        if not (isInteger n) || n < -1.0 then nan
        else
            let mutable acc = 1.0
            let mutable k = n
            while k > 1.0 do
                acc <- acc * k
                k <- k - 2.0
            acc

    let private binomial (n: float) (k: float) =
        if not (isInteger k) then nan
        elif k < 0.0 then 0.0
        else
            let mutable acc = 1.0
            for j in 0 .. int k - 1 do acc <- acc * (n - float j) / float (j + 1)
            acc

    let private power (b: float) (e: float) =
        if isInteger e then Math.Pow(b, e)
        elif b < 0.0 then nan
        elif b = 0.0 then (if e > 0.0 then 0.0 else nan)
        else Math.Pow(b, e)

    let private apply (h: Head) (args: float[]) : float =
        let a = args[0]
        match h with
        | Head.Sqrt -> if a < 0.0 then nan else Math.Sqrt a
        | Head.Exp -> Math.Exp a
        | Head.Log -> if a <= 0.0 then nan else Math.Log a
        | Head.Sin -> Math.Sin a
        | Head.Cos -> Math.Cos a
        | Head.Tan -> let c = Math.Cos a in if c = 0.0 then nan else Math.Sin a / c
        | Head.Arcsin -> if abs a > 1.0 then nan else Math.Asin a
        | Head.Arccos -> if abs a > 1.0 then nan else Math.Acos a
        | Head.Arctan -> Math.Atan a
        | Head.Arctan2 -> if a = 0.0 && args[1] = 0.0 then nan else Math.Atan2(a, args[1])
        | Head.Sinh -> Math.Sinh a
        | Head.Cosh -> Math.Cosh a
        | Head.Tanh -> Math.Tanh a
        | Head.Erf -> SpecialFunctions.erf a
        | Head.Gamma -> gamma a
        | Head.Factorial -> factorial a
        | Head.DoubleFactorial -> doubleFactorial a
        | Head.Binomial -> binomial a args[1]
        | Head.Relu -> if a > 0.0 then a else 0.0
        | Head.Step -> if a > 0.0 then 1.0 else 0.0
        | Head.Abs -> abs a
        | Head.Sign -> float (Math.Sign a)
        | Head.Max -> Math.Max(a, args[1])
        | Head.Min -> Math.Min(a, args[1])

    let private standardDensity (t: float) = Math.Exp(-0.5 * t * t) / Math.Sqrt(2.0 * Math.PI)

    /// Settings of the numerical route: tolerance, evaluation budget and the wall-clock budget.
    type Settings =
        { Tolerance: float
          MaxEvaluations: int
          Budget: WorkBudget }

    /// Where a piecewise function of the integration variable has its kink, when its selector is affine there
    /// (found from three values; the quadrature works without it, only more slowly).
    let private kinks (selectors: (float[] -> float) list) (slot: int) (place: float[] -> float -> unit) (values: float[]) : float list =
        selectors |> List.choose (fun d ->
            place values 0.0
            let d0 = d values
            place values 1.0
            let d1 = d values
            place values 2.0
            let d2 = d values
            let scale = abs d0 + abs d1 + abs d2
            if Double.IsFinite scale && d1 <> d0 && abs (d2 - 2.0 * d1 + d0) <= 1e-9 * scale then Some(-d0 / (d1 - d0)) else None)

    let private isPiecewise (h: Head) = match h with Head.Relu | Head.Abs | Head.Step | Head.Sign | Head.Max | Head.Min -> true | _ -> false

    /// The selectors (argument, or difference of arguments) of the piecewise calls in t that depend on v.
    let private selectorsOf (v: string) (t: Term) : Term list =
        let found = List<Term>()
        let rec walk (t: Term) =
            match t with
            | Term.Call(h, args) when isPiecewise h && (Term.freeVariables t).Contains v ->
                found.Add(match h, args with (Head.Max | Head.Min), [ a; b ] -> Term.sub a b | _, a :: _ -> a | _ -> t)
                List.iter walk args
            | t -> Term.children t |> List.iter walk
        walk t
        List.ofSeq found

    /// An integrand times the Gaussian density that does not decay in its tails (|g| at ±37 not below |g| at ±30
    /// when that is not negligible): the expectation may diverge, so the quadrature is not trusted.
    let private growsInTheTails (g: float -> float) =
        let scale = [ -3.0; -1.0; 0.0; 1.0; 3.0 ] |> List.map (fun t -> abs (g t)) |> List.filter Double.IsFinite |> List.fold max 0.0
        [ -1.0; 1.0 ] |> List.exists (fun side ->
            let at30, at37 = abs (g (30.0 * side)), abs (g (37.0 * side))
            Double.IsNaN at37 || Double.IsInfinity at37 || (at30 > 1e-30 * max scale 1e-300 && at37 >= at30))

    /// The slot after every slot in use (nested binders of the same name get their own).
    let private nextSlot (slots: Map<string, int>) = (slots |> Seq.fold (fun m (KeyValue(_, i)) -> max m i) -1) + 1

    /// Slots available to one compiled term: its free variables and nested bound variables.
    let slotCount = 64

    /// Compiles t with the variables in `slots` read from an array of `slotCount` values.
    let rec compile (settings: Settings) (slots: Map<string, int>) (t: Term) : float[] -> float =
        let c = compile settings slots
        match t with
        | Term.Num r -> let v = r.ToDouble() in fun _ -> v
        | Term.Var s ->
            match slots.TryFind s with
            | Some i -> fun a -> a[i]
            | None -> invalidOp $"the variable {s} has no value"
        | Term.Pi -> fun _ -> Math.PI
        | Term.E -> fun _ -> Math.E
        | Term.Inf s -> let v = if s > 0 then infinity else -infinity in fun _ -> v
        | Term.Add ts -> let fs = ts |> List.map c |> Array.ofList in fun a -> (let mutable s = 0.0 in (for f in fs do s <- s + f a); s)
        | Term.Mul ts -> let fs = ts |> List.map c |> Array.ofList in fun a -> (let mutable s = 1.0 in (for f in fs do s <- s * f a); s)
        | Term.Neg x -> let f = c x in fun a -> -(f a)
        | Term.Div(x, y) -> let f, g = c x, c y in fun a -> (let d = g a in if d = 0.0 then nan else f a / d)
        | Term.Pow(x, Term.Num n) when n.IsInteger && abs (n.ToDouble()) < 1e9 ->
            let f = c x
            let k = n.ToDouble()
            fun a -> (let b = f a in if b = 0.0 && k < 0.0 then nan else Math.Pow(b, k))
        | Term.Pow(x, y) -> let f, g = c x, c y in fun a -> power (f a) (g a)
        | Term.Call(h, args) ->
            let fs = args |> List.map c |> Array.ofList
            fun a -> apply h (fs |> Array.map (fun f -> f a))
        | Term.Defined(value, requires) ->
            let f = c value
            let gs = requires |> List.map c |> Array.ofList
            fun a -> if gs |> Array.exists (fun g -> Double.IsNaN(g a)) then nan else f a
        | Term.SumOf(body, k, lo, hi) | Term.ProductOf(body, k, lo, hi) ->
            let isSum = match t with Term.SumOf _ -> true | _ -> false
            let slot = nextSlot slots
            if slot >= slotCount then invalidOp "binding forms nested too deeply"
            let f = compile settings (slots.Add(k, slot)) body
            let l, h = c lo, c hi
            fun a ->
                let lv, hv = l a, h a
                if not (isInteger lv && isInteger hv) then nan
                elif hv - lv > 1e6 then nan
                else
                    let mutable acc = if isSum then 0.0 else 1.0
                    let mutable j = lv
                    while j <= hv do
                        a[slot] <- j
                        acc <- if isSum then acc + f a else acc * f a
                        j <- j + 1.0
                    acc
        | Term.Integral _ | Term.Gauss _ | Term.Gauss2 _ ->
            let integral = binderIntegral settings slots t
            fun a -> let r = integral a in if r.Converged then r.Value else nan
        | Term.Diff _ | Term.At _ -> invalidOp "diff and at are eliminated before evaluation"

    /// A bound variable's slot, the compiled body, and the compiled selectors of its piecewise functions.
    and private boundVariable (settings: Settings) (slots: Map<string, int>) (x: string) (body: Term) =
        let slot = nextSlot slots
        if slot >= slotCount then invalidOp "binding forms nested too deeply"
        let inner = slots.Add(x, slot)
        slot, compile settings inner body, selectorsOf x body |> List.map (compile settings inner)

    /// The numerical value of an expectation or integral with its error estimate (Converged = false when the value is
    /// undefined or the quadrature did not meet its tolerance).
    and binderIntegral (settings: Settings) (slots: Map<string, int>) (t: Term) : float[] -> QuadratureResult =
        let c = compile settings slots
        let failed = { Value = nan; Error = infinity; AbsoluteIntegral = nan; Evaluations = 0; Converged = false }
        let exact v = { Value = v; Error = 0.0; AbsoluteIntegral = abs v; Evaluations = 1; Converged = not (Double.IsNaN v) }
        match t with
        | Term.Integral(body, x, lo, hi) ->
            let slot, f, selectors = boundVariable settings slots x body
            let l, h = c lo, c hi
            fun a ->
                let lv, hv = l a, h a
                if Double.IsNaN lv || Double.IsNaN hv then failed
                elif lv = hv then exact 0.0
                else
                    let a' = Array.copy a
                    let breaks = kinks selectors slot (fun arr v -> arr[slot] <- v) a'
                    let integrand v = (a'[slot] <- v; f a')
                    let lo', hi', sign = if lv < hv then lv, hv, 1.0 else hv, lv, -1.0
                    let r = Quadrature.integrate settings.Budget integrand lo' hi' breaks settings.Tolerance settings.MaxEvaluations
                    { r with Value = sign * r.Value }
        | Term.Gauss(body, z, m, v) ->
            let slot, f, selectors = boundVariable settings slots z body
            let mf, vf = c m, c v
            fun a ->
                let mv, vv = mf a, vf a
                if Double.IsNaN mv || Double.IsNaN vv || vv < 0.0 then failed
                elif vv = 0.0 then (let a' = Array.copy a in a'[slot] <- mv; exact (f a'))
                else
                    let a' = Array.copy a
                    let sd = Math.Sqrt vv
                    let place (arr: float[]) (t: float) = arr[slot] <- mv + sd * t
                    let breaks = kinks selectors slot place a'
                    // The density first: where it underflows the term is 0, whatever f does there.
                    let integrand t =
                        let d = standardDensity t
                        if d = 0.0 then 0.0 else (place a' t; let y = f a' in if y = 0.0 then 0.0 else y * d)
                    if growsInTheTails integrand then failed
                    else Quadrature.integrate settings.Budget integrand -infinity infinity breaks settings.Tolerance settings.MaxEvaluations
        | Term.Gauss2(body, u, w, av, bv, cv) ->
            let su = nextSlot slots
            let sw = su + 1
            if sw >= slotCount then invalidOp "binding forms nested too deeply"
            let inner = slots.Add(u, su).Add(w, sw)
            let f = compile settings inner body
            let af, bf, cf = c av, c bv, c cv
            fun a ->
                let va, vb, vc = af a, bf a, cf a
                let det = va * vc - vb * vb
                if Double.IsNaN va || Double.IsNaN vb || Double.IsNaN vc || va < 0.0 || vc < 0.0 || det < -1e-14 * (va * vc) then failed
                else
                    // u = √a s, w = (b/√a) s + √(c − b²/a) r.
                    let a' = Array.copy a
                    let ra = Math.Sqrt va
                    let k = if va > 0.0 then vb / ra else 0.0
                    let rest = if va > 0.0 then Math.Sqrt(max 0.0 (vc - vb * vb / va)) else Math.Sqrt vc
                    let mutable innerError = 0.0
                    let inner s =
                        if rest = 0.0 then (a'[su] <- ra * s; a'[sw] <- k * s; f a')
                        else
                            let integrand r =
                                let d = standardDensity r
                                if d = 0.0 then 0.0
                                else
                                    a'[su] <- ra * s
                                    a'[sw] <- k * s + rest * r
                                    let y = f a'
                                    if y = 0.0 then 0.0 else y * d
                            // Kinks in r at fixed s: where w crosses 0 (the common case for piecewise functions of w).
                            let q = Quadrature.integrate settings.Budget integrand -infinity infinity [ -(k * s) / rest ] settings.Tolerance (settings.MaxEvaluations / 16)
                            innerError <- max innerError (q.Error / max 1e-300 q.AbsoluteIntegral)
                            if q.Converged then q.Value else nan
                    let outer s = let d = standardDensity s in if d = 0.0 then 0.0 else (let y = inner s in if y = 0.0 then 0.0 else y * d)
                    let r = Quadrature.integrate settings.Budget outer -infinity infinity [ 0.0 ] settings.Tolerance (settings.MaxEvaluations / 16)
                    // The inner integrals' relative errors add to the outer estimate.
                    { r with Error = r.Error + innerError * r.AbsoluteIntegral }
        | t -> let f = c t in fun a -> exact (f a)
