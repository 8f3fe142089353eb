using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.Mlps;

/// <summary>
/// The critical learning rate 2/λ_max: the same start near the teacher's zero-loss minimum converges at
/// η = 0.9·2/λ_max and runs away at η = 1.1·2/λ_max. Deterministic (fixed seeds); rules: converged means the
/// final loss is below 1e−3 of the initial one and never exceeded it; diverged means it grew 1e4-fold.
/// </summary>
public class TeacherStudentDescentTests
{
    [Theory]
    [InlineData("tanh", 0.64)]
    [InlineData("relu", 0.1)]
    public void DescentConvergesBelowAndDivergesAboveTwoOverLambdaMax(string activation, double sigmaB2)
    {
        var teacher = Mlp.Sample(ActivationCatalog.Parse(activation), [100, 100, 100, 2], activation == "relu" ? 2 : 3, sigmaB2, SeedSequence.FromSeed(7));
        var seed = SeedSequence.FromSeed(8);
        var below = TeacherStudentDescent.Run(teacher, 10, 1e-3, 0.9, 300, seed);
        var above = TeacherStudentDescent.Run(teacher, 10, 1e-3, 1.1, 300, seed);
        Assert.True(below.FinalLoss <= 1e-3 * below.InitialLoss && below.MaxLoss <= below.InitialLoss * (1 + 1e-9),
            $"η = 0.9·2/λ_max: loss {below.InitialLoss:g3} → {below.FinalLoss:g3} (max {below.MaxLoss:g3})");
        Assert.True(above.Diverged, $"η = 1.1·2/λ_max: loss {above.InitialLoss:g3} → max {above.MaxLoss:g3}");
    }
}
