using FimVerify.Numeric.Data;
using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Classifiers.Convolutional;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.Classifiers.Convolutional;

/// <summary>Small CNNs on synthetic images that the convolutional tests share.</summary>
internal static class SmallCnn
{
    /// <summary>Architectures that between them use every layer kind and option: stride, padding, channels, both poolings
    /// (overlapping windows, pooling of the raw input), both activations, dense layers after convolutions and after dense ones,
    /// and max-pooled convolutions (the pooled path) as the first layer and above it, with and without an activation between.</summary>
    public static readonly TheoryData<string, int, int, int> Architectures = new()
    {
        { "conv3k3s2p1,tanh", 7, 7, 2 },
        { "conv2k3p1,relu,maxpool2", 6, 6, 1 },
        { "conv2k2,tanh,avgpool2s1", 5, 5, 2 },
        { "maxpool2s1,conv2k2,relu,dense4,tanh", 5, 6, 1 },
        { "dense5,tanh,dense4,relu", 3, 3, 1 },
        { "conv2k3,relu,maxpool2,conv3k2,relu,avgpool2,dense4,relu", 10, 10, 1 },
        { "conv2k3p1,relu,maxpool2,conv3k3p1,tanh,maxpool2s1,dense4,relu", 8, 8, 2 },
        { "conv3k2s2,maxpool2,conv2k2,relu,maxpool2", 13, 13, 1 },
    };

    /// <summary><see cref="Architectures"/> with each product path: matrix-free, and through the head Jacobian of a prepared pass.</summary>
    public static readonly TheoryData<string, int, int, int, bool> ArchitecturesBothPaths = Both(Architectures);

    private static TheoryData<string, int, int, int, bool> Both(TheoryData<string, int, int, int> architectures)
    {
        var data = new TheoryData<string, int, int, int, bool>();
        foreach (var row in architectures)
        {
            var (a, h, w, c) = ((string)row[0]!, (int)row[1]!, (int)row[2]!, (int)row[3]!);
            data.Add(a, h, w, c, false);
            data.Add(a, h, w, c, true);
        }
        return data;
    }

    /// <param name="headJacobian">Overrides the shape's choice of the head Jacobian for prepared passes (null: the shape's own).</param>
    public static (ConvolutionalClassifier Model, ClassificationSet Data) Make(string architecture, ImageShape image, int classes = 3, int count = 6,
        long seed = 11, int? chunk = null, bool? headJacobian = null)
    {
        var s = SeedSequence.FromSeed(seed);
        var data = GaussianMixture.GenerateImages(count, image, classes, 2.0, s.Child("data"));
        var shape = ConvolutionalArchitecture.Parse(architecture).Resolve(image, classes);
        if (chunk is int c) shape = shape.WithChunkImages(c, 2 * c + 1); // ragged inner chunks inside outer ones
        if (headJacobian is bool on) shape = shape.WithHeadJacobian(on);
        var model = ConvolutionalClassifier.Initialize(shape, s.Child("model"));
        // Non-zero biases so that the bias paths are exercised.
        var sampler = s.Child("biases").CreateSampler();
        for (int l = 0; l < model.LayerCount; l++) sampler.FillGaussian(model.Biases(l), 0.3);
        return (model, data);
    }

    /// <summary>
    /// A CNN of dense layers on 1×1×4 "images" and the 4-6-5-3 MLP with the same activation, initialised from the same seed:
    /// the same θ layout and per-layer init streams make them the same network.
    /// </summary>
    public static (ConvolutionalClassifier Cnn, SoftmaxClassifier Mlp, ClassificationSet Data) DenseTwins(HiddenActivation activation, int count)
    {
        var seed = SeedSequence.FromSeed(5);
        string name = activation == HiddenActivation.Relu ? "relu" : "tanh";
        var data = GaussianMixture.Generate(count, 4, 3, 2.0, seed.Child("data")) with { Image = new ImageShape(1, 1, 4) };
        var cnn = ConvolutionalClassifier.Initialize(ConvolutionalArchitecture.Parse($"dense6,{name},dense5,{name}").Resolve(data.Image!.Value, 3), seed.Child("init"));
        return (cnn, SoftmaxClassifier.Initialize([4, 6, 5, 3], activation, seed.Child("init")), data);
    }

