using FimVerify.Numeric.Data;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Classifiers.Convolutional;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Spectra;

public enum DensityDataSet { Synthetic, FashionMnist }

/// <summary>Seed 003's whole experiment: which data, which classifier and training, and how to take which Fishers' densities.</summary>
/// <param name="Samples">Inputs the Fishers average over (the first ones of Fashion-MNIST's training split, or mixture draws).</param>
/// <param name="Hidden">Hidden widths of the MLP; the input width and the class count come from the data.</param>
/// <param name="Convolutional">When set, the classifier is this CNN instead of the MLP (Hidden and Activation unused), on
/// images: Fashion-MNIST's, or synthetic images of <see cref="DensityExperiment.SyntheticImage"/>.</param>
public sealed record DensityExperimentSettings(
    DensityDataSet Data,
    int Samples,
    IReadOnlyList<int> Hidden,
    HiddenActivation Activation,
    SgdSettings Training,
    DensityOptions Density,
    string DataDirectory = FashionMnist.DefaultDirectory,
    ConvolutionalArchitecture? Convolutional = null)
{
    /// <summary>The shape of the inputs: Fashion-MNIST's images, the synthetic images for a CNN, else the synthetic vectors.</summary>
    public ImageShape InputShape => Data == DensityDataSet.FashionMnist ? new ImageShape(FashionMnist.Side, FashionMnist.Side, 1)
        : Convolutional is not null ? DensityExperiment.SyntheticImage : new ImageShape(1, 1, DensityExperiment.SyntheticDimension);

    public int Classes => Data == DensityDataSet.FashionMnist ? FashionMnist.Classes : DensityExperiment.SyntheticClasses;
}

/// <summary>What an experiment produced, and the verdicts of its claims.</summary>
public sealed record DensityExperimentResult(
    DensityExperimentSettings Settings,
    ClassificationSet Data,
    IDifferentiableClassifier Model,
    TrainingResult Training,
    IReadOnlyList<FisherDensityPanel> Panels)
{
    /// <summary>The SLQ moment claim per checked panel (null when no panel had a dense reference).</summary>
    public bool? MomentsHold => Panels.Any(p => p.Moments is not null) ? Panels.All(p => p.Moments is null || p.Moments.All(m => m.Consistent)) : null;

    /// <summary>
    /// Cauchy interlacing, per Fisher kind whose full and layer-wise panels both have dense eigenvalues: each layer
    /// block is a principal submatrix of the full Fisher, so the layer-wise largest eigenvalue never exceeds the full one's.
    /// </summary>
    public IReadOnlyList<(FisherKind Kind, bool Holds)> Interlacing => Panels
        .Where(p => p.Blocks == FisherBlocks.LayerWise && p.LargestEigenvalue is not null)
        .Select(lw => (lw, full: Panels.FirstOrDefault(p => p.Kind == lw.Kind && p.Blocks == FisherBlocks.Full && p.LargestEigenvalue is not null)))
        .Where(x => x.full is not null)
        .Select(x => (x.lw.Kind, x.lw.LargestEigenvalue <= x.full!.LargestEigenvalue * (1 + 1e-10)))
        .ToArray();

    /// <summary>True when every panel was checked against dense eigenvalues (moments and, where paired, interlacing).</summary>
    public bool AllPanelsChecked => Panels.All(p => p.Moments is not null && p.LargestEigenvalue is not null);

    /// <summary>Matrix-free top eigenvalues within <see cref="FisherDensityStudy.TopEigenvalueTolerance"/>·λ_max of the dense ones (null when not checked).</summary>
    public bool? TopEigenvaluesHold => Panels.Any(p => p.TopEigenvalueError is not null)
        ? Panels.All(p => p.TopEigenvalueError is null || p.TopEigenvalueError <= FisherDensityStudy.TopEigenvalueTolerance) : null;

    /// <summary>No checked claim failed.</summary>
    public bool Holds => MomentsHold != false && TopEigenvaluesHold != false && Interlacing.All(x => x.Holds);

    /// <summary>PASS, FAIL, or NOT CHECKED when no claim could be checked (no panel small enough for dense eigenvalues).</summary>
    public string Verdict => MomentsHold is null && TopEigenvaluesHold is null && Interlacing.Count == 0 ? "NOT CHECKED" : Holds ? "PASS" : "FAIL";
}

/// <summary>
/// The one entry point behind `fimverify density` and the report's density section: data → seeded classifier →
/// seeded SGD → <see cref="FisherDensityStudy"/>. Seeds: data from seed.Child("data"), initialisation from
/// seed.Child("init"), SGD from seed.Child("sgd"), the Fishers' MC labels and the probes from seed.Child("density").
/// </summary>
public static class DensityExperiment
{
    /// <summary>The synthetic set: a 16-dimensional, 4-class Gaussian mixture with class separation 3.</summary>
    public const int SyntheticDimension = 16, SyntheticClasses = 4;
    public const double SyntheticSeparation = 3.0;

    /// <summary>The synthetic images for a CNN: 12×12 grey images, the same 4-class mixture with smooth class means.</summary>
    public static ImageShape SyntheticImage { get; } = new(12, 12, 1);

    /// <summary>The experiment; <paramref name="progress"/> follows the SGD epochs and then each density panel.</summary>
    public static DensityExperimentResult Run(DensityExperimentSettings s, SeedSequence seed, IProgress<ProgressStep>? progress = null)
    {
        var data = s.Data == DensityDataSet.FashionMnist ? FashionMnist.Load(s.Samples, directory: s.DataDirectory)
            : s.Convolutional is not null ? GaussianMixture.GenerateImages(s.Samples, SyntheticImage, SyntheticClasses, SyntheticSeparation, seed.Child("data"))
            : GaussianMixture.Generate(s.Samples, SyntheticDimension, SyntheticClasses, SyntheticSeparation, seed.Child("data"));
        IDifferentiableClassifier model = s.Convolutional is { } architecture
            ? ConvolutionalClassifier.Initialize(architecture.Resolve(data.Image ?? throw new ArgumentException($"{data.Name} holds no images for a CNN"), data.Classes), seed.Child("init"))
            : SoftmaxClassifier.Initialize([data.Dimension, .. s.Hidden, data.Classes], s.Activation, seed.Child("init"));
        var training = SgdTraining.Train(model, data, s.Training, seed.Child("sgd"), progress);
        var panels = FisherDensityStudy.Run(new FisherDensitySettings(model, data, s.Density, seed.Child("density")), progress);
        return new DensityExperimentResult(s, data, model, training, panels);
    }
}
