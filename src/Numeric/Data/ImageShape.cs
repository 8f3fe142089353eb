namespace FimVerify.Numeric.Data;

/// <summary>
/// The shape of one image, height × width × channels, stored channel-last (HWC): pixel (y, x) channel c sits at
/// (y·Width + x)·Channels + c of the image's row of features, so a flattened image is its feature vector.
/// </summary>
public readonly record struct ImageShape(int Height, int Width, int Channels)
{
    /// <summary>Values per image (in a long: shapes come from user input and are validated against int's range).</summary>
    public long Size => (long)Height * Width * Channels;

    public int Locations => Height * Width;

    public override string ToString() => $"{Height}×{Width}×{Channels}";
}
