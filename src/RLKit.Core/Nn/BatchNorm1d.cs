using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// Batch normalisation of [B, C] or [B, C, L] inputs per channel C, as PyTorch's <c>nn.BatchNorm1d</c>: parameters
/// "weight" (1) and "bias" (0), buffers "running_mean" (0) and "running_var" (1). In training mode it normalises
/// with the batch statistics and updates the running ones (momentum-weighted, unbiased variance); in evaluation mode
/// it uses the running statistics.
/// </summary>
public sealed class BatchNorm1d : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="channels">C.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="momentum">Weight of the new batch in the running statistics.</param>
    /// <param name="affine">Whether to learn a per-channel scale and shift.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics (otherwise batch statistics are always used).</param>
    /// <exception cref="ArgumentOutOfRangeException">If an argument is out of range.</exception>
    public BatchNorm1d(int channels, float epsilon = 1e-5f, float momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "BatchNorm1d: channels must be positive.");
        if (!(epsilon > 0) || !float.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "BatchNorm1d: epsilon must be positive and finite.");
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNorm1d: momentum must lie in [0, 1].");
        Channels = channels;
        Epsilon = epsilon;
        Momentum = momentum;
        if (affine)
        {
            var weight = Tensor.AllocatePersistent([channels]);
            Init.Constant(weight, 1f);
            Weight = RegisterParameter("weight", weight);
            Bias = RegisterParameter("bias", Tensor.AllocatePersistent([channels]));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.AllocatePersistent([channels]));
            var runningVar = Tensor.AllocatePersistent([channels]);
            Init.Constant(runningVar, 1f);
            RunningVar = RegisterBuffer("running_var", runningVar);
        }
    }

    /// <summary>The number of channels C.</summary>
    public int Channels { get; }

    /// <summary>The ε added to the variance.</summary>
    public float Epsilon { get; }

    /// <summary>The weight of each new batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>The scale [C], or null when not affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>The shift [C], or null when not affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean [C] (a buffer), or null when not tracked.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>The running variance [C] (a buffer), or null when not tracked.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>Normalises [B, C] or [B, C, L].</summary>
    /// <exception cref="ArgumentException">If the shape is not [B, C] or [B, C, L] with C = <see cref="Channels"/>.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3) || input.Dim(1) != Channels)
            throw new ArgumentException($"BatchNorm1d: input shape {Tensor.ShapeString(input.Shape)} must be [batch, {Channels}] or [batch, {Channels}, length].", nameof(input));
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, IsTraining, Momentum, Epsilon);
    }

    /// <inheritdoc/>
    public override string ToString() => $"BatchNorm1d({Channels}, eps={Epsilon}, momentum={Momentum})";
}