    /// <summary>
    /// A forward pass for products: prepared (and then, when the network has a head, holding its head Jacobian) or left
    /// matrix-free; the model must come from <see cref="Make"/> with headJacobian = prepared.
    /// </summary>
    public static ConvolutionalPass Pass(ConvolutionalClassifier model, ClassificationSet data, bool prepared)
    {
        var pass = model.Forward(data.Features, data.Count);
        if (!prepared) return pass;
        model.PrepareForProducts(pass);
        Assert.Equal(model.Shape.HeadParameters > 0, pass.HeadJacobian is not null);
        return pass;
    }

    public static ReferenceConvolutionalNetwork Reference(ConvolutionalClassifier model) =>
        new(model.Shape.Architecture, model.Shape.Input, model.Classes, (double[])model.Parameters.Clone());

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0;
        foreach (double x in expected) scale = Math.Max(scale, Math.Abs(x));
        Assert.True(scale > 0, $"{what}: the reference is zero");
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(actual[k] - expected[k]) <= relative * scale, $"{what}, entry {k}: {actual[k]:R} vs {expected[k]:R} (scale {scale:G3})");
    }
}

public class ConvolutionalClassifierTests
{
    [Theory]
    [MemberData(nameof(SmallCnn.Architectures), MemberType = typeof(SmallCnn))]
    public void ForwardMatchesTheNaiveReferenceAcrossChunks(string architecture, int h, int w, int c)
    {
        // Chunks of 4 images over 9 inputs: the last chunk is ragged.
        var (model, data) = SmallCnn.Make(architecture, new ImageShape(h, w, c), count: 9, chunk: 4);
        var reference = SmallCnn.Reference(model);
        var pass = model.Forward(data.Features, data.Count);
        var expected = Enumerable.Range(0, data.Count).SelectMany(n => reference.Logits(data.Input(n))).ToArray();
        SmallCnn.AssertClose(expected, pass.Logits, 1e-13, $"{architecture} logits");
        for (int n = 0; n < data.Count; n++) Assert.Equal(1.0, pass.Probabilities.AsSpan(n * model.Classes, model.Classes).ToArray().Sum(), 12);
    }

    [Theory]
    [MemberData(nameof(SmallCnn.ArchitecturesBothPaths), MemberType = typeof(SmallCnn))]
    public void JvpMatchesFiniteDifferencesOfTheReference(string architecture, int h, int w, int c, bool headJacobian)
    {
        var (model, data) = SmallCnn.Make(architecture, new ImageShape(h, w, c), count: 5, chunk: 2, headJacobian: headJacobian);
        var v = new double[model.ParameterCount];
        SeedSequence.FromSeed(3).CreateSampler().FillGaussian(v);
        var jv = new double[data.Count * model.Classes];
        model.Jvp(SmallCnn.Pass(model, data, headJacobian), v, 1, jv);
        const double step = 1e-6;
        var plus = SmallCnn.Reference(model); var minus = SmallCnn.Reference(model);
        for (int i = 0; i < v.Length; i++) { plus.Theta[i] += step * v[i]; minus.Theta[i] -= step * v[i]; }
        var expected = Enumerable.Range(0, data.Count)
            .SelectMany(n => plus.Logits(data.Input(n)).Zip(minus.Logits(data.Input(n)), (u, d) => (u - d) / (2 * step))).ToArray();
        SmallCnn.AssertClose(expected, jv, 1e-7, $"{architecture} JVP vs central differences");
    }

    [Theory]
    [MemberData(nameof(SmallCnn.ArchitecturesBothPaths), MemberType = typeof(SmallCnn))]
    public void VjpOfThreeCotangentSetsMatchesTheReferenceBackward(string architecture, int h, int w, int c, bool headJacobian)
    {
        var (model, data) = SmallCnn.Make(architecture, new ImageShape(h, w, c), count: 7, chunk: 3, headJacobian: headJacobian);
        const int directions = 3;
        int p = model.ParameterCount, k = model.Classes;
        var g = new double[data.Count * directions * k];
        SeedSequence.FromSeed(8).CreateSampler().FillGaussian(g);
        var gradient = new double[directions * p];
        model.Vjp(SmallCnn.Pass(model, data, headJacobian), g, directions, gradient);
        var reference = SmallCnn.Reference(model);
        var expected = new double[directions * p];
        for (int n = 0; n < data.Count; n++)
        {
            var values = reference.Forward(data.Input(n));
            for (int d = 0; d < directions; d++)
            {
                var (_, grad) = reference.Backward(values, g.AsSpan((n * directions + d) * k, k));
                for (int i = 0; i < p; i++) expected[d * p + i] += grad[i];
            }
        }
        SmallCnn.AssertClose(expected, gradient, 1e-12, $"{architecture} VJP vs reference backward");
    }

