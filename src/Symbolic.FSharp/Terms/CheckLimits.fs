namespace FimVerify.Symbolic

/// The resource bounds of the derivation checker: a step that would exceed one is UNDECIDED with the reason, and the
/// run goes on. The defaults keep any single step within seconds and well under a few hundred MB.
type CheckLimits =
    { /// Nodes of a step after its definitions are substituted (shared subterms counted per use).
      MaxNodes: int64
      /// Nesting depth of a step after substitution.
      MaxDepth: int
      /// Terms an expansion (multiplying out) may produce.
      MaxExpansionTerms: float
      /// Bits of an exact rational intermediate (powers such as 3^(10^9) are evaluated in intervals instead).
      MaxExactBits: int64
      /// Terms of a sum or factors of a product evaluated one by one.
      MaxSumTerms: int
      /// Terms of a sum written out symbolically before a closed form is sought.
      MaxExplicitTerms: int
      /// Highest working precision, in bits, of the interval evaluation.
      MaxPrecisionBits: int
      /// Integrand evaluations per numerical integral.
      MaxQuadratureEvaluations: int
      /// Wall-clock seconds per step.
      StepSeconds: float }

[<RequireQualifiedAccess>]
module CheckLimits =
    let defaults =
        { MaxNodes = 200_000L
          MaxDepth = 2_000
          MaxExpansionTerms = 20_000.0
          MaxExactBits = 200_000L
          MaxSumTerms = 100_000
          MaxExplicitTerms = 200
          MaxPrecisionBits = 1_024
          MaxQuadratureEvaluations = 400_000
          StepSeconds = 10.0 }
