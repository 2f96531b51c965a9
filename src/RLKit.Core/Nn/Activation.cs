using System.Globalization;
using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>The elementwise nonlinearities an <see cref="Activation"/> can apply.</summary>
public enum ActivationKind
{
    /// <summary>f(x) = x.</summary>
    Identity,

    /// <summary>max(x, 0).</summary>
    ReLU,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>x for x &gt; 0, else slope·x.</summary>
    LeakyReLU,

    /// <summary>x for x &gt; 0, else α(eˣ − 1).</summary>
    ELU,

    /// <summary>Gaussian error linear unit.</summary>
    GELU,

    /// <summary>1 / (1 + e⁻ˣ).</summary>
    Sigmoid,
}

/// <summary>
/// An elementwise nonlinearity with its parameter (the leaky-ReLU slope or the ELU α), as a value that layer
/// options can hold: <c>Activation.ReLU</c>, <c>Activation.LeakyReLU(0.2f)</c>.
/// </summary>
public readonly record struct Activation
{
    private Activation(ActivationKind kind, float parameter)
    {
        Kind = kind;
        Parameter = parameter;
    }

    /// <summary>Which nonlinearity.</summary>
    public ActivationKind Kind { get; }

    /// <summary>The slope of <see cref="ActivationKind.LeakyReLU"/> or the α of <see cref="ActivationKind.ELU"/>; unused otherwise.</summary>
    public float Parameter { get; }

    /// <summary>f(x) = x (the default value of this struct).</summary>
    public static Activation Identity => new(ActivationKind.Identity, 0f);

    /// <summary>max(x, 0).</summary>
    public static Activation ReLU => new(ActivationKind.ReLU, 0f);

    /// <summary>tanh(x).</summary>
    public static Activation Tanh => new(ActivationKind.Tanh, 0f);

    /// <summary>GELU.</summary>
    public static Activation GELU => new(ActivationKind.GELU, 0f);

    /// <summary>The logistic sigmoid.</summary>
    public static Activation Sigmoid => new(ActivationKind.Sigmoid, 0f);

    /// <summary>Leaky ReLU with the given negative slope (PyTorch's default 0.01).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the slope is not finite.</exception>
    public static Activation LeakyReLU(float negativeSlope = 0.01f)
    {
        if (!float.IsFinite(negativeSlope))
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "Activation.LeakyReLU: the slope must be finite.");
        return new(ActivationKind.LeakyReLU, negativeSlope);
    }

    /// <summary>ELU with the given α (default 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If α is not finite.</exception>
    public static Activation ELU(float alpha = 1f)
    {
        if (!float.IsFinite(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Activation.ELU: alpha must be finite.");
        return new(ActivationKind.ELU, alpha);
    }

    /// <summary>The nonlinearity of <paramref name="kind"/> with its default parameter (LeakyReLU slope 0.01, ELU α 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="kind"/> is not a defined <see cref="ActivationKind"/>.</exception>
    public static Activation FromKind(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => Identity,
        ActivationKind.ReLU => ReLU,
        ActivationKind.Tanh => Tanh,
        ActivationKind.LeakyReLU => LeakyReLU(),
        ActivationKind.ELU => ELU(),
        ActivationKind.GELU => GELU,
        ActivationKind.Sigmoid => Sigmoid,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Activation.FromKind: not a defined ActivationKind."),
    };

    /// <summary>Applies the nonlinearity (recorded by autograd like any op).</summary>
    public Tensor Apply(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Kind switch
        {
            ActivationKind.Identity => x,
            ActivationKind.ReLU => x.Relu(),
            ActivationKind.Tanh => x.Tanh(),
            ActivationKind.LeakyReLU => x.LeakyRelu(Parameter),
            ActivationKind.ELU => x.Elu(Parameter),
            ActivationKind.GELU => x.Gelu(),
            ActivationKind.Sigmoid => x.Sigmoid(),
            _ => throw new InvalidOperationException($"Unknown activation kind {Kind}."),
        };
    }

    /// <summary>The gain PyTorch's <c>calculate_gain</c> recommends for this nonlinearity (for orthogonal/Xavier init).</summary>
    public float RecommendedGain => Kind switch
    {
        ActivationKind.ReLU => MathF.Sqrt(2f),
        ActivationKind.Tanh => 5f / 3f,
        ActivationKind.LeakyReLU => MathF.Sqrt(2f / (1f + Parameter * Parameter)),
        ActivationKind.ELU => 1f,
        ActivationKind.GELU => 1f,
        _ => 1f,
    };

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ActivationKind.LeakyReLU or ActivationKind.ELU => $"{Kind}({Parameter.ToString("G3", CultureInfo.InvariantCulture)})",
        _ => Kind.ToString(),
    };
}
