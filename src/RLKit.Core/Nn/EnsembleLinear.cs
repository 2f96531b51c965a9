using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// T fully connected layers of the same shape evaluated side by side: member t computes y[t] = x[t]·W[t]ᵀ + b[t].
/// Parameters "weight" [T, out, in] (PyTorch layout per member) and "bias" [T, out]. The input is [T, N, in]
/// (member t reads input[t]) or [N, in] (every member reads the same rows); the output is [T, N, out].
/// </summary>
/// <remarks>
/// One <see cref="Tensor.EnsembleLinear"/> op (a batched GEMM) replaces T separate <see cref="Linear"/> calls. The
/// members are independent: member t's gradient depends only on member t's output, so one elementwise optimiser
/// over the ensemble is T independent optimisers.
/// </remarks>
public sealed class EnsembleLinear : Layer
{
    /// <summary>
    /// Creates the layer with member t initialised exactly as <c>new Linear(inFeatures, outFeatures, rng, bias,
    /// weightInit, biasInit)</c> would be, members in order 0..T−1 drawing from <paramref name="rng"/> in turn: T
    /// separate <see cref="Linear"/> layers built from one generator equal this ensemble built from a generator in
    /// the same state. By default that is PyTorch's U(±1/√in) for weight and bias.
    /// </summary>
    /// <param name="members">The ensemble size T.</param>
    /// <param name="inFeatures">Input width of every member.</param>
    /// <param name="outFeatures">Output width of every member.</param>
    /// <param name="rng">Drives every initialiser.</param>
    /// <param name="bias">Whether the members have a bias.</param>
    /// <param name="weightInit">Weight init of each member (applied to its [out, in] matrix); PyTorch's default when null.</param>
    /// <param name="biasInit">Bias init of each member; U(±1/√in) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">If a size is not positive.</exception>
    public EnsembleLinear(int members, int inFeatures, int outFeatures, RandomGenerator rng, bool bias = true,
        Initializer? weightInit = null, Initializer? biasInit = null)
        : this(members, inFeatures, outFeatures, bias)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int t = 0; t < members; t++) InitializeMember(t, rng, weightInit, biasInit);
    }

    /// <summary>Creates the layer with zero parameters; the caller initialises each member with <see cref="InitializeMember"/>.</summary>
    internal EnsembleLinear(int members, int inFeatures, int outFeatures, bool bias)
    {
        if (members <= 0) throw new ArgumentOutOfRangeException(nameof(members), members, "EnsembleLinear: members must be positive.");
        if (inFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "EnsembleLinear: inFeatures must be positive.");
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "EnsembleLinear: outFeatures must be positive.");
        Members = members;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Tensor.AllocatePersistent([members, outFeatures, inFeatures]));
        if (bias) Bias = RegisterParameter("bias", Tensor.AllocatePersistent([members, outFeatures]));
    }

    /// <summary>The ensemble size T.</summary>
    public int Members { get; }

    /// <summary>The input width of every member (last dimension of the input).</summary>
    public int InFeatures { get; }

    /// <summary>The output width of every member.</summary>
    public int OutFeatures { get; }

    /// <summary>The weights [T, out, in]; member t's matrix is the t-th [out, in] block.</summary>
    public Tensor Weight { get; }

    /// <summary>The biases [T, out], or null when the layer was built without them.</summary>
    public Tensor? Bias { get; }

    /// <summary>
    /// Initialises member <paramref name="member"/> as a fresh <see cref="Linear"/> of this shape would be (its
    /// weight, then its bias, from <paramref name="rng"/>).
    /// </summary>
    internal void InitializeMember(int member, RandomGenerator rng, Initializer? weightInit, Initializer? biasInit)
    {
        // Built by Linear itself, so the draws and their order are Linear's by construction; its tensors are copied in.
        var linear = new Linear(InFeatures, OutFeatures, rng, Bias is not null, weightInit, biasInit);
        linear.Weight.AsReadOnlySpan().CopyTo(Weight.AsSpan().Slice(member * OutFeatures * InFeatures, OutFeatures * InFeatures));
        linear.Bias?.AsReadOnlySpan().CopyTo(Bias!.AsSpan().Slice(member * OutFeatures, OutFeatures));
    }

    /// <summary>[T, N, in] or [N, in] → [T, N, out].</summary>
    /// <exception cref="ArgumentException">If the input is neither [T, N, in] nor [N, in]; the message names the shapes.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Tensor.EnsembleLinear(input, Weight, Bias);
    }

    /// <inheritdoc/>
    public override string ToString() => $"EnsembleLinear(members={Members}, in={InFeatures}, out={OutFeatures}, bias={Bias is not null})";
}
