namespace FimVerify.Symbolic

open System
open System.IO
open System.Security.Cryptography
open System.Text

/// What the cache keeps of a derivation: its named closed forms and its steps with their checks.
type CachedDerivation =
    { Expressions: (string * Expression) list
      Steps: ProofStep list }

    member x.Expression(name: string) =
        match x.Expressions |> List.tryFind (fun (n, _) -> n = name) with
        | Some(_, e) -> e
        | None -> invalidArg "name" $"the derivation has no expression '{name}'"

/// A per-user cache of derived, checked closed forms: each derivation is stored once it has been derived and every one of its
/// steps holds (a derivation with a failing step is never stored, so the failure is re-derived and reported every time), keyed by
/// the engine version (the symbolic assembly's build identity: any change to the engine starts a new cache) and the derivation's
/// inputs. It lives in $XDG_CACHE_HOME/fimverify (~/.cache/fimverify without it; FIMVERIFY_CACHE overrides), one file per
/// derivation with a SHA-256 of its content: a file that is unreadable, truncated or altered is ignored and re-derived. Nothing is
/// ever required of the folder: when it cannot be created or written, derivations simply run every time. A test holds every
/// cached derivation structurally equal to a fresh one. FIMVERIFY_NO_CACHE=1 (or `--no-cache`) bypasses it.
[<RequireQualifiedAccess>]
module DerivationCache =
    let private header = "fimverify-derivation-cache 1"
    let mutable private enabled = isNull (Environment.GetEnvironmentVariable "FIMVERIFY_NO_CACHE")

    /// False when `--no-cache` or FIMVERIFY_NO_CACHE turned the cache off for this process.
    let isEnabled () = enabled

    /// Turns the cache off (or on) for this process.
    let setEnabled (on: bool) = enabled <- on

    /// The engine version: the symbolic assembly's module version id (changes with every build of different source).
    let engineVersion = typeof<Expression>.Assembly.ManifestModule.ModuleVersionId.ToString("N")

    /// The folder of this engine version's entries, or None when no cache location can be named.
    let folder () : string option =
        let root =
            match Environment.GetEnvironmentVariable "FIMVERIFY_CACHE" with
            | null | "" ->
                match Environment.GetEnvironmentVariable "XDG_CACHE_HOME" with
                | null | "" ->
                    let home = Environment.GetFolderPath Environment.SpecialFolder.UserProfile
                    if String.IsNullOrEmpty home then null else Path.Combine(home, ".cache", "fimverify")
                | xdg -> Path.Combine(xdg, "fimverify")
            | explicitRoot -> explicitRoot
        if isNull root then None else Some(Path.Combine(root, engineVersion))

    let private fileName (key: string) =
        let safe = key |> String.map (fun c -> if Char.IsLetterOrDigit c || c = '-' || c = '.' then c else '_')
        safe + ".txt"

    let private digest (body: string) = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes body))

    /// The text of an entry: header, key, digest of the body, then the body.
    let encode (key: string) (d: CachedDerivation) =
        let sb = StringBuilder()
        sb.Append(d.Expressions.Length).Append(' ') |> ignore
        for name, e in d.Expressions do
            ExpressionCodec.writeString sb name
            ExpressionCodec.write sb e
        sb.Append(d.Steps.Length).Append(' ') |> ignore
        for s in d.Steps do
            ExpressionCodec.writeString sb s.Statement
            ExpressionCodec.writeString sb s.Evidence
            sb.Append(if s.Holds then '1' else '0') |> ignore
        let body = sb.ToString()
        String.Join("\n", [ header; key; digest body; body ])

    /// The entry stored under this key in this text, or None if the text is not a complete, unaltered entry for the key.
    let decode (key: string) (text: string) : CachedDerivation option =
        let parts = text.Split('\n', 4)
        if parts.Length <> 4 || parts[0] <> header || parts[1] <> key || parts[2] <> digest parts[3] then None
        else
            try
                let r = ExpressionCodec.Reader parts[3]
                let n = r.ReadInt()
                let expressions = [ for _ in 1 .. n -> let name = r.ReadString() in name, ExpressionCodec.read r ]
                let m = r.ReadInt()
                let steps =
                    [ for _ in 1 .. m ->
                        let statement = r.ReadString()
                        let evidence = r.ReadString()
                        ProofStep.make statement evidence (r.Next() = '1') ]
                if r.AtEnd then Some { Expressions = expressions; Steps = steps } else None
            with :? FormatException | :? OverflowException | :? ArgumentException -> None

    let private tryRead (path: string) (key: string) =
        try if File.Exists path then decode key (File.ReadAllText path) else None
        with :? IOException | :? UnauthorizedAccessException -> None

    let private tryWrite (dir: string) (path: string) (text: string) =
        try
            Directory.CreateDirectory dir |> ignore
            // Write aside, then rename: a reader never sees half an entry, and concurrent writers of the same key write the same text.
            let temporary = path + "." + string Environment.ProcessId + ".tmp"
            File.WriteAllText(temporary, text)
            File.Move(temporary, path, true)
        with :? IOException | :? UnauthorizedAccessException | :? NotSupportedException -> ()

    /// The cached derivation for the key, or a fresh one (stored when every step holds). `derive` must force its steps.
    let getOrDerive (key: string) (derive: Func<CachedDerivation>) : CachedDerivation =
        match (if enabled then folder () else None) with
        | None -> derive.Invoke()
        | Some dir ->
            let path = Path.Combine(dir, fileName key)
            match tryRead path key with
            | Some cached -> cached
            | None ->
                let fresh = derive.Invoke()
                if ProofStep.allHold fresh.Steps then tryWrite dir path (encode key fresh)
                fresh
