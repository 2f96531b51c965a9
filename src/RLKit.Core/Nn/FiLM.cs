using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// Feature-wise linear modulation (Perez et al.): γ ⊙ h + β, where [γ ‖ β] = Linear(condition). The child
/// "proj" maps the condition to 2·features; γ is its first half, β its second. Used by SAVO to condition actors
/// on previously chosen actions.
/// </summary>
public sealed class FiLM : Module
{
    private readonly Linear _projection;

    /// <summary>Creates the layer.</summary>
    /// <param name="conditionSize">Width of the conditioning vector.</param>
    /// <param name="features">Width of the modulated features h.</param>
    /// <param name="rng">Drives the initialiser.</param>
    /// <param name="residualGamma">
    /// When true the scale is 1 + γ, so a near-zero projection starts as the identity (a common stabiliser); the
    /// paper's form γ ⊙ h + β is the default.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">If a size is not positive.</exception>
    public FiLM(int conditionSize, int features, RandomGenerator rng, bool residualGamma = false)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (conditionSize <= 0) throw new ArgumentOutOfRangeException(nameof(conditionSize), conditionSize, "FiLM: conditionSize must be positive.");
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), features, "FiLM: features must be positive.");
        ConditionSize = conditionSize;
        Features = features;
        ResidualGamma = residualGamma;
        _projection = RegisterModule("proj", new Linear(conditionSize, 2 * features, rng));
    }

    /// <summary>Width of the conditioning vector.</summary>
    public int ConditionSize { get; }

    /// <summary>Width of the modulated features.</summary>
    public int Features { get; }

    /// <summary>Whether the scale is 1 + γ.</summary>
    public bool ResidualGamma { get; }

    /// <summary>Modulates <paramref name="features"/> [.., features] by <paramref name="condition"/> [.., conditionSize].</summary>
    /// <remarks>γ and β have the condition's leading shape and broadcast against the features' (NumPy rules), so
    /// condition [B, C] modulates features [B, F]; for features [B, N, F] pass condition [B, 1, C].</remarks>
    /// <exception cref="ArgumentException">If a last dimension is wrong or the shapes do not broadcast.</exception>
    public Tensor Forward(Tensor features, Tensor condition)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(condition);
        if (features.Rank == 0 || features.Dim(-1) != Features)
            throw new ArgumentException($"FiLM: features shape {Tensor.ShapeString(features.Shape)} must end in {Features}.", nameof(features));
        if (condition.Rank == 0 || condition.Dim(-1) != ConditionSize)
            throw new ArgumentException($"FiLM: condition shape {Tensor.ShapeString(condition.Shape)} must end in {ConditionSize}.", nameof(condition));
        var projected = _projection.Forward(condition);
        var gamma = projected.Narrow(-1, 0, Features);
        var beta = projected.Narrow(-1, Features, Features);
        if (ResidualGamma) gamma = gamma + 1f;
        return gamma * features + beta;
    }

    /// <inheritdoc/>
    public override string ToString() => $"FiLM(condition={ConditionSize}, features={Features})";
}
