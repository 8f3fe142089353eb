namespace FimVerify.Numeric.Classifiers.Convolutional;

/// <summary>
/// Max- and average-pooling on the tensor layout of <see cref="Patches"/> (image, location, direction, channel). The
/// forward pass (one direction) records, for max-pooling, the input location of each window's maximum (the first one on a
/// tie); tangents and cotangents of every direction then follow that location (max) or spread evenly (average), which is
/// the derivative wherever the maximum is unique. Images run in parallel, each in a fixed order.
/// </summary>
internal static class Pooling
{
    public static void Forward(PoolingStage s, double[] input, int inputOffset, double[] output, int outputOffset, int[]? argMax, int images)
    {
        int w = s.Input.Width, c = s.Input.Channels, ow = s.Output.Width;
        int imageIn = (int)s.Input.Size, imageOut = (int)s.Output.Size;
        double area = s.Size * s.Size;
        Parallel.For(0, images, b =>
        {
            var src = input.AsSpan(inputOffset + b * imageIn, imageIn);
            var dst = output.AsSpan(outputOffset + b * imageOut, imageOut);
            for (int t = 0; t < s.Output.Locations; t++)
            {
                int y0 = t / ow * s.Stride, x0 = t % ow * s.Stride;
                for (int k = 0; k < c; k++)
                {
                    double best = double.NegativeInfinity, sum = 0;
                    int where = y0 * w + x0;
                    for (int dy = 0; dy < s.Size; dy++)
                        for (int dx = 0; dx < s.Size; dx++)
                        {
                            int location = (y0 + dy) * w + x0 + dx;
                            double v = src[location * c + k];
                            sum += v;
                            if (v > best) { best = v; where = location; }
                        }
                    if (s.Kind == PoolingKind.Max)
                    {
                        dst[t * c + k] = best;
                        argMax![outputOffset + b * imageOut + t * c + k] = where;
                    }
                    else dst[t * c + k] = sum / area;
                }
            }
        });
    }

    /// <summary>output ← the pooling's derivative applied to input, for tensors of <paramref name="directions"/> directions.</summary>
    public static void Tangent(PoolingStage s, double[] input, double[] output, int[]? argMax, int argMaxOffset, int images, int directions)
    {
        int w = s.Input.Width, c = s.Input.Channels, ow = s.Output.Width;
        int imageIn = (int)s.Input.Size * directions, imageOut = (int)s.Output.Size * directions, stride = directions * c;
        double scale = 1.0 / (s.Size * s.Size);
        Parallel.For(0, images, b =>
        {
            var src = input.AsSpan(b * imageIn, imageIn);
            var dst = output.AsSpan(b * imageOut, imageOut);
            for (int t = 0; t < s.Output.Locations; t++)
            {
                if (s.Kind == PoolingKind.Max)
                {
                    var at = argMax.AsSpan(argMaxOffset + (b * s.Output.Locations + t) * c, c);
                    for (int d = 0; d < directions; d++)
                        for (int k = 0; k < c; k++) dst[t * stride + d * c + k] = src[at[k] * stride + d * c + k];
                    continue;
                }
                int y0 = t / ow * s.Stride, x0 = t % ow * s.Stride;
                var cell = dst.Slice(t * stride, stride);
                cell.Clear();
                for (int dy = 0; dy < s.Size; dy++)
                    for (int dx = 0; dx < s.Size; dx++)
                    {
                        var from = src.Slice(((y0 + dy) * w + x0 + dx) * stride, stride);
                        for (int j = 0; j < stride; j++) cell[j] += from[j];
                    }
                for (int j = 0; j < stride; j++) cell[j] *= scale;
            }
        });
    }

    /// <summary>input ← the adjoint of <see cref="Tangent"/> applied to output's cotangents.</summary>
    public static void Cotangent(PoolingStage s, double[] output, double[] input, int[]? argMax, int argMaxOffset, int images, int directions)
    {
        int w = s.Input.Width, c = s.Input.Channels, ow = s.Output.Width;
        int imageIn = (int)s.Input.Size * directions, imageOut = (int)s.Output.Size * directions, stride = directions * c;
        double scale = 1.0 / (s.Size * s.Size);
        Parallel.For(0, images, b =>
        {
            var dst = input.AsSpan(b * imageIn, imageIn);
            var src = output.AsSpan(b * imageOut, imageOut);
            dst.Clear();
            for (int t = 0; t < s.Output.Locations; t++)
            {
                var cell = src.Slice(t * stride, stride);
                if (s.Kind == PoolingKind.Max)
                {
                    var at = argMax.AsSpan(argMaxOffset + (b * s.Output.Locations + t) * c, c);
                    for (int d = 0; d < directions; d++)
                        for (int k = 0; k < c; k++) dst[at[k] * stride + d * c + k] += cell[d * c + k];
                    continue;
                }
                int y0 = t / ow * s.Stride, x0 = t % ow * s.Stride;
                for (int dy = 0; dy < s.Size; dy++)
                    for (int dx = 0; dx < s.Size; dx++)
                    {
                        var to = dst.Slice(((y0 + dy) * w + x0 + dx) * stride, stride);
                        for (int j = 0; j < stride; j++) to[j] += scale * cell[j];
                    }
            }
        });
    }
}
