namespace FimVerify.Numeric.Classifiers.Convolutional;

/// <summary>
/// im2col and its adjoint for a batch of images that each carry D directions: a tensor holds image b at
/// b·(H·W·D·C), location (y, x) at ((y·W + x)·D + d)·C + c within it — direction inside location, channel innermost — which
/// is exactly the layout of a GEMM result whose rows are (image, location) and whose columns are (direction, channel), so
/// tangents and cotangents of D directions move through a network as one tensor. The patch matrix has one row per
/// (image, output location, direction) and columns (ky, kx, input channel), zeros where the window leaves the padded input.
/// Images are independent, so they run in parallel; each image's sums run in a fixed order (results do not depend on the
/// thread count).
/// </summary>
internal static class Patches
{
    /// <summary>patches ← im2col of images [0, images) of input (offsets are in doubles).</summary>
    public static void Gather(double[] input, int inputOffset, double[] patches, int images, int directions, LinearStage s)
    {
        int w = s.Input.Width, h = s.Input.Height, c = s.Input.Channels, ow = s.Output.Width, row = s.PatchSize;
        int imageIn = s.Input.Locations * directions * c, imageOut = s.Locations * directions * row;
        Parallel.For(0, images, b =>
        {
            var src = input.AsSpan(inputOffset + b * imageIn, imageIn);
            var dst = patches.AsSpan(b * imageOut, imageOut);
            for (int t = 0; t < s.Locations; t++)
            {
                int y0 = t / ow * s.Stride - s.Padding, x0 = t % ow * s.Stride - s.Padding;
                for (int d = 0; d < directions; d++)
                {
                    var target = dst.Slice((t * directions + d) * row, row);
                    for (int ky = 0; ky < s.KernelHeight; ky++)
                    {
                        int iy = y0 + ky;
                        var line = target.Slice(ky * s.KernelWidth * c, s.KernelWidth * c);
                        if (iy < 0 || iy >= h) { line.Clear(); continue; }
                        for (int kx = 0; kx < s.KernelWidth; kx++)
                        {
                            int ix = x0 + kx;
                            var cell = line.Slice(kx * c, c);
                            if (ix < 0 || ix >= w) { cell.Clear(); continue; }
                            var from = src.Slice(((iy * w + ix) * directions + d) * c, c);
                            if (c <= 16) for (int k = 0; k < c; k++) cell[k] = from[k]; // short runs: a call to memmove costs more
                            else from.CopyTo(cell);
                        }
                    }
                }
            }
        });
    }

    /// <summary>input ← the adjoint of <see cref="Gather"/> applied to patches: every patch entry added back where it came from.</summary>
    public static void ScatterAdd(double[] patches, double[] input, int images, int directions, LinearStage s)
    {
        int w = s.Input.Width, h = s.Input.Height, c = s.Input.Channels, ow = s.Output.Width, row = s.PatchSize;
        int imageIn = s.Input.Locations * directions * c, imageOut = s.Locations * directions * row;
        Parallel.For(0, images, b =>
        {
            var dst = input.AsSpan(b * imageIn, imageIn);
            var src = patches.AsSpan(b * imageOut, imageOut);
            dst.Clear();
            for (int t = 0; t < s.Locations; t++)
            {
                int y0 = t / ow * s.Stride - s.Padding, x0 = t % ow * s.Stride - s.Padding;
                for (int d = 0; d < directions; d++)
                {
                    var patch = src.Slice((t * directions + d) * row, row);
                    for (int ky = 0; ky < s.KernelHeight; ky++)
                    {
                        int iy = y0 + ky;
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < s.KernelWidth; kx++)
                        {
                            int ix = x0 + kx;
                            if (ix < 0 || ix >= w) continue;
                            var to = dst.Slice(((iy * w + ix) * directions + d) * c, c);
                            var from = patch.Slice((ky * s.KernelWidth + kx) * c, c);
                            for (int k = 0; k < c; k++) to[k] += from[k];
                        }
                    }
                }
            }
        });
    }

    /// <summary>
    /// True when the patch matrix is the tensor itself, so no copy is needed: a dense stage whose input rows are already
    /// (image, direction)-major, i.e. one direction, or an input of a single location.
    /// </summary>
    public static bool IsIdentity(LinearStage s, int directions) => s.IsDense && (directions == 1 || s.Input.Locations == 1);
}