    [Fact]
    public void TheReferenceBackwardMatchesFiniteDifferences()
    {
        // The reference's reverse mode is itself evidence only if it is right: its gradient of f·logits against central differences.
        const string architecture = "conv2k3s2p1,relu,maxpool2s1,conv3k2,tanh,maxpool2s1,avgpool2,dense4,relu";
        var (model, data) = SmallCnn.Make(architecture, new ImageShape(10, 10, 2), count: 1);
        var reference = SmallCnn.Reference(model);
        double[] f = [0.7, -1.1, 0.4];
        var (_, gradient) = reference.Backward(reference.Forward(data.Input(0)), f);
        const double step = 1e-6;
        var expected = new double[gradient.Length];
        for (int i = 0; i < gradient.Length; i++)
        {
            double keep = reference.Theta[i];
            reference.Theta[i] = keep + step; double up = Dot.ProductScalar(f, reference.Logits(data.Input(0)));
            reference.Theta[i] = keep - step; double down = Dot.ProductScalar(f, reference.Logits(data.Input(0)));
            reference.Theta[i] = keep;
            expected[i] = (up - down) / (2 * step);
        }
        SmallCnn.AssertClose(expected, gradient, 1e-7, "reference gradient vs central differences");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LayerRangesReadAndWriteOnlyTheirLayers(bool headJacobian)
    {
        var (model, data) = SmallCnn.Make("conv2k3,relu,maxpool2,conv3k2,relu,avgpool2,dense4,relu", new ImageShape(10, 10, 1), count: 5, chunk: 2,
            headJacobian: headJacobian);
        var pass = SmallCnn.Pass(model, data, headJacobian);
        int p = model.ParameterCount, k = model.Classes, directions = 2;
        var sampler = SeedSequence.FromSeed(4).CreateSampler();
        var v = new double[directions * p]; sampler.FillGaussian(v);
        var g = new double[data.Count * directions * k]; sampler.FillGaussian(g);
        var full = new double[directions * p];
        model.Vjp(pass, g, directions, full);
        for (int l = 0; l < model.LayerCount; l++)
        {
            var (offset, length) = model.LayerBlock(l);
            // JVP of layer l alone = JVP of v with every other layer zeroed.
            var masked = new double[v.Length];
            for (int d = 0; d < directions; d++) v.AsSpan(d * p + offset, length).CopyTo(masked.AsSpan(d * p + offset, length));
            var alone = new double[data.Count * directions * k]; model.Jvp(pass, v, directions, alone, l, l);
            var expected = new double[alone.Length]; model.Jvp(pass, masked, directions, expected);
            SmallCnn.AssertClose(expected, alone, 1e-13, $"JVP of layer {l}");
            // VJP down to layer l leaves the layers below as they were and agrees with the full VJP from l up.
            var partial = Enumerable.Repeat(double.NaN, directions * p).ToArray();
            model.Vjp(pass, g, directions, partial, lowestLayer: l);
            for (int d = 0; d < directions; d++)
                for (int i = 0; i < p; i++)
                    if (i < offset) Assert.True(double.IsNaN(partial[d * p + i]), $"lowest layer {l}: entry {i} below it was written");
                    else Assert.Equal(full[d * p + i], partial[d * p + i]);
            // The VJP of layer l alone (the layer-wise Fisher's) writes its block only, with the full VJP's bits.
            var only = Enumerable.Repeat(double.NaN, directions * p).ToArray();
            model.Vjp(pass, g, directions, only, lowestLayer: l, highestLayer: l);
            for (int d = 0; d < directions; d++)
                for (int i = 0; i < p; i++)
                    if (i >= offset && i < offset + length) Assert.Equal(full[d * p + i], only[d * p + i]);
                    else Assert.True(double.IsNaN(only[d * p + i]), $"layer {l} alone: entry {i} outside it was written");
        }
    }

    [Fact]
    public void TheDefaultCnnFormsItsHeadJacobianWithinTheBudget()
    {
        // Seed 003's CNN on 28×28 images: the head is conv4k3 (40 parameters) and conv8k3 (296); per input and direction its Jacobian
        // costs 2·10·336 = 6,720 multiply-adds against 2·24,336 + 4·34,848 (the convolutions) + 2·102,400 (dense512's products with
        // the head's tangent and cotangent) matrix-free. FLOPs per product on 1000 inputs: 2·1000·(2·24,336 + 4·(34,848 + 102,400
        // + 5,120)) matrix-free, 2·1000·(6,720 + 2·102,400 + 4·5,120) with the Jacobian.
        var shape = ConvolutionalArchitecture.Default.Resolve(new ImageShape(28, 28, 1), 10);
        Assert.Equal((2, 336), (shape.HeadLayers, shape.HeadParameters));
        Assert.True(shape.HeadJacobian && shape.HeadJacobianPays);
        Assert.Equal(1_236_288_000, shape.MatrixFreeProductFlops(1000));
        Assert.Equal(464_000_000, shape.FisherProductFlops(1000));
        // Forming it: a backward pass of 10 cotangent sets, the head's weight gradients (24,336 + 34,848) and the input cotangents
        // above the first layer (34,848 + 102,400 + 5,120) per input and set.
        Assert.Equal(2.0 * 1000 * 10 * (24_336 + 2 * 34_848 + 102_400 + 5_120), shape.HeadJacobianFlops(1000));
        // 2^25 doubles: 9,986 inputs × 3,360 fit, 9,987 do not (and then products run matrix-free and nothing is formed).
        Assert.True(shape.UsesHeadJacobian(9986));
        Assert.False(shape.UsesHeadJacobian(9987));
        Assert.Equal(shape.MatrixFreeProductFlops(9987), shape.FisherProductFlops(9987));
        Assert.Equal(0, shape.HeadJacobianFlops(9987));
        Assert.False(shape.WithHeadJacobian(false).UsesHeadJacobian(1000));
        // A network without a convolutional head has nothing to form.
        var dense = ConvolutionalArchitecture.Parse("dense6,relu").Resolve(new ImageShape(1, 1, 4), 3);
        Assert.False(dense.WithHeadJacobian(true).HeadJacobian);
    }

    [Fact]
    public void ADenseOnlyNetworkIsTheMlpWithTheSameSeed()
    {
        var (cnn, mlp, data) = SmallCnn.DenseTwins(HiddenActivation.Relu, 8);
        Assert.Equal(mlp.Parameters, cnn.Parameters);
        SmallCnn.AssertClose(mlp.Forward(data.Features, data.Count).Logits, cnn.Forward(data.Features, data.Count).Logits, 1e-14, "logits");
    }

    [Fact]
    public void SeededSgdLowersTheLossAndRepeatsBitForBit()
    {
        var s = SeedSequence.FromSeed(4);
        var data = GaussianMixture.GenerateImages(300, new ImageShape(8, 8, 1), 4, 4.0, s.Child("data"));
        var shape = ConvolutionalArchitecture.Parse("conv4k3p1,relu,maxpool2,dense16,relu").Resolve(data.Image!.Value, 4);
        var model = ConvolutionalClassifier.Initialize(shape, s.Child("model"));
        var r = SgdTraining.Train(model, data, new SgdSettings(4, 20, 0.05), s.Child("sgd"));
        var again = ConvolutionalClassifier.Initialize(shape, s.Child("model"));
        SgdTraining.Train(again, data, new SgdSettings(4, 20, 0.05), s.Child("sgd"));
        Assert.Equal(model.Parameters, again.Parameters);
        Assert.Equal(60, r.Steps);
        Assert.True(r.FinalLoss < 0.5 * r.InitialLoss && r.FinalAccuracy > 0.8, $"loss {r.InitialLoss} → {r.FinalLoss}, accuracy {r.FinalAccuracy}");
    }
}
