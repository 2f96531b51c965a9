using System.Globalization;
using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// An initialisation scheme as a value, so layers can take it as an option:
/// <c>new Linear(64, 2, rng, weightInit: Initializer.Orthogonal(0.01f), biasInit: Initializer.Zeros)</c>.
/// Each scheme applies one of the <see cref="Init"/> functions.
/// </summary>
public sealed class Initializer
{
    private readonly Action<Tensor, RandomGenerator> _apply;

    private Initializer(string name, Action<Tensor, RandomGenerator> apply)
    {
        Name = name;
        _apply = apply;
    }

    /// <summary>A readable description, such as "orthogonal(gain=1.41)".</summary>
    public string Name { get; }

    /// <summary>Initialises <paramref name="tensor"/> in place.</summary>
    public void Apply(Tensor tensor, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        _apply(tensor, rng);
    }

    /// <summary>PyTorch's default for Linear/Conv weights: Kaiming uniform with a = √5, i.e. U(±1/√fan-in).</summary>
    public static Initializer PyTorchDefault { get; } =
        new("kaiming_uniform(a=sqrt5)", static (t, r) => Init.KaimingUniform(t, r, MathF.Sqrt(5f)));

    /// <summary>See <see cref="Init.Orthogonal"/>.</summary>
    public static Initializer Orthogonal(float gain = 1f) => new($"orthogonal(gain={F(gain)})", (t, r) => Init.Orthogonal(t, r, gain));

    /// <summary>See <see cref="Init.XavierUniform"/>.</summary>
    public static Initializer XavierUniform(float gain = 1f) => new($"xavier_uniform(gain={F(gain)})", (t, r) => Init.XavierUniform(t, r, gain));

    /// <summary>See <see cref="Init.XavierNormal"/>.</summary>
    public static Initializer XavierNormal(float gain = 1f) => new($"xavier_normal(gain={F(gain)})", (t, r) => Init.XavierNormal(t, r, gain));

    /// <summary>See <see cref="Init.KaimingUniform"/>.</summary>
    public static Initializer KaimingUniform(float negativeSlope = 0f, FanMode mode = FanMode.FanIn) =>
        new($"kaiming_uniform(a={F(negativeSlope)}, {mode})", (t, r) => Init.KaimingUniform(t, r, negativeSlope, mode));

    /// <summary>See <see cref="Init.KaimingNormal"/>.</summary>
    public static Initializer KaimingNormal(float negativeSlope = 0f, FanMode mode = FanMode.FanIn) =>
        new($"kaiming_normal(a={F(negativeSlope)}, {mode})", (t, r) => Init.KaimingNormal(t, r, negativeSlope, mode));

    /// <summary>N(mean, std²); see <see cref="Init.Normal"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="std"/> is negative or not finite.</exception>
    public static Initializer Normal(float mean = 0f, float std = 1f)
    {
        if (!(std >= 0) || float.IsInfinity(std))
            throw new ArgumentOutOfRangeException(nameof(std), std, "Initializer.Normal: std must be finite and non-negative.");
        return new($"normal({F(mean)}, {F(std)})", (t, r) => Init.Normal(t, r, mean, std));
    }

    /// <summary>U[low, high); see <see cref="Init.Uniform"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="high"/> is below <paramref name="low"/>.</exception>
    public static Initializer Uniform(float low, float high)
    {
        if (!(high >= low))
            throw new ArgumentOutOfRangeException(nameof(high), high, $"Initializer.Uniform: high must be at least low ({low}).");
        return new($"uniform({F(low)}, {F(high)})", (t, r) => Init.Uniform(t, r, low, high));
    }

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static Initializer Constant(float value) => new($"constant({F(value)})", (t, _) => Init.Constant(t, value));

    /// <summary>All zeros.</summary>
    public static Initializer Zeros { get; } = Constant(0f);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static string F(float value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
